import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { RescoreStatus } from '../../shared/contracts/admin.ts';
import type { Model } from '../../shared/contracts/model.ts';
import { uuidv7 } from '../../shared/ids.ts';
import { isPostgres } from '../db/locks.ts';
import type { DB } from '../db/schema.ts';
import { leadRows, storedScores } from './lead-scores.ts';
import { rescoreChunk } from './rescore-chunk.ts';
import type { JobRunner } from '../db/writer.ts';
import { singleFlight } from '../cluster/single-flight.ts';

// Rescoring every lead after a publish, in the background, by any instance. A publish adds a
// job row (superseding an unfinished one: the new job covers every lead anyway); instances
// claim it with a lease and work through the leads in id order, CHUNK at a time, each chunk a
// writer job that rescores its leads and advances the job's cursor in the same transaction.
// A crash loses at most the chunk in flight: the lease runs out and any instance goes on from
// the cursor. Reads show a lead's stored score until its chunk commits. Leads that ingest
// already scored with the current models (their rows carry the current versions) are skipped.

const CHUNK = 200;
const LEASE_MS = 30_000;

export async function enqueueRescore(db: Kysely<DB>, now: number): Promise<string> {
  const id = uuidv7(now);
  const total = Number((await db.selectFrom('leads').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  await db.updateTable('rescore_jobs').set({ finished_at: now }).where('finished_at', 'is', null).execute();
  await db.insertInto('rescore_jobs').values({ id, cursor: '', done: 0, total, created_at: now, finished_at: null, lease_until: null, claimed_by: null }).execute();
  return id;
}

export async function rescoreStatus(db: Kysely<DB>): Promise<RescoreStatus> {
  const job = await db.selectFrom('rescore_jobs').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  if (!job) return { running: false };
  return {
    running: job.finished_at === null,
    done: Number(job.done),
    total: Number(job.total),
    startedAt: Number(job.created_at),
    ...(job.finished_at !== null ? { finishedAt: Number(job.finished_at) } : {}),
  };
}

export type Rescorer = { wake(): void; idle(): Promise<void>; close(): Promise<void> };

export function startRescorer(deps: {
  db: Kysely<DB>;
  writer: JobRunner;
  models(): readonly Model[];
  now(): number;
  instanceId: string;
  log: FastifyBaseLogger;
  pollMs?: number;
}): Rescorer {
  const { db, writer } = deps;
  let closed = false;

  const claim = async (): Promise<string | undefined> => {
    const t = deps.now();
    let open = db
      .selectFrom('rescore_jobs')
      .select('id')
      .where('finished_at', 'is', null)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', t), eb('claimed_by', '=', deps.instanceId)]))
      .orderBy('created_at')
      .limit(1);
    if (isPostgres(db)) open = open.forUpdate().skipLocked();
    const row = await db.updateTable('rescore_jobs').set({ lease_until: t + LEASE_MS, claimed_by: deps.instanceId }).where('id', 'in', open).returning('id').executeTakeFirst();
    return row?.id;
  };

  /** One chunk; false when the job is finished (or no longer ours). */
  const chunk = (jobId: string) =>
    writer.run(async (trx, _after, stage) => {
      const job = await trx.selectFrom('rescore_jobs').selectAll().where('id', '=', jobId).executeTakeFirst();
      if (!job || job.finished_at !== null || job.claimed_by !== deps.instanceId) return false;
      const now = deps.now();
      const ids = (await trx.selectFrom('leads').select('id').where('id', '>', job.cursor).orderBy('id').limit(CHUNK).execute()).map((r) => r.id);
      if (ids.length === 0) {
        // Leads created meanwhile were counted as they were reached: the total is what was done.
        await trx.updateTable('rescore_jobs').set({ finished_at: now, lease_until: null, total: Number(job.done) }).where('id', '=', jobId).execute();
        return false;
      }
      const leads = await leadRows(trx, ids);
      const scores = await storedScores(trx, ids);
      stage((await rescoreChunk(trx, leads, scores, deps.models(), now)).changes);
      await trx
        .updateTable('rescore_jobs')
        .set({ cursor: ids[ids.length - 1]!, done: Number(job.done) + ids.length, total: Math.max(Number(job.total), Number(job.done) + ids.length), lease_until: now + LEASE_MS })
        .where('id', '=', jobId)
        .execute();
      return true;
    });

  const round = async () => {
    for (;;) {
      if (closed) return;
      const jobId = await claim();
      if (!jobId) return;
      while (!closed && (await chunk(jobId))) {
        // Yield between chunks: ingest jobs queued meanwhile go first.
        await new Promise((r) => setImmediate(r));
      }
    }
  };

  const flight = singleFlight(round, (err: unknown) => deps.log.error({ err }, 'rescoring failed; another round will resume it'), () => closed);
  const wake = flight.wake;


  // Picks up a job another instance left behind (crashed, or shut down mid-way).
  const poll = setInterval(wake, deps.pollMs ?? 5_000);
  poll.unref();
  wake();
  return {
    wake,
    async idle() {
      while (flight.running) await flight.running;
    },
    async close() {
      closed = true;
      clearInterval(poll);
      await flight.running?.catch(() => undefined);
    },
  };
}
