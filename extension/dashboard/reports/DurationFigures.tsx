import type { Durations } from '../../../shared/contracts/marketing.ts';
import { t } from '../../i18n.ts';
import { short } from '../format.ts';

// Time from first visit to MQL and to won: median and 75th percentile in days.

function Figure({ title, d, testId }: { title: string; d: Durations; testId: string }) {
  return (
    <div class="figure" data-testid={testId}>
      <h4>{title}</h4>
      {d.count && d.medianDays !== null ? (
        <>
          <p class="big">{t('dbDays', [short(d.medianDays)])}</p>
          <p class="small muted">{t('dbDurationDetail', [short(d.p75Days), d.count])}</p>
        </>
      ) : (
        <p class="muted">{t('dbNoData')}</p>
      )}
    </div>
  );
}

export function DurationFigures({ toMql, toWon }: { toMql: Durations; toWon: Durations }) {
  return (
    <section class="report-part figures-row">
      <Figure title={t('dbTimeToMql')} d={toMql} testId="time-to-mql" />
      <Figure title={t('dbTimeToWon')} d={toWon} testId="time-to-won" />
    </section>
  );
}
