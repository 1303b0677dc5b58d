import type { WeekCount } from '../contracts/marketing.ts';
import { DAY_MS } from '../scoring/decay.ts';

// Weekly series for reports: weeks start on Monday 00:00 UTC (the contracts' WeekCount), and a
// series covers the `weeks` weeks up to and including the one `now` is in.

export const WEEK_MS = 7 * DAY_MS;

/** Monday 00:00 UTC of the week `t` is in. */
export function weekStart(t: number): number {
  const day = Math.floor(t / DAY_MS);
  // 1970-01-01 was a Thursday: day 0 is three days after a Monday.
  const sinceMonday = (((day + 3) % 7) + 7) % 7;
  return (day - sinceMonday) * DAY_MS;
}

export type WeekCounter = { add(at: number | undefined): void; counts(): WeekCount[] };

/** Counts instants per week; instants outside the series (before it, or after `now`) are left out. */
export function weekCounter(now: number, weeks: number): WeekCounter {
  const last = weekStart(now);
  const first = last - (weeks - 1) * WEEK_MS;
  const counts = new Array<number>(weeks).fill(0);
  return {
    add(at) {
      if (at === undefined || at < first || at > now) return;
      counts[Math.floor((at - first) / WEEK_MS)]!++;
    },
    counts: () => counts.map((count, i) => ({ week: first + i * WEEK_MS, count })),
  };
}
