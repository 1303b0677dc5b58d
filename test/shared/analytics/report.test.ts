import { describe, expect, it } from 'vitest';
import { buildReport, createReport, durations } from '../../../shared/analytics/report.ts';
import { Report } from '../../../shared/contracts/marketing.ts';
import { DAY, NOW, T0, fixtureLeads, fixtureModel } from './history-fixture.ts';

// Every figure below is worked out by hand from the table in history-fixture.ts.

const WEEK1 = Date.UTC(2026, 0, 5);
const WEEK2 = Date.UTC(2026, 0, 12);

describe('buildReport', () => {
  const model = fixtureModel();
  const draft = fixtureModel({ version: 2, thresholds: { ...model.thresholds, mql: { interest: 30, minGrade: 'C' } } });
  const report = buildReport(fixtureLeads(), {
    model,
    draft,
    now: NOW,
    weeks: 2,
    scorers: [{ name: 'oracle', score: (l) => (l.outcome ? (l.outcome.result === 'won' ? 1 : 0) : undefined) }],
  });

  it('parses with the contract and counts leads and outcomes', () => {
    expect(Report.parse(report)).toEqual(report);
    expect(report).toMatchObject({ modelId: 'test', modelVersion: 1, at: NOW, leads: 5, won: 2, lost: 2 });
  });

  it('counts leads first reaching MQL or beyond per week, under the model and its draft', () => {
    // a at 2h and c at 1d+1h in week 1; e becomes a customer (won) at 9d, in week 2.
    expect(report.mqlsPerWeek).toEqual([
      { week: WEEK1, count: 2 },
      { week: WEEK2, count: 1 },
    ]);
    // At 30, a, b, c and e are MQLs on their first pricing view, all in week 1.
    expect(report.draftMqlsPerWeek).toEqual([
      { week: WEEK1, count: 4 },
      { week: WEEK2, count: 0 },
    ]);
  });

  it('gives conversion per interest band and per stage, judged before the outcome', () => {
    expect(report.bands.map((b) => [b.label, b.leads, b.won, b.lost, b.conversion])).toEqual([
      ['< 20', 1, 0, 0, null],
      ['20–40', 2, 1, 1, 0.5],
      ['40–60', 0, 0, 0, null],
      ['60–80', 2, 1, 1, 0.5],
      ['80–100', 0, 0, 0, null],
      ['≥ 100', 0, 0, 0, null],
    ]);
    const stages = Object.fromEntries(report.stages.map((s) => [s.stage, [s.leads, s.won, s.lost]]));
    expect(stages).toEqual({ anonymous: [0, 0, 0], known: [1, 0, 0], engaged: [2, 1, 1], mql: [2, 1, 1], sales_ready: [0, 0, 0], customer: [0, 0, 0], disqualified: [0, 0, 0] });
  });

  it('measures days from the first visit to MQL and to won', () => {
    // To MQL: a 2h, c 25h, e 9 days (a customer counts as beyond MQL). To won: a 3, e 9.
    expect(report.timeToMql.count).toBe(3);
    expect(report.timeToMql.medianDays).toBeCloseTo(25 / 24, 10);
    expect(report.timeToMql.p75Days).toBeCloseTo(25 / 24 + (9 - 25 / 24) / 2, 10);
    expect(report.timeToWon).toEqual({ count: 2, medianDays: 6, p75Days: 7.5 });
  });

  it('ranks rules by how differently they score won and lost leads', () => {
    // Won a, e: ceo 50+0, email 30+30, pricing 60+30. Lost b, c: ceo 0, email 30+30, pricing 30+60.
    expect(report.topRules).toEqual([
      { rule: 'ceo', label: 'A CEO', wonMean: 25, lostMean: 0 },
      { rule: 'complete', label: 'Email known', wonMean: 30, lostMean: 30 },
      { rule: 'pricing', label: 'Visited pricing', wonMean: 45, lostMean: 45 },
    ]);
  });

  it('draws ROC and lift of interest × fit against outcomes, for the model, its draft and extra scorers', () => {
    // Scores (interest × fit / 100): won a 48, e 9; lost b 9, c 18. Pairs: a>b, a>c, e=b (half), e<c -> 2.5 of 4.
    expect(report.curves.map((c) => [c.scorer, c.auc])).toEqual([
      ['test v1', 0.625],
      ['test v2 (draft)', 0.625],
      ['oracle', 1],
    ]);
    const curve = report.curves[0]!;
    expect(curve.roc[0]).toEqual({ fpr: 0, tpr: 0 });
    expect(curve.roc.at(-1)).toEqual({ fpr: 1, tpr: 1 });
    // Best quarter is a (won): conversion 1 over 0.5 overall.
    expect(curve.lift.find((l) => l.depth === 0.2)!.lift).toBeCloseTo(2, 10);
  });

  it('gives the same report whether the leads come at once or in pages', () => {
    const paged = createReport({ model, draft, now: NOW, weeks: 2 });
    const leads = fixtureLeads();
    paged.add(leads.slice(0, 2));
    paged.add(leads.slice(2));
    const whole = buildReport(fixtureLeads(), { model, draft, now: NOW, weeks: 2 });
    expect(paged.finish()).toEqual(whole);
  });

  it('leaves out what happens after now', () => {
    const early = buildReport(fixtureLeads(), { model, now: T0 + 5 * DAY, weeks: 1 });
    // c's loss (8d) and e's win (9d) are in the future: only a and b have outcomes.
    expect([early.won, early.lost]).toEqual([1, 1]);
    expect(early.mqlsPerWeek).toEqual([{ week: WEEK1, count: 2 }]);
    expect(early.draftMqlsPerWeek).toBeUndefined();
    expect(early.timeToWon).toEqual({ count: 1, medianDays: 3, p75Days: 3 });
  });
});

describe('durations', () => {
  it('is empty without values and interpolates between ranks', () => {
    expect(durations([])).toEqual({ count: 0, medianDays: null, p75Days: null });
    expect(durations([4, 1, 3, 2])).toEqual({ count: 4, medianDays: 2.5, p75Days: 3.25 });
  });
});
