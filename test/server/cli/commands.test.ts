import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backtestCommand } from '../../../server/cli/backtest.ts';
import type { CommandIO } from '../../../server/cli/io.ts';
import { reportCommand } from '../../../server/cli/report.ts';
import { trainCommand } from '../../../server/cli/train.ts';
import { seedDemo } from '../../../server/demo/seed.ts';
import { Backtest, Report } from '../../../shared/contracts/marketing.ts';
import { defaultModel } from '../../../shared/scoring/index.ts';
import { testServer, type TestServer } from '../harness.ts';

// `leadglow report` and `leadglow backtest` on the seeded demo store (300 leads, 90 days, won
// and lost deals), called as functions with their output captured.

const ORIGIN = 'http://127.0.0.1:8788';

function capture(env: Record<string, string | undefined> = {}): CommandIO & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    out: (t) => void (out += t),
    err: { write: (t: string) => void (err += t), isTTY: false },
    env,
    now: Date.now,
    stdout: () => out,
    stderr: () => err,
  };
}

describe('report and backtest commands on the demo seed', () => {
  let server: TestServer;
  let dir: string;
  let files: string;
  let storedMqls: number;
  let reportAuc: number | null = null;
  beforeAll(async () => {
    server = await testServer('sqlite', undefined);
    const siteKey = await server.createKey({ role: 'site', site: 'demo', origins: [ORIGIN] });
    await seedDemo({ url: server.url, db: server.db, siteKey, adminToken: server.admin, origin: ORIGIN }, { seed: 1 });
    const rows = await server.db.read.selectFrom('lead_scores').select('stage').where('model_id', '=', defaultModel.id).execute();
    storedMqls = rows.filter((r) => ['mql', 'sales_ready', 'customer'].includes(r.stage)).length;
    dir = server.options.dataDir!;
    await server.close();
    files = mkdtempSync(join(tmpdir(), 'leadglow-cmd-'));
  }, 120_000);
  afterAll(async () => {
    await server?.cleanup();
    rmSync(files, { recursive: true, force: true });
  });

  it('reports the live model as one JSON object, with a progress line on stderr', async () => {
    const io = capture();
    expect(await reportCommand(['--data', dir, '--weeks', '13', '--json'], io)).toBe(0);
    const lines = io.stdout().trim().split('\n');
    expect(lines).toHaveLength(1);
    const report = Report.parse(JSON.parse(lines[0]!));
    expect(report).toMatchObject({ modelId: defaultModel.id, leads: 300 });
    expect(report.won).toBeGreaterThan(5);
    expect(report.lost).toBeGreaterThan(5);
    expect(report.mqlsPerWeek).toHaveLength(13);
    expect(report.mqlsPerWeek.reduce((n, w) => n + w.count, 0)).toBeGreaterThan(10);
    expect(report.bands.reduce((n, b) => n + b.leads, 0)).toBe(300);
    expect(report.stages.reduce((n, b) => n + b.leads, 0)).toBe(300);
    // The demo's won and lost leads behave alike (both raise a hand), so no claim about the
    // figure itself; it is the backtest's, from the same replay.
    reportAuc = report.curves[0]!.auc;
    expect(reportAuc).toBeGreaterThan(0);
    expect(reportAuc).toBeLessThan(1);
    expect(report.timeToWon.count).toBe(report.won);
    expect(io.stderr()).toMatch(/^report .*done: 300/m);
  });

  it('prints tables by default', async () => {
    const io = capture();
    expect(await reportCommand(['--data', dir, '--weeks', '4'], io)).toBe(0);
    const text = io.stdout();
    expect(text).toMatch(/^Report: b2b-starter v1, 300 leads \(\d+ won, \d+ lost\)/);
    expect(text).toMatch(/^MQLs per week\s+model$/m);
    expect(text.match(/^\d{4}-\d{2}-\d{2}\s+\d+$/gm)).toHaveLength(4);
    expect(text).toMatch(/^b2b-starter v1\s+0\.\d{3}\s+/m);
    expect(text).toMatch(/^From first visit to won: median \d+\.\d d/m);
  });

  it('backtests the live model against itself: no moves, and the stages the server stored', async () => {
    const same = join(files, 'same.json');
    writeFileSync(same, JSON.stringify({ ...defaultModel, version: 2 }));
    const io = capture();
    expect(await backtestCommand(['--data', dir, '--draft', same, '--json'], io)).toBe(0);
    const bt = Backtest.parse(JSON.parse(io.stdout()));
    expect(bt.changed).toBe(0);
    expect(bt.moves).toEqual([]);
    expect({ ...bt.draft, version: 1 }).toEqual(bt.live);
    // Replaying every history gives the stages the server reached event by event.
    expect(bt.live.mqls).toBe(storedMqls);
    expect(bt.live.auc).toBe(reportAuc);
    expect(io.stderr()).toMatch(/^backtest .*done: 300/m);
  });

  it('backtests a lower MQL threshold: more MQLs, and exactly the engaged leads between the thresholds move', async () => {
    const lower = join(files, 'lower.json');
    writeFileSync(lower, JSON.stringify({ ...defaultModel, version: 2, thresholds: { ...defaultModel.thresholds, mql: { interest: 40, minGrade: 'C' } } }));
    const io = capture();
    expect(await backtestCommand(['--data', dir, '--draft', lower, '--weeks', '13', '--json'], io)).toBe(0);
    const bt = Backtest.parse(JSON.parse(io.stdout()));
    expect(bt.draft.mqls).toBe(bt.live.mqls + bt.changed);
    expect(bt.changed).toBeGreaterThan(0);
    for (const m of bt.moves) {
      expect([m.from, m.to]).toEqual(['engaged', 'mql']);
      expect(m.draftInterest).toBeGreaterThanOrEqual(40);
      expect(m.draftInterest).toBeLessThan(60);
    }
    const sum = (w: { count: number }[]) => w.reduce((n, x) => n + x.count, 0);
    expect(sum(bt.draft.mqlsPerWeek)).toBeGreaterThan(sum(bt.live.mqlsPerWeek));
    expect(bt.draft.recall!).toBeGreaterThanOrEqual(bt.live.recall!);

    const text = capture();
    expect(await backtestCommand(['--data', dir, '--draft', lower], text)).toBe(0);
    expect(text.stdout()).toMatch(new RegExp(`^${bt.changed} leads? would change stage`, 'm'));
    expect(text.stdout()).toMatch(/^MQL or beyond now\s+\d+\s+\d+$/m);
    expect(text.stdout()).toMatch(/Engaged → MQL/);
  });

  it('names what is wrong with the arguments or the draft, and changes nothing', async () => {
    const weeks = capture();
    expect(await reportCommand(['--data', dir, '--weeks', '0'], weeks)).toBe(1);
    expect(weeks.stderr()).toMatch(/^--weeks: expected a number of weeks from 1 to 260/);
    const model = capture();
    expect(await reportCommand(['--data', dir, '--model', 'nope'], model)).toBe(1);
    expect(model.stderr()).toMatch(/^--model: no live model "nope" \(live: b2b-starter\)/);
    const missing = capture();
    expect(await backtestCommand(['--data', dir], missing)).toBe(1);
    expect(missing.stderr()).toMatch(/^--draft: expected a model file/);
    const bad = join(files, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...defaultModel, interestRules: [{ ...defaultModel.interestRules[0], points: 'x' }], halfLifeDays: 0 }));
    const invalid = capture();
    expect(await backtestCommand(['--data', dir, '--draft', bad], invalid)).toBe(1);
    expect(invalid.stderr()).toMatch(/^ {2}interestRules\[0\]\.points: /m);
    expect(invalid.stderr()).toMatch(/^ {2}halfLifeDays: /m);
    const other = join(files, 'other.json');
    writeFileSync(other, JSON.stringify({ ...defaultModel, id: 'elsewhere' }));
    const unknown = capture();
    expect(await backtestCommand(['--data', dir, '--draft', other], unknown)).toBe(1);
    expect(unknown.stderr()).toMatch(/id "elsewhere" is not a live model/);
    const flag = capture();
    expect(await reportCommand(['--data', dir, '--bogus'], flag)).toBe(1);
    expect(flag.stderr()).toMatch(/bogus/);
    expect(flag.stdout()).toBe('');
  });

  it('adds the predictive model\'s curve once one is trained, over leads decided after its training only (never in-sample)', async () => {
    const train = capture();
    const code = await trainCommand(['--data', dir, '--json'], train);
    expect(code, train.stderr()).toBe(0);
    const io = capture();
    expect(await reportCommand(['--data', dir, '--json'], io)).toBe(0);
    const report = Report.parse(JSON.parse(io.stdout()));
    expect(report.curves.map((c) => c.scorer)).toEqual(['b2b-starter v1', 'predictive (leads decided after it was trained)']);
    // Every outcome here was decided before the model was trained: the model has seen them all,
    // so none is scored, and there is no curve to flatter it.
    const predictive = report.curves[1]!;
    expect(predictive.auc).toBeNull();
    expect(predictive.roc).toEqual([{ fpr: 0, tpr: 0 }]);
    expect(report.curves[0]!.auc).toBe(reportAuc);
  });
});
