import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompiledQuery, type Transaction } from 'kysely';
import type { DB } from '../../../server/db/schema.ts';
import type { StageChange } from '../../../shared/contracts/api.ts';
import { defaultModel } from '../../../shared/scoring/index.ts';
import { leadRows, rescoreLead, storedScores } from '../../../server/scoring/lead-scores.ts';
import { chunkEnd, readRange, rescoreChunk, stagesInRange, writeRescored } from '../../../server/scoring/rescore-chunk.ts';
import { rescoreMany } from '../../../server/scoring/rescore-compute.ts';
import { seedDemo } from '../../../server/demo/seed.ts';
import { MODEL_V2, writtenAndRolledBack } from './rescore-fixture.ts';
import { BACKENDS, testServer, usePostgres, type TestServer } from '../harness.ts';

// The background rescore's batched chunk must store what rescoring each lead alone stored:
// the same score rows (state, stage, fit, interest), the same stage changes, in the same order.
// Both are run on the demo seed inside a transaction that is then rolled back.

const ORIGIN = 'http://127.0.0.1:8788';

describe.each(BACKENDS)('rescoring a chunk at once (%s)', (backend) => {
  const pg = backend === 'postgres' ? usePostgres() : undefined;
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer(backend, pg);
    const siteKey = await s.createKey({ role: 'site', site: 'demo', origins: [ORIGIN] });
    await seedDemo({ url: s.url, db: s.db, siteKey, adminToken: s.admin, origin: ORIGIN }, { seed: 3, leads: 60 });
  }, 120_000);
  afterAll(async () => s?.cleanup());

  const NOW = Date.now();

  const written = (rescore: (trx: Transaction<DB>, ids: string[]) => Promise<StageChange[]>) => writtenAndRolledBack(s.db.write, [NOW], rescore);

  /** Rescoring each lead alone, as ingest's rebuild does: what a chunk must store. */
  const leadByLead = async (trx: Transaction<DB>, ids: string[]): Promise<StageChange[]> => {
    const leads = await leadRows(trx, ids);
    const scores = await storedScores(trx, ids);
    const changes: StageChange[] = [];
    for (const lead of leads.values()) changes.push(...(await rescoreLead(trx, { lead, models: [MODEL_V2], stored: scores.get(lead.id) ?? new Map(), newEvents: [], rebuild: true, now: NOW })));
    return changes;
  };

  it('stores the same rows and stage changes as rescoring lead by lead', async () => {
    const alone = await written(leadByLead);
    const batched = await written(async (trx, ids) => (await rescoreChunk(trx, await leadRows(trx, ids), await storedScores(trx, ids), [MODEL_V2], NOW)).changes);
    expect(alone.scores.length).toBeGreaterThan(50);
    expect(alone.changes.length).toBeGreaterThan(0);
    expect(batched.scores).toEqual(alone.scores);
    expect(batched.stages).toEqual(alone.stages);
    expect(batched.changes).toEqual(alone.changes);
  }, 60_000);

  it('stores the same when the chunks are read by id range, as the background rescore reads them', async () => {
    const alone = await written(leadByLead);
    let chunks = 0;
    const ranged = await written(async (trx) => {
      const changes: StageChange[] = [];
      for (let after = '', last = await chunkEnd(trx, after, 7); last !== undefined; after = last, last = await chunkEnd(trx, after, 7)) {
        const { ids, inputs } = await readRange(trx, after, last, [MODEL_V2]);
        expect(ids.length).toBeLessThanOrEqual(7);
        chunks++;
        changes.push(...(await writeRescored(trx, rescoreMany(inputs, [MODEL_V2], NOW))));
      }
      return changes;
    });
    expect(chunks).toBeGreaterThan(5);
    expect(ranged.scores).toEqual(alone.scores);
    expect(ranged.stages).toEqual(alone.stages);
    expect(ranged.changes).toEqual(alone.changes);
  }, 60_000);

  it('skips leads already scored with the current versions', async () => {
    const ids = (await s.db.read.selectFrom('leads').select('id').orderBy('id').execute()).map((r) => r.id);
    const live = await s.db.write.transaction().execute(async (trx) => rescoreChunk(trx, await leadRows(trx, ids), await storedScores(trx, ids), [defaultModel], NOW));
    expect(live.scored).toBe(0);
  });
});

describe('reading a chunk\'s stored stages on SQLite', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer('sqlite', undefined);
  }, 60_000);
  afterAll(async () => s?.cleanup());

  it('uses the covering lead_scores_member index, not the 2.4 KB score rows', async () => {
    const c = stagesInRange(s.db.read, '', 'z', [defaultModel, MODEL_V2]).compile();
    const plan = await s.db.read.executeQuery<{ detail: string }>(CompiledQuery.raw(`EXPLAIN QUERY PLAN ${c.sql}`, [...c.parameters]));
    expect(plan.rows.map((r) => r.detail).join('\n')).toMatch(/USING COVERING INDEX lead_scores_member/);
  });
});
