import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Transaction } from 'kysely';
import type { DB } from '../../../server/db/schema.ts';
import type { StageChange } from '../../../shared/contracts/api.ts';
import { defaultModel } from '../../../shared/scoring/index.ts';
import { leadRows, rescoreLead, storedScores } from '../../../server/scoring/lead-scores.ts';
import { commitChunk, readChunk, type ReadChunk } from '../../../server/scoring/rescore-chunk.ts';
import { startRescorePool, type RescorePool } from '../../../server/scoring/rescore-pool.ts';
import { enqueueRescore, startRescorer } from '../../../server/scoring/rescore.ts';
import { Writer } from '../../../server/db/writer.ts';
import { MODEL_V2, writtenAndRolledBack } from './rescore-fixture.ts';
import { BACKENDS, ev, post, testServer, until, usePostgres, type TestServer } from '../harness.ts';

// The background rescore reads a chunk and scores it in a worker thread before the chunk's
// writer job; the job must then store exactly what rescoring every lead inside the job stores
// (`rescoreLead` with rebuild), also for leads that changed in between: one with a new event,
// one whose history a new identify joined, one whose row changed (an intern became CEO), and one that was already
// scored with the new version meanwhile (left as it is).

const VISITORS = 12;

describe.each(BACKENDS)('rescoring a chunk read and scored ahead of its writer job (%s)', (backend) => {
  const pg = backend === 'postgres' ? usePostgres() : undefined;
  let s: TestServer;
  let pool: RescorePool;
  beforeAll(async () => {
    s = await testServer(backend, pg);
    pool = startRescorePool(1);
    for (let v = 0; v < VISITORS; v++) {
      const events = [
        ev(s.siteKey, `v${v}`, 'identify', 90_000_000 + v, { traits: { email: `person${v}@initech${v % 3}.com`, jobTitle: v % 2 ? 'CTO' : 'Intern' }, source: 'form' }),
        ...Array.from({ length: 2 + (v % 4) }, (_, i) => ev(s.siteKey, `v${v}`, 'page_view', 80_000_000 - i * 3_600_000, { url: `https://acme.test/${i % 2 ? 'pricing' : 'docs/setup'}` })),
        ...(v % 3 === 0 ? [ev(s.siteKey, `v${v}`, 'form_submit', 10_000_000, { formId: 'demo-request', fields: ['email'] })] : []),
      ];
      expect((await post(s.url, { events })).status).toBe(200);
    }
  }, 120_000);
  afterAll(async () => {
    await pool?.close();
    await s?.cleanup();
  });

  const NOW = Date.now();
  const EARLIER = NOW - 60_000;

  const written = (rescore: (trx: Transaction<DB>, ids: string[]) => Promise<StageChange[]>) => writtenAndRolledBack(s.db.write, [NOW, EARLIER], rescore);

  const leadOf = async (email: string) => (await s.db.read.selectFrom('leads').select('id').where('emails', 'like', `%"${email}%`).executeTakeFirstOrThrow()).id;

  /** Every lead rescored alone, inside the transaction; `first` (scored before, at EARLIER) is left to the way under test. */
  const alone = (first: string) => async (trx: Transaction<DB>, ids: string[]) => {
    const leads = await leadRows(trx, ids);
    const scores = await storedScores(trx, ids);
    const changes: StageChange[] = [];
    for (const lead of leads.values()) {
      const at = lead.id === first ? EARLIER : NOW;
      changes.push(...(await rescoreLead(trx, { lead, models: [MODEL_V2], stored: scores.get(lead.id) ?? new Map(), newEvents: [], rebuild: true, now: at })));
    }
    return changes;
  };

  it('stores what rescoring each lead inside the job stores, for unchanged leads and for leads that changed after the read', async () => {
    let read: ReadChunk | undefined;
    read = await readChunk(s.db.write, '', 1_000, [MODEL_V2], NOW, (inputs) => pool.run(inputs, [MODEL_V2], NOW));
    expect(read?.ids.length).toBe(VISITORS);
    const precomputed = new Map((await read!.outputs).map((o) => [o.leadId, o]));
    expect(precomputed.size).toBe(VISITORS);

    // Changes after the read, each through the way it happens.
    const appended = await leadOf('person1@');
    const joined = await leadOf('person2@');
    const edited = await leadOf('person4@');
    const scored = await leadOf('person3@');
    expect((await post(s.url, { events: [ev(s.siteKey, 'v1', 'page_view', 1_000, { url: 'https://acme.test/pricing' })] })).status).toBe(200);
    expect(
      (
        await post(s.url, {
          events: [
            ev(s.siteKey, 'w2', 'page_view', 5_000, { url: 'https://acme.test/pricing' }),
            ev(s.siteKey, 'w2', 'identify', 4_000, { traits: { email: 'person2@initech2.com' }, source: 'form' }),
          ],
        })
      ).status,
    ).toBe(200);
    const row = await s.db.read.selectFrom('leads').select('profile').where('id', '=', edited).executeTakeFirstOrThrow();
    await s.db.write
      .updateTable('leads')
      .set({ profile: JSON.stringify({ ...JSON.parse(row.profile), jobTitle: 'CEO' }) })
      .where('id', '=', edited)
      .execute();

    /** Lead 4 is rescored with MODEL_V2 before the job (at EARLIER), as ingest would: the job leaves it. */
    const scoreFirst = async (trx: Transaction<DB>) => {
      const lead = (await leadRows(trx, [scored])).get(scored)!;
      return rescoreLead(trx, { lead, models: [MODEL_V2], stored: (await storedScores(trx, [scored])).get(scored) ?? new Map(), newEvents: [], rebuild: true, now: EARLIER });
    };
    const pipeline = await written(async (trx) => [...(await scoreFirst(trx)), ...(await commitChunk(trx, read!, [MODEL_V2])).changes]);
    const expected = await written(alone(scored));

    expect(expected.scores.length).toBe(VISITORS);
    expect(expected.changes.length).toBeGreaterThan(0);
    expect(pipeline.scores).toEqual(expected.scores);
    expect(pipeline.stages).toEqual(expected.stages);
    expect(pipeline.changes).toEqual(expected.changes);
    // The changed leads were scored again in the job: what the worker computed differs from what was stored.
    const stored = new Map((expected.scores as { lead_id: string; state: string; fit: number }[]).map((r) => [r.lead_id, r]));
    for (const id of [appended, joined]) expect(precomputed.get(id)!.rows[0]!.state).not.toBe(stored.get(id)!.state);
    expect(precomputed.get(edited)!.rows[0]!.fit).not.toBe(stored.get(edited)!.fit);
  }, 60_000);

  it('gives up precomputed scores when the live models changed after the read', async () => {
    const read = await readChunk(s.db.write, '', 1_000, [defaultModel], NOW, (inputs) => pool.run(inputs, [defaultModel], NOW));
    // Everything is scored with the live model already: nothing to read and nothing to do.
    expect(read?.inputs.size).toBe(0);
    const stale = await readChunk(s.db.write, '', 1_000, [{ ...MODEL_V2, version: 3 }], NOW, (inputs) => pool.run(inputs, [{ ...MODEL_V2, version: 3 }], NOW));
    const viaStale = await written(async (trx) => (await commitChunk(trx, stale!, [MODEL_V2])).changes);
    const expected = await written(alone(''));
    expect(viaStale.scores).toEqual(expected.scores);
    expect(viaStale.changes).toEqual(expected.changes);
  }, 60_000);

  // Last: it commits the new version's rows, which the tests above roll back.
  it('a job worked through by a rescorer, its chunks now in a worker and now in the writer job, stores the same and finishes', async () => {
    const expected = await written(alone(''));
    // The job is claimed by this test's rescorer up front, so the test server's own never takes it.
    const jobId = await s.db.write.transaction().execute((trx) => enqueueRescore(trx, NOW));
    await s.db.write.updateTable('rescore_jobs').set({ claimed_by: 'pipeline-test', lease_until: NOW + 3_600_000 }).where('id', '=', jobId).execute();
    const errors: unknown[] = [];
    const writer = new Writer<never, never>(s.db.write, { run: async () => [] });
    // Asked before each chunk, as the machine's spare cores would answer: a worker, then the writer
    // job twice (the first commits the chunk read ahead, the second reads its own), then a worker.
    const answers = [true, false, false, true];
    let asked = 0;
    const useWorkers = () => answers[asked++ % answers.length]!;
    const rescorer = startRescorer({ db: s.db.write, writer, models: () => [MODEL_V2], now: () => NOW, instanceId: 'pipeline-test', log: { error: (o: unknown) => errors.push(o) } as never, workers: 1, chunk: 5, useWorkers });
    try {
      await until(async () => (await s.db.read.selectFrom('rescore_jobs').select('finished_at').where('id', '=', jobId).executeTakeFirstOrThrow()).finished_at !== null, 'the job finished');
      await rescorer.idle();
    } finally {
      await rescorer.close();
    }
    expect(errors).toEqual([]);
    expect(asked).toBeGreaterThanOrEqual(3);
    const job = await s.db.read.selectFrom('rescore_jobs').selectAll().where('id', '=', jobId).executeTakeFirstOrThrow();
    expect(Number(job.done)).toBe(VISITORS);
    const scores = await s.db.read.selectFrom('lead_scores').select(['lead_id', 'model_id', 'model_version', 'state', 'stage', 'fit', 'interest', 'updated_at']).where('model_version', '=', 2).orderBy('lead_id').execute();
    const stages = await s.db.read.selectFrom('stage_changes').select(['lead_id', 'model_id', 'from_stage', 'to_stage', 'reason', 'at']).where('at', 'in', [NOW, EARLIER]).orderBy('id').execute();
    expect(scores).toEqual(expected.scores);
    expect(stages).toEqual(expected.stages);
  }, 60_000);
});
