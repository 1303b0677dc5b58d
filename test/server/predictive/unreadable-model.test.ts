import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LeadView } from '../../../shared/contracts/api.ts';
import { PredictiveStatus } from '../../../shared/contracts/marketing.ts';
import { english, wordRunWhy } from '../../../shared/scoring/wording.ts';
import { openDatabase } from '../../../server/db/open.ts';
import { currentPrediction, logPredictionLoads } from '../../../server/predictive/current.ts';
import { runRecord } from '../../../server/predictive/service.ts';
import { currentForTraining, readCurrentModel, recordRun } from '../../../server/predictive/store.ts';
import { trainFromLeads } from '../../../server/predictive/training.ts';
import { ev, get, post, testServer } from '../harness.ts';
import { rawLeads, seedLeads } from './predictive-leads.ts';

// A stored current model that does not decode is not silently "no model": lead reads log it
// with the run id and the reason (once, not on every reload), GET /v1/predictive says why
// (`currentUnreadable`), and the next training run is judged as the first, so that an accepted
// run replaces it.

const NOW = Date.UTC(2025, 5, 1);
const leads = rawLeads(seedLeads(60, 2, NOW), NOW);

function trained(id: string) {
  const r = trainFromLeads({ id, now: NOW, leads, current: null, folds: 3, seed: 0 });
  if (!r.ok) throw new Error(wordRunWhy(r.why, english));
  return r;
}

/** A stored model as a release that named its fields differently might have left it. */
function spoil(text: string): string {
  const { names, ...rest } = JSON.parse(text) as Record<string, unknown>;
  return JSON.stringify({ ...rest, columns: names });
}

describe('a current predictive model that does not decode', () => {
  it('is logged once with its run and reason by lead reads, which then get no probability', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'leadglow-unreadable-'));
    const db = await openDatabase({ dataDir: dir });
    try {
      const run = runRecord('run-a', NOW, trained('run-a'));
      expect(run.status).toBe('current');
      await db.write.transaction().execute((trx) => recordRun(trx, run));
      expect((await readCurrentModel(db.read)).kind).toBe('ok');

      const row = await db.read.selectFrom('predictive_models').select('model').where('id', '=', 'run-a').executeTakeFirstOrThrow();
      await db.write.updateTable('predictive_models').set({ model: spoil(row.model!) }).where('id', '=', 'run-a').execute();
      const read = await readCurrentModel(db.read);
      if (read.kind !== 'unreadable') throw new Error(`expected an unreadable model, got ${read.kind}`);
      expect(read.run).toBe('run-a');
      expect(read.reason).toContain('predictive_models.model of row run-a');
      expect(read.reason).toContain('names');

      const logged: { fields: Record<string, unknown>; message: string }[] = [];
      logPredictionLoads([db.read], { error: (fields: Record<string, unknown>, message: string) => logged.push({ fields, message }) } as never);
      const first = await currentPrediction(db.read, NOW);
      expect(first.model).toBeUndefined();
      expect(first.withheld).toBeDefined();
      expect(logged).toHaveLength(1);
      expect(logged[0]!.fields).toEqual({ run: 'run-a', reason: read.reason });
      expect(logged[0]!.message).toMatch(/does not load/);
      // The cache's next reload finds the same problem: not logged again.
      await currentPrediction(db.read, NOW + 120_000);
      expect(logged).toHaveLength(1);

      // Training leaves it out and says why; its run is then judged as the first.
      const forTraining = await currentForTraining(db.read);
      expect(forTraining).toEqual({ text: null, unreadable: { run: 'run-a', reason: read.reason } });
      const next = trainFromLeads({ id: 'run-b', now: NOW, leads, current: forTraining.text, folds: 3, seed: 0 });
      expect(next.ok && next.accepted && next.why.kind).toBe('first');
      await db.write.transaction().execute((trx) => recordRun(trx, runRecord('run-b', NOW + 1, next)));
      const after = await currentPrediction(db.read, NOW + 240_000);
      expect(after.model?.id).toBe('run-b');
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('after a load that failed, serves what it had and loads again a minute later (it used to keep the failed load forever)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'leadglow-refresh-'));
    const db = await openDatabase({ dataDir: dir });
    try {
      const logged: string[] = [];
      logPredictionLoads([db.read], { error: (_fields: Record<string, unknown>, message: string) => logged.push(message) } as never);
      // The runs table gone for a moment (a failed query): the load fails, is logged, and the
      // read gets "no model" rather than an error.
      await db.write.schema.alterTable('predictive_models').renameTo('predictive_models_away').execute();
      const failed = await currentPrediction(db.read, NOW);
      expect(failed.model).toBeUndefined();
      expect(logged.some((m) => /failed/.test(m))).toBe(true);
      await db.write.schema.alterTable('predictive_models_away').renameTo('predictive_models').execute();
      await db.write.transaction().execute((trx) => recordRun(trx, runRecord('run-r', NOW, trained('run-r'))));
      // Within the minute the kept answer stands; after it, the model is loaded again.
      expect((await currentPrediction(db.read, NOW + 1_000)).model).toBeUndefined();
      expect((await currentPrediction(db.read, NOW + 61_000)).model?.id).toBe('run-r');
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is named with its reason by GET /v1/predictive, and lead reads still answer', async () => {
    const s = await testServer('sqlite', undefined);
    try {
      const run = runRecord('run-c', NOW, trained('run-c'));
      await s.db.write.transaction().execute((trx) => recordRun(trx, run));
      const healthy = PredictiveStatus.parse((await get(s.url, s.admin, '/v1/predictive')).json);
      expect(healthy.current?.id).toBe('run-c');
      expect(healthy.currentUnreadable).toBeUndefined();

      const row = await s.db.read.selectFrom('predictive_models').select('model').where('id', '=', 'run-c').executeTakeFirstOrThrow();
      await s.db.write.updateTable('predictive_models').set({ model: spoil(row.model!), evaluation: '{"auc":' }).where('id', '=', 'run-c').execute();
      const status = PredictiveStatus.parse((await get(s.url, s.admin, '/v1/predictive')).json);
      expect(status.current).toBeUndefined();
      expect(status.currentUnreadable?.run).toBe('run-c');
      expect(status.currentUnreadable?.reason).toMatch(/predictive_models\.model of row run-c does not decode: .*names/);
      expect(status.lastRun?.evaluation).toBeUndefined();
      expect(status.lastRun?.evaluationUnreadable).toMatch(/predictive_models\.evaluation of row run-c does not decode: not JSON/);

      expect((await post(s.url, { events: [ev(s.siteKey, 'v-u', 'identify', 1_000, { traits: { email: 'una@initech.com' }, source: 'form' })] })).status).toBe(200);
      const lead = await get(s.url, s.rep, '/v1/leads?email=una@initech.com');
      expect(lead.status).toBe(200);
      expect(LeadView.parse(lead.json).lead.predicted).toBeUndefined();
    } finally {
      await s.cleanup();
    }
  });
});
