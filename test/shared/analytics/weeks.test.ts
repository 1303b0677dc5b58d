import { describe, expect, it } from 'vitest';
import { WEEK_MS, weekCounter, weekStart } from '../../../shared/analytics/weeks.ts';

describe('weeks', () => {
  it('start on Monday 00:00 UTC', () => {
    const monday = Date.UTC(2026, 0, 5);
    expect(weekStart(Date.UTC(2026, 0, 5, 0, 0, 0))).toBe(monday);
    expect(weekStart(Date.UTC(2026, 0, 11, 23, 59, 59))).toBe(monday);
    expect(weekStart(Date.UTC(2026, 0, 12))).toBe(monday + WEEK_MS);
    expect(weekStart(Date.UTC(1970, 0, 1, 12))).toBe(Date.UTC(1969, 11, 29));
  });

  it('count instants in the weeks up to now, leaving the rest out', () => {
    const now = Date.UTC(2026, 0, 14, 12);
    const c = weekCounter(now, 3);
    for (const t of [Date.UTC(2025, 11, 21), Date.UTC(2025, 11, 22), Date.UTC(2026, 0, 4, 23), Date.UTC(2026, 0, 5), Date.UTC(2026, 0, 14), Date.UTC(2026, 0, 15)]) c.add(t);
    c.add(undefined);
    expect(c.counts()).toEqual([
      { week: Date.UTC(2025, 11, 29), count: 1 },
      { week: Date.UTC(2026, 0, 5), count: 1 },
      { week: Date.UTC(2026, 0, 12), count: 1 },
    ]);
  });
});
