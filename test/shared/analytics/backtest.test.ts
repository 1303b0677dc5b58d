import { describe, expect, it } from 'vitest';
import { buildBacktest, createBacktest, MAX_MOVES } from '../../../shared/analytics/backtest.ts';
import { Backtest } from '../../../shared/contracts/marketing.ts';
import { page } from '../scoring/make-events.ts';
import { HOUR, NOW, fixtureLeads, fixtureModel, lead } from './history-fixture.ts';

const WEEK1 = Date.UTC(2026, 0, 5);
const WEEK2 = Date.UTC(2026, 0, 12);

describe('buildBacktest', () => {
  const live = fixtureModel();
  const lower = fixtureModel({ version: 2, thresholds: { ...live.thresholds, mql: { interest: 30, minGrade: 'C' } } });

  it('shows a lower MQL threshold giving more MQLs, its precision and recall, and the leads that move', () => {
    const bt = buildBacktest(fixtureLeads(), { live, draft: lower, now: NOW, weeks: 2 });
    expect(Backtest.parse(bt)).toEqual(bt);
    expect(bt.leads).toBe(5);
    // Live: MQL before the outcome for a (won) and c (lost); e's MQL is its win. Now at MQL or
    // beyond: a and e (customers) and c.
    expect(bt.live).toEqual({
      modelId: 'test',
      version: 1,
      mqlsPerWeek: [
        { week: WEEK1, count: 2 },
        { week: WEEK2, count: 1 },
      ],
      mqls: 3,
      precision: 0.5,
      recall: 0.5,
      auc: 0.625,
    });
    // Draft: a, b, c, e reach MQL on their first pricing view, all before their outcomes.
    expect(bt.draft).toEqual({
      modelId: 'test',
      version: 2,
      mqlsPerWeek: [
        { week: WEEK1, count: 4 },
        { week: WEEK2, count: 0 },
      ],
      mqls: 4,
      precision: 0.5,
      recall: 1,
      auc: 0.625,
    });
    // b, lost with interest 30, is back in nurture under the live model and an MQL under the draft.
    expect(bt.moves).toEqual([{ leadId: 'b', email: 'b@example.com', from: 'engaged', to: 'mql', liveInterest: 30, draftInterest: 30, liveFit: 30, draftFit: 30 }]);
    expect(bt.changed).toBe(1);
  });

  it('lists the biggest interest changes first and cuts the list, counting every move', () => {
    // k pricing views: live 30k (MQL from 2), draft 15k (MQL from 4). Leads with 2 or 3 views move.
    const half = fixtureModel({ version: 2, interestRules: [{ ...live.interestRules[0]!, points: 15 }] });
    const views = (k: number) => Array.from({ length: k }, (_, i) => page('/pricing', i * HOUR));
    const few = [1, 2, 3, 4, 5].map((k) => lead(`k${k}`, views(k)));
    const bt = buildBacktest(few, { live, draft: half, now: NOW, weeks: 2 });
    expect(bt.moves.map((m) => [m.leadId, m.from, m.to, m.liveInterest - m.draftInterest])).toEqual([
      ['k3', 'mql', 'engaged', 45],
      ['k2', 'mql', 'engaged', 30],
    ]);
    const many = createBacktest({ live, draft: half, now: NOW, weeks: 2 });
    for (let p = 0; p < 3; p++) many.add(Array.from({ length: 200 }, (_, i) => lead(`m${p}-${i}`, views(2))));
    const cut = many.finish();
    expect(cut.changed).toBe(600);
    expect(cut.moves).toHaveLength(MAX_MOVES);
    expect(cut.leads).toBe(600);
  });

  it('has no precision, recall or AUC without outcomes', () => {
    const bt = buildBacktest([lead('q', [page('/pricing', 0)])], { live, draft: lower, now: NOW, weeks: 1 });
    expect([bt.live.precision, bt.live.recall, bt.live.auc]).toEqual([null, null, null]);
  });
});
