import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../shared/contracts/api.ts';
import { Backtest, Report } from '../../../shared/contracts/marketing.ts';
import { Model, type ModelInput } from '../../../shared/contracts/model.ts';
import { answer, BACKENDS, ev, get, post, testServer, usePostgres, type TestServer } from '../harness.ts';

// Reports and backtests through the API on both backends, over a small history whose figures
// are worked out by hand (the same table as test/shared/analytics/history-fixture.ts, placed
// relative to now). Interest does not decay in this model, so the numbers stay round.

const pg = usePostgres();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const MODEL: ModelInput = {
  id: 'test',
  name: 'Test model',
  version: 1,
  halfLifeDays: 10,
  fitRules: [
    { id: 'complete', kind: 'complete', label: 'Email known', points: 30, fields: ['email'] },
    { id: 'ceo', kind: 'attribute', label: 'A CEO', points: 50, match: { op: 'pattern', attribute: 'jobTitle', regex: '\\bceo\\b' } },
  ],
  interestRules: [{ id: 'pricing', label: 'Visited pricing', when: { types: ['page_view'], path: '/pricing' }, points: 30, repeat: 'every', decays: false }],
  negativeRules: [],
  caps: { interestMax: 1000, interestFloor: 0 },
  thresholds: { grades: { A: 75, B: 50, C: 25 }, engaged: 10, mql: { interest: 50, minGrade: 'C' } },
  handRaise: [],
};
const LOWER = { ...MODEL, version: 2, thresholds: { ...MODEL.thresholds, mql: { interest: 30, minGrade: 'C' } } };

async function send(s: TestServer, method: string, path: string, token: string, body?: unknown) {
  const json = body === undefined ? {} : { headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) };
  return answer(await fetch(`${s.url}${path}`, { method, headers: { authorization: `Bearer ${token}` }, ...json }));
}

const sum = (weeks: { count: number }[]) => weeks.reduce((n, w) => n + w.count, 0);

