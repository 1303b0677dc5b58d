import type { WeekCount } from '../../../shared/contracts/marketing.ts';
import { t } from '../../i18n.ts';
import { BarChart } from '../charts/BarChart.tsx';
import { weekLabel } from '../format.ts';

// MQLs per week as bars; a second series (the draft, or the backtest's draft) as a line over them.

type Props = { title: string; weeks: readonly WeekCount[]; other?: readonly WeekCount[] | undefined; mainName: string; otherName?: string; testId?: string };

export function MqlWeeks({ title, weeks, other, mainName, otherName = '', testId }: Props) {
  const bars = weeks.map((w) => ({ key: String(w.week), tick: weekLabel(w.week), value: w.count, title: t('dbWeekMqls', [weekLabel(w.week), w.count, mainName]) }));
  const overlay = other
    ? { name: otherName, points: other.map((w) => ({ key: String(w.week), value: w.count, title: t('dbWeekMqls', [weekLabel(w.week), w.count, otherName]) })) }
    : undefined;
  return (
    <section class="report-part">
      <h3>{title}</h3>
      {weeks.length ? (
        <BarChart label={title} bars={bars} overlay={overlay} legend={other ? t('dbLegendBarsLine', [mainName, otherName]) : mainName} testId={testId} />
      ) : (
        <p class="muted">{t('dbNoMqls')}</p>
      )}
    </section>
  );
}
