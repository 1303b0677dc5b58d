import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Transaction } from 'kysely';
import type { DB } from '../../../server/db/schema.ts';
import type { StageChange } from '../../../shared/contracts/api.ts';
import type { Model } from '../../../shared/contracts/model.ts';
import { defaultModel } from '../../../shared/scoring/index.ts';
import { leadRows, rescoreLead, storedScores } from '../../../server/scoring/lead-scores.ts';
import { rescoreChunk } from '../../../server/scoring/rescore-chunk.ts';
import { seedDemo } from '../../../server/demo/seed.ts';
import { BACKENDS, testServer, usePostgres, type TestServer } from '../harness.ts';

// The background rescore's batched chunk must store what rescoring each lead alone stored:
// the same score rows (state, stage, fit, interest), the same stage changes, in the same order.
// Both are run on the demo seed inside a transaction that is then rolled back.

const ORIGIN = 'http://127.0.0.1:8788';
const Rollback = class extends Error {};

describe.each(BACKENDS)('rescoring a chunk at once (%s)', (backend) => {
  const pg = backend === 'postgres' ? usePostgres() : undefined;
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer(backend, pg);
    const siteKey = await s.createKey({ role: 'site', site: 'demo', origins: [ORIGIN] });
    await seedDemo({ url: s.url, db: s.db, siteKey, adminToken: s.admin, origin: ORIGIN }, { seed: 3, leads: 60 });
  }, 120_000);
  afterAll(async () => s?.cleanup());

  const v2: Model = {
    ...defaultModel,
    version: 2,
    thresholds: { ...defaultModel.thresholds, engaged: 8, mql: { ...defaultModel.thresholds.mql, interest: 30 } },
    interestRules: defaultModel.interestRules.map((r) => (r.id === 'pricing-page' ? { ...r, points: 25 } : r)),
  };
  const NOW = Date.now();

  /** What a way of rescoring wrote, read back before the rollback. */
  async function written(rescore: (trx: Transaction<DB>, ids: string[]) => Promise<StageChange[]>) {
    let out: { scores: unknown[]; stages: unknown[]; changes: StageChange[] } | undefined;
    const ids = (await s.db.read.selectFrom('leads').select('id').orderBy('id').execute()).map((r) => r.id);
    await s.db.write
      .transaction()
      .execute(async (trx) => {
        const changes = await rescore(trx, ids);
        const scores = await trx.selectFrom('lead_scores').select(['lead_id', 'model_id', 'model_version', 'state', 'stage', 'fit', 'interest', 'updated_at']).where('model_version', '=', 2).orderBy('lead_id').execute();
        const stages = await trx.selectFrom('stage_changes').select(['lead_id', 'model_id', 'from_stage', 'to_stage', 'reason', 'at']).where('at', '=', NOW).orderBy('id').execute();
        out = { scores, stages, changes };
        throw new Rollback();
      })
      .catch((e: unknown) => {
        if (!(e instanceof Rollback)) throw e;
      });
    return out!;
  }

  it('stores the same rows and stage changes as rescoring lead by lead', async () => {
    const alone = await written(async (trx, ids) => {
      const leads = await leadRows(trx, ids);
      const scores = await storedScores(trx, ids);
      const changes: StageChange[] = [];
      for (const lead of leads.values()) changes.push(...(await rescoreLead(trx, { lead, models: [v2], stored: scores.get(lead.id) ?? new Map(), newEvents: [], rebuild: true, now: NOW })));
      return changes;
    });
    const batched = await written(async (trx, ids) => (await rescoreChunk(trx, await leadRows(trx, ids), await storedScores(trx, ids), [v2], NOW)).changes);
    expect(alone.scores.length).toBeGreaterThan(50);
    expect(alone.changes.length).toBeGreaterThan(0);
    expect(batched.scores).toEqual(alone.scores);
    expect(batched.stages).toEqual(alone.stages);
    expect(batched.changes).toEqual(alone.changes);
  }, 60_000);

  it('skips leads already scored with the current versions', async () => {
    const ids = (await s.db.read.selectFrom('leads').select('id').orderBy('id').execute()).map((r) => r.id);
    const live = await s.db.write.transaction().execute(async (trx) => rescoreChunk(trx, await leadRows(trx, ids), await storedScores(trx, ids), [defaultModel], NOW));
    expect(live.scored).toBe(0);
  });
});
