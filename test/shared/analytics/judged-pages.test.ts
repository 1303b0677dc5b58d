import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { backtestJudge, buildBacktest, createBacktest, type BacktestOptions } from '../../../shared/analytics/backtest.ts';
import type { HistoryLead } from '../../../shared/analytics/replay.ts';
import { buildReport, createReport, reportJudge, type ReportOptions } from '../../../shared/analytics/report.ts';
import { seededRandom, shuffled } from '../../../shared/random.ts';
import { defaultModel } from '../../../shared/scoring/index.ts';
import { changedModel, demoLeads } from './demo-leads.ts';

// Reports and backtests run over several workers: each judges the pages it is given, with its own
// judge, in whatever order they finish, and one builder takes the judged pages in page order
// (server/read/analytics-runs.ts). That must give exactly what one builder adding every lead
// gives, whoever judged which page. And both must give what reports and backtests gave before
// leads were judged apart from being counted: the digests below were taken from the code before
// that change (commit f5ea85f), over the same demo leads.

const NOW = Date.UTC(2026, 10, 20);
const leads = demoLeads(NOW, 400);
const scorer = { name: 'events', score: (l: HistoryLead) => (l.events.length % 7 === 0 ? undefined : l.events.length) };
const reportOptions: ReportOptions = { model: defaultModel, draft: changedModel, now: NOW, weeks: 13, scorers: [scorer] };
const backtestOptions: BacktestOptions = { live: defaultModel, draft: changedModel, now: NOW, weeks: 13 };
const digest = (v: unknown) => createHash('sha256').update(JSON.stringify(v)).digest('hex');

/** Leads cut into pages of random sizes (1 to 40), judged in a random order by `workers` judges made apart. */
function judgedInPages<J>(makeJudge: () => (lead: HistoryLead) => J, seed: number, workers: number): J[][] {
  const random = seededRandom(seed);
  const pages: HistoryLead[][] = [];
  for (let i = 0; i < leads.length; ) {
    const size = 1 + Math.floor(random() * 40);
    pages.push(leads.slice(i, i + size));
    i += size;
  }
  const judges = Array.from({ length: workers }, makeJudge);
  const answers = new Array<J[]>(pages.length);
  for (const k of shuffled([...pages.keys()], random)) answers[k] = pages[k]!.map(judges[Math.floor(random() * workers)]!);
  return answers;
}

describe('reports and backtests judged in pages', () => {
  it('give what they gave before judging and counting were apart', () => {
    expect(leads.length).toBeGreaterThan(500);
    expect(leads.filter((l) => l.outcome).length).toBeGreaterThan(50);
    expect(digest(buildReport(leads, reportOptions))).toBe('f20147d935ec678f4430621a9276861a2961adb9589d0123c9c4055d0aff327c');
    expect(digest(buildReport(leads, { model: changedModel, now: NOW, weeks: 26 }))).toBe('43f023482b60c6dfab1f760b71a0dc5dc13613b20dd30f7eed1853b14aff14ec');
    expect(digest(buildBacktest(leads, backtestOptions))).toBe('4d7fab94b66f00ab8ec82fa7eec02038943f368754853c9c6e6f7b38cb08e1c8');
  });

  it.each([1, 2, 3, 4, 5])('give one builder’s report over random pages, workers and finishing order (seed %i)', (seed) => {
    const whole = buildReport(leads, reportOptions);
    const builder = createReport(reportOptions);
    for (const page of judgedInPages(() => reportJudge(reportOptions), seed, 1 + (seed % 3))) builder.take(page);
    expect(builder.finish()).toEqual(whole);
    // What could differ is there: rules summed over won and lost leads, curves with ties.
    expect(whole.topRules.length).toBeGreaterThan(3);
    expect(whole.curves.length).toBe(3);
  });

  it.each([1, 2, 3, 4, 5])('give one builder’s backtest over random pages, workers and finishing order (seed %i)', (seed) => {
    const whole = buildBacktest(leads, backtestOptions);
    const builder = createBacktest(backtestOptions);
    for (const page of judgedInPages(() => backtestJudge(backtestOptions), seed, 1 + (seed % 3))) builder.take(page);
    expect(builder.finish()).toEqual(whole);
    expect(whole.changed).toBeGreaterThan(3);
  });
});
