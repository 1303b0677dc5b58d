import type { WeekCount } from '../../../shared/contracts/marketing.ts';
import { t } from '../../i18n.ts';
import { BarChart } from '../charts/BarChart.tsx';
import { count, weekLabel } from '../format.ts';

// MQLs per week as bars; a second series (the draft, or the backtest's draft) as a line over them.

type Props = { title: string; weeks: readonly WeekCount[]; other?: readonly WeekCount[] | undefined; mainName: string; otherName?: string; testId?: string };

/** Weeks before the first MQL in either series say nothing: the chart starts at the data (at least `keep` weeks). */
export function fitToData(weeks: readonly WeekCount[], other: readonly WeekCount[] | undefined, keep = 4): number {
  const first = weeks.findIndex((w, i) => w.count > 0 || (other?.[i]?.count ?? 0) > 0);
  return first < 0 ? Math.max(0, weeks.length - keep) : Math.min(first, Math.max(0, weeks.length - keep));
}

export function MqlWeeks({ title, weeks: all, other: allOther, mainName, otherName = '', testId }: Props) {
  const from = fitToData(all, allOther);
  const weeks = all.slice(from);
  const other = allOther?.slice(from);
  const bars = weeks.map((w) => ({ key: String(w.week), tick: weekLabel(w.week), value: w.count, title: t('dbWeekMqls', [weekLabel(w.week), count(w.count), mainName]) }));
  const overlay = other
    ? { name: otherName, points: other.map((w) => ({ key: String(w.week), value: w.count, title: t('dbWeekMqls', [weekLabel(w.week), count(w.count), otherName]) })) }
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
