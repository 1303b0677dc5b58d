import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeadView } from '../../../shared/contracts/api.ts';
import { PredictiveStatus } from '../../../shared/contracts/marketing.ts';
import { PredictiveModel } from '../../../shared/predictive/predictive-model.ts';
import type { CommandIO } from '../../../server/cli/io.ts';
import { trainCommand } from '../../../server/cli/train.ts';
import { syntheticTable } from '../../shared/predictive/make-table.ts';
import { get, post, testServer, type TestServer } from '../harness.ts';
import { seedLeads } from '../predictive/predictive-leads.ts';

// `leadglow train`: a CSV with a label column or a positives file, --json, --out, and the
// server paths (--data trains on the stored leads, --install makes a saved model current).

const dir = mkdtempSync(join(tmpdir(), 'leadglow-train-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CommandIO = { out: (s) => void (stdout += s), err: { write: (s: string) => (stderr += s) }, now: () => Date.now(), env: {} };
  const code = await trainCommand(args, io);
  return { code, stdout, stderr };
}

const { rows, labels } = syntheticTable(500, 41);
const csv = join(dir, 'leads.csv');
writeFileSync(csv, ['id,x,origin,noise,result', ...rows.map((r, i) => [`L${i}`, r.x, r.origin, r.noise, labels[i] ? 'won' : 'lost'].join(','))].join('\n'));

describe('leadglow train --csv', () => {
  it('prints one JSON object with --json: AUC, log loss, folds, baseline, rows, positives', async () => {
    const r = await cli(['--csv', csv, '--label', 'result', '--json']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const out = JSON.parse(lines[0]!);
    expect(out.rows).toBe(500);
    expect(out.positives).toBe(labels.filter((y) => y === 1).length);
    expect(out.folds).toHaveLength(5);
    for (const f of out.folds) {
      expect(f).toEqual({
        rows: expect.any(Number),
        positives: expect.any(Number),
        auc: expect.any(Number),
        logLoss: expect.any(Number),
        baselineAuc: expect.any(Number),
        baselineLogLoss: expect.any(Number),
        logisticAuc: expect.any(Number),
        treesAuc: expect.any(Number),
      });
      // The fold's figure is the chosen family's.
      expect(f.auc).toBe(out.family === 'trees' ? f.treesAuc : f.logisticAuc);
    }
    expect(out.families.map((f: { family: string }) => f.family)).toEqual(['logistic', 'trees']);
    expect(out.excluded).toEqual([{ column: 'id', why: 'identifier' }]);
    expect(out.auc).toBeGreaterThan(0.75);
    expect(out.baselineAuc).toBeGreaterThan(0.7);
    expect(out.logLoss).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/training/);
  });

  it('prints a table with the folds, the means and the baseline', async () => {
    const r = await cli(['--csv', csv, '--label', 'result', '--folds', '3', '--seed', '7']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/stratified 3-fold cross-validation, seed 7/);
    expect(r.stdout).toMatch(/id \(left out\)/);
    expect(r.stdout).toMatch(/^chosen: (logistic regression|gradient-boosted trees) \(AUC 0\.\d{3}/m);
    expect(r.stdout).toMatch(/calibration \(Platt scaling on out-of-fold scores\)/);
    expect(r.stdout).toMatch(/ours vs baseline .* AUC 0\.\d{3} vs 0\.\d{3}/);
    expect(r.stdout).toMatch(/^mean /m);
  });

  it('labels rows by a second file: 1 when the key appears there', async () => {
    const mqls = join(dir, 'mqls.csv');
    const deals = join(dir, 'deals.csv');
    writeFileSync(mqls, ['mql_id,x,origin', ...rows.map((r, i) => `m${i},${r.x},${r.origin}`)].join('\n'));
    writeFileSync(deals, ['mql_id,won_date', ...rows.flatMap((_, i) => (labels[i] ? [`m${i},2018-01-01`] : []))].join('\n'));
    const r = await cli(['--csv', mqls, '--positives', deals, '--key', 'mql_id', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.positives).toBe(labels.filter((y) => y === 1).length);
    expect(out.rows).toBe(500);
  });

  it('saves the model with --out, and refuses to install one the server cannot feed', async () => {
    const file = join(dir, 'model.json');
    const r = await cli(['--csv', csv, '--label', 'result', '--out', file, '--json']);
    expect(r.code).toBe(0);
    const model = PredictiveModel.parse(JSON.parse(readFileSync(file, 'utf8')));
    expect(model.evaluation.auc).toBe(JSON.parse(r.stdout).auc);
    const refused = await cli(['--install', file, '--data', join(dir, 'nowhere')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/"x", "origin", "noise"/);
  });

  it('explains a wrong column or a missing label', async () => {
    const wrong = await cli(['--csv', csv, '--label', 'won']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/no column "won"; its columns are "id", "x", "origin", "noise", "result"/);
    const none = await cli(['--csv', csv]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/expected --label COLUMN/);
  });
});

describe('leadglow train on the server data', () => {
  let s: TestServer;
  const now = Date.now();
  const leads = seedLeads(40, 5, now - 86_400_000);
  beforeAll(async () => {
    s = await testServer('sqlite', undefined);
    for (const l of leads) await post(s.url, { events: l.events.map((e) => ({ ...e, site: s.siteKey })) });
    for (const l of leads) {
      await fetch(`${s.url}/v1/track`, {
        method: 'POST',
        headers: { authorization: `Bearer ${s.admin}`, 'content-type': 'application/json' },
        body: JSON.stringify({ email: l.email, outcome: { result: l.won ? 'won' : 'lost', at: now - 3_600_000 } }),
      });
    }
  }, 60_000);
  afterAll(async () => {
    await s?.cleanup();
  });

  it('trains on the stored leads with --data, keeps the model, --install makes a saved one current, and a lead says why it shows no probability yet', async () => {
    const file = join(dir, 'server-model.json');
    const r = await cli(['--data', s.options.dataDir!, '--json', '--out', file]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ rows: 40, positives: 20, accepted: true });
    const status = PredictiveStatus.parse((await get(s.url, s.admin, '/v1/predictive')).json);
    const saved = PredictiveModel.parse(JSON.parse(readFileSync(file, 'utf8')));
    expect(status.current!.id).toBe(saved.id);

    const installed = await cli(['--install', file, '--data', s.options.dataDir!]);
    expect(installed.code).toBe(0);
    const after = PredictiveStatus.parse((await get(s.url, s.admin, '/v1/predictive')).json);
    expect(after.lastRun!.reason).toMatch(/installed from/);
    const lead = LeadView.parse((await get(s.url, s.rep, `/v1/leads?email=${encodeURIComponent(leads[0]!.email)}`)).json).lead;
    // 20 won and 20 lost: the model is current, but has not earned a probability under a rep's lead.
    expect(lead.predicted).toBeUndefined();
    expect(lead.predictionWithheld).toEqual({ reason: 'outcomes', won: 20, lost: 20, needed: 50 });
  });
});