describe.each(BACKENDS)('reports and backtests on %s', (backend) => {
  let s: TestServer;
  const now = Date.now();
  beforeAll(async () => {
    s = await testServer(backend, pg);
    expect((await send(s, 'POST', '/v1/models', s.admin, MODEL)).status).toBe(201);
    // ago: how long before now; the table is in history-fixture.ts (T0 = now - 10 days).
    const t0 = 10 * DAY;
    const leads: { id: string; ceo?: boolean; identify: number; pricing: number[]; outcome?: ['won' | 'lost', number] }[] = [
      { id: 'a', ceo: true, identify: 0, pricing: [HOUR, 2 * HOUR], outcome: ['won', 3 * DAY] },
      { id: 'b', identify: DAY, pricing: [DAY + HOUR], outcome: ['lost', 4 * DAY] },
      { id: 'c', identify: 0, pricing: [DAY, DAY + HOUR], outcome: ['lost', 8 * DAY] },
      { id: 'd', ceo: true, identify: 8 * DAY, pricing: [] },
      { id: 'e', identify: 0, pricing: [HOUR], outcome: ['won', 9 * DAY] },
    ];
    const events = leads.flatMap((l) => [
      ev(s.siteKey, `anon-${l.id}`, 'identify', t0 - l.identify, { traits: { email: `${l.id}@bigco.com`, ...(l.ceo ? { jobTitle: 'CEO' } : {}) }, source: 'form' }),
      ...l.pricing.map((dt) => ev(s.siteKey, `anon-${l.id}`, 'page_view', t0 - dt, { url: 'https://acme.test/pricing' })),
    ]);
    const r = await post(s.url, { events });
    expect(r.json.accepted).toBe(events.length);
    for (const l of leads) {
      if (!l.outcome) continue;
      const t = await send(s, 'POST', '/v1/track', s.admin, { email: `${l.id}@bigco.com`, outcome: { result: l.outcome[0], at: now - t0 + l.outcome[1] } });
      expect(t.status).toBe(200);
    }
  }, 60_000);
  afterAll(async () => {
    await s?.cleanup();
  });

  it('asks for an admin token and names bad parameters', async () => {
    expect((await get(s.url, undefined, '/v1/reports')).status).toBe(401);
    expect((await get(s.url, s.rep, '/v1/reports')).status).toBe(403);
    expect((await send(s, 'POST', '/v1/backtest', s.rep, { draft: LOWER })).status).toBe(403);
    const weeks = await get(s.url, s.admin, '/v1/reports?model=test&weeks=0');
    expect(weeks.status).toBe(400);
    expect(weeks.json.error).toMatch(/^weeks: /);
    const model = await get(s.url, s.admin, '/v1/reports?model=nope');
    expect(model.status).toBe(404);
    expect(model.json.error).toMatch(/^model: /);
  });

  it('reports a model against outcomes with the hand-computed figures', async () => {
    const r = await get(s.url, s.admin, '/v1/reports?model=test&weeks=4');
    expect(r.status).toBe(200);
    const report = Report.parse(r.json);
    expect(report).toMatchObject({ modelId: 'test', modelVersion: 1, leads: 5, won: 2, lost: 2 });
    expect(report.mqlsPerWeek).toHaveLength(4);
    for (const w of report.mqlsPerWeek) expect(new Date(w.week).getUTCDay()).toBe(1);
    // a and c reach MQL, e becomes a customer.
    expect(sum(report.mqlsPerWeek)).toBe(3);
    expect(report.draftMqlsPerWeek).toBeUndefined();
    expect(report.bands.map((b) => [b.label, b.leads, b.won, b.lost])).toEqual([
      ['< 20', 1, 0, 0],
      ['20–40', 2, 1, 1],
      ['40–60', 0, 0, 0],
      ['60–80', 2, 1, 1],
      ['80–100', 0, 0, 0],
      ['≥ 100', 0, 0, 0],
    ]);
    const stages = Object.fromEntries(report.stages.map((x) => [x.stage, x.leads]));
    expect(stages).toMatchObject({ known: 1, engaged: 2, mql: 2, customer: 0 });
    // The harness stamps events when it makes them, moments after `now`.
    expect(report.timeToWon.count).toBe(2);
    expect(report.timeToWon.medianDays).toBeCloseTo(6, 2);
    expect(report.timeToWon.p75Days).toBeCloseTo(7.5, 2);
    expect(report.timeToMql.count).toBe(3);
    expect(report.timeToMql.medianDays).toBeCloseTo(25 / 24, 6);
    expect(report.topRules[0]).toEqual({ rule: 'ceo', label: 'A CEO', wonMean: 25, lostMean: 0 });
    expect(report.curves.map((c) => [c.scorer, c.auc])).toEqual([['test v1', 0.625]]);
  });

  it('puts the stored draft beside the model', async () => {
    const put = await send(s, 'PUT', '/v1/models/test/draft', s.admin, LOWER);
    expect(put.json).toEqual({ id: 'test', version: 2 });
    const report = Report.parse((await get(s.url, s.admin, '/v1/reports?model=test&weeks=4')).json);
    expect(sum(report.draftMqlsPerWeek!)).toBe(4);
    expect(report.curves.map((c) => c.scorer)).toEqual(['test v1', 'test v2 (draft)']);
    expect((await send(s, 'DELETE', '/v1/models/test/draft', s.admin)).status).toBe(200);
  });

  it('backtests a draft with a lower MQL threshold: more MQLs, its precision and recall, and who moves', async () => {
    const r = await send(s, 'POST', '/v1/backtest', s.admin, { draft: LOWER, weeks: 4 });
    expect(r.status).toBe(200);
    const bt = Backtest.parse(r.json);
    expect(bt.leads).toBe(5);
    expect({ ...bt.live, mqlsPerWeek: sum(bt.live.mqlsPerWeek) }).toEqual({ modelId: 'test', version: 1, mqlsPerWeek: 3, mqls: 3, precision: 0.5, recall: 0.5, auc: 0.625 });
    expect({ ...bt.draft, mqlsPerWeek: sum(bt.draft.mqlsPerWeek) }).toEqual({ modelId: 'test', version: 2, mqlsPerWeek: 4, mqls: 4, precision: 0.5, recall: 1, auc: 0.625 });
    expect(bt.moves).toMatchObject([{ email: 'b@bigco.com', from: 'engaged', to: 'mql', liveInterest: 30, draftInterest: 30, liveFit: 30, draftFit: 30 }]);
    expect(bt.changed).toBe(1);
  });

  it('answers reports and backtests asked at once', async () => {
    const [a, b, c] = await Promise.all([
      get(s.url, s.admin, '/v1/reports?model=test&weeks=4'),
      send(s, 'POST', '/v1/backtest', s.admin, { draft: LOWER, weeks: 4 }),
      get(s.url, s.admin, '/v1/reports?model=test&weeks=4'),
    ]);
    expect([a.status, b.status, c.status]).toEqual([200, 200, 200]);
    expect({ ...Report.parse(c.json), at: 0 }).toEqual({ ...Report.parse(a.json), at: 0 });
    expect(Backtest.parse(b.json).changed).toBe(1);
  });

  it('answers an invalid backtest with every problem at its field', async () => {
    const bad = Model.parse(LOWER);
    const r = await send(s, 'POST', '/v1/backtest', s.admin, { draft: { ...bad, interestRules: [{ ...bad.interestRules[0], points: 'many' }] }, weeks: 4 });
    expect(r.status).toBe(400);
    expect(ApiError.parse(r.json).details).toEqual([expect.stringMatching(/^interestRules\.0\.points: /)]);
    const weeks = await send(s, 'POST', '/v1/backtest', s.admin, { draft: LOWER, weeks: 0 });
    expect(weeks.json.details).toEqual([expect.stringMatching(/^weeks: /)]);
    const extra = await send(s, 'POST', '/v1/backtest', s.admin, { draft: LOWER, weeks: 4, live: 1 });
    expect(extra.json.details).toEqual(['(root): unknown field "live"']);
    const other = await send(s, 'POST', '/v1/backtest', s.admin, { draft: { ...LOWER, id: 'unknown-model' } });
    expect(other.status).toBe(400);
    expect(other.json.details).toEqual(['id: no live model "unknown-model" to compare the draft with']);
  });
});
