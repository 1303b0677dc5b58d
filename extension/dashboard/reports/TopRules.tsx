import type { RuleContribution } from '../../../shared/contracts/marketing.ts';
import { ruleName } from '../../../shared/scoring/wording.ts';
import { t, words } from '../../i18n.ts';
import { PairedBars } from '../charts/PairedBars.tsx';
import { short } from '../format.ts';

// Which rules give won leads more points than lost ones: mean points per lead, side by side.

export function TopRules({ rules }: { rules: readonly RuleContribution[] }) {
  const title = t('dbTopRules');
  const rows = rules.map((r) => {
    const label = ruleName(r.label, words);
    return { key: r.rule, label, a: r.wonMean, b: r.lostMean, titleA: t('dbRuleWon', [label, short(r.wonMean)]), titleB: t('dbRuleLost', [label, short(r.lostMean)]) };
  });
  return (
    <section class="report-part">
      <h3>{title}</h3>
      {rows.length ? (
        <>
          <PairedBars label={title} rows={rows} testId="top-rules" />
          <p class="small muted">
            <span class="swatch series-0" aria-hidden="true" /> {t('dbWon')} <span class="swatch series-1" aria-hidden="true" /> {t('dbLost')}
          </p>
        </>
      ) : (
        <p class="muted">{t('dbNoData')}</p>
      )}
    </section>
  );
}
