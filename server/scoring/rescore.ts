import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { RescoreStatus } from '../../shared/contracts/admin.ts';
import type { Model } from '../../shared/contracts/model.ts';
import { uuidv7 } from '../../shared/ids.ts';
import { isPostgres } from '../db/locks.ts';
import type { DB } from '../db/schema.ts';
import { chunkEnd, commitChunk, readChunk, readRange, writeRescored, type ReadChunk } from './rescore-chunk.ts';
import { rescoreMany } from './rescore-compute.ts';
import { defaultWorkers, startRescorePool, type RescorePool } from './rescore-pool.ts';
import { watchSpareCores } from './spare-cores.ts';
import type { JobRunner } from '../db/writer.ts';
import { singleFlight } from '../cluster/single-flight.ts';

// Rescoring every lead after a publish, in the background, by any instance. A publish adds a
// job row (superseding an unfinished one: the new job covers every lead anyway); instances
// claim it with a lease and work through the leads in id order, CHUNK at a time, each chunk a
// writer job that writes its leads' scores and advances the job's cursor in the same
// transaction. A crash loses at most the chunks in flight: the lease runs out and any instance
// goes on from the cursor. Reads show a lead's stored score until its chunk commits. Leads that
// ingest already scored with the current models (their rows carry the current versions) are
// skipped.
//
// While the machine has a core to spare (spare-cores.ts, asked before each chunk), a pipeline
// (see `work`): this thread reads the next chunks, worker threads score them (rescore-pool.ts),
// and each chunk's writer job checks that nothing its scores depend on changed since the read,
// scores again what did, and writes (rescore-chunk.ts). The fold, the score and the state's
// JSON, most of the CPU, then stay off the event loop that ingest and reads run on. Otherwise
// (and for small jobs) each chunk is read, scored and written inside its writer job
// (`inlineChunk`), which costs the least CPU.

const CHUNK = 200;
const LEASE_MS = 30_000;
/**
 * Jobs of at most this many leads are scored on this thread: starting a worker costs about 0.7
 * CPU-seconds (loading the scoring code through tsx), more than scoring a thousand leads (about
 * 0.23 ms each), and a chunk scored inline holds the loop for about 45 ms.
 */
const INLINE_UP_TO = 1_000;

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
  /** Worker threads that score chunks (rescore-pool.ts); 0 scores on this thread. Default: one per core, at most 4, for jobs of more than INLINE_UP_TO leads. */
  workers?: number;
  /** Leads per chunk (tests: several chunks from a few leads). */
  chunk?: number;
  /** Asked before each chunk of a job big enough for workers: whether it goes to them (tests). Default: with `workers` given, always; otherwise spare-cores.ts decides. */
  useWorkers?: () => boolean;
}): Rescorer {
  const { db, writer } = deps;
  const chunkSize = deps.chunk ?? CHUNK;
  let closed = false;
  let failedBefore = false;

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

  /** Whether the job is still ours to work on, inside a writer job. */
  const ours = (job: { finished_at: unknown; claimed_by: string | null } | undefined) => job !== undefined && job.finished_at === null && job.claimed_by === deps.instanceId;

  /** Commits a chunk read earlier; false when the job is finished, no longer ours, or moved on without us. */
  const commit = (jobId: string, read: ReadChunk) =>
    writer.run(async (trx, _after, stage) => {
      const job = await trx.selectFrom('rescore_jobs').selectAll().where('id', '=', jobId).executeTakeFirst();
      if (!ours(job) || job!.cursor !== read.after) return false;
      const { changes, leads } = await commitChunk(trx, read, deps.models());
      stage(changes);
      const done = Number(job!.done) + leads;
      await trx
        .updateTable('rescore_jobs')
        .set({ cursor: read.last, done, total: Math.max(Number(job!.total), done), lease_until: deps.now() + LEASE_MS })
        .where('id', '=', jobId)
        .execute();
      return true;
    });

  /** At the end of the leads: finishes the job, or answers the cursor to go on from when leads were added after it. */
  const finish = (jobId: string) =>
    writer.run(async (trx): Promise<string | undefined> => {
      const job = await trx.selectFrom('rescore_jobs').selectAll().where('id', '=', jobId).executeTakeFirst();
      if (!ours(job)) return undefined;
      const more = await trx.selectFrom('leads').select('id').where('id', '>', job!.cursor).limit(1).executeTakeFirst();
      if (more) return job!.cursor;
      // Leads created meanwhile were counted as they were reached: the total is what was done.
      await trx.updateTable('rescore_jobs').set({ finished_at: deps.now(), lease_until: null, total: Number(job!.done) }).where('id', '=', jobId).execute();
      return undefined;
    });

  /**
   * One chunk read, scored and written inside its writer job (no read to check again); answers
   * the job's new cursor, or undefined when the job is finished or no longer ours.
   */
  const inlineChunk = (jobId: string) =>
    writer.run(async (trx, _after, stage): Promise<string | undefined> => {
      const job = await trx.selectFrom('rescore_jobs').selectAll().where('id', '=', jobId).executeTakeFirst();
      if (!ours(job)) return undefined;
      const now = deps.now();
      const last = await chunkEnd(trx, job!.cursor, chunkSize);
      if (last === undefined) {
        // Leads created meanwhile were counted as they were reached: the total is what was done.
        await trx.updateTable('rescore_jobs').set({ finished_at: now, lease_until: null, total: Number(job!.done) }).where('id', '=', jobId).execute();
        return undefined;
      }
      const models = deps.models();
      const { ids, inputs } = await readRange(trx, job!.cursor, last, models);
      stage(await writeRescored(trx, rescoreMany(inputs, models, now)));
      const done = Number(job!.done) + ids.length;
      await trx
        .updateTable('rescore_jobs')
        .set({ cursor: last, done, total: Math.max(Number(job!.total), done), lease_until: now + LEASE_MS })
        .where('id', '=', jobId)
        .execute();
      return last;
    });

  /**
   * Works through a claimed job chunk by chunk, each chunk one of two ways, decided before each
   * (`useWorkers`): as a pipeline, where this thread reads the next chunks (a query or three
   * each) while the pool's workers score the chunks read before, and each chunk's writer job, in
   * id order, checks and writes what its worker computed (rescore-chunk.ts); or read, scored and
   * written inside its writer job (`inlineChunk`), which costs the least CPU. Chunks already read
   * ahead are committed first, so the cursor stays in order. The job's cursor moves only in
   * writer jobs, so a crash loses at most what was in flight. The pool starts the first time a
   * chunk goes to it and stops with the job.
   */
  const work = async (jobId: string, useWorkers: () => boolean) => {
    const job = await db.selectFrom('rescore_jobs').select('cursor').where('id', '=', jobId).executeTakeFirst();
    if (!job) return;
    let pool: RescorePool | undefined;
    const ahead: ReadChunk[] = [];
    let after = job.cursor;
    let end = false;
    try {
      for (;;) {
        if (closed) return;
        const pipelined = useWorkers();
        if (pipelined) {
          pool ??= startRescorePool(deps.workers ?? defaultWorkers());
          const scorer = pool;
          const depth = Math.max(1, scorer.size) + 1;
          while (!end && ahead.length < depth) {
            const models = deps.models();
            const now = deps.now();
            const read = await readChunk(db, after, chunkSize, models, now, (inputs) => scorer.run(inputs, models, now));
            if (!read) end = true;
            else {
              ahead.push(read);
              after = read.last;
            }
          }
        }
        const next = ahead.shift();
        if (next) {
          // Scored before its writer job is queued: the job never waits for a worker while it holds the writer.
          await next.outputs;
          if (!(await commit(jobId, next))) return;
        } else if (pipelined) {
          const resume = await finish(jobId);
          if (resume === undefined) return;
          after = resume;
          end = false;
        } else {
          const cursor = await inlineChunk(jobId);
          if (cursor === undefined) return;
          after = cursor;
          end = false;
        }
        // Yield between chunks: ingest jobs queued meanwhile go first.
        await new Promise((r) => setImmediate(r));
      }
    } finally {
      await pool?.close();
    }
  };

  const round = async () => {
    for (;;) {
      if (closed) return;
      const jobId = await claim();
      if (!jobId) return;
      const job = await db.selectFrom('rescore_jobs').select('total').where('id', '=', jobId).executeTakeFirst();
      // After a failed round (a lead that does not decode fails every round until it is fixed),
      // the retries every pollMs score on this thread rather than start workers each time. A
      // small job is cheaper on this thread than starting workers.
      const inline = failedBefore || deps.workers === 0 || (deps.workers === undefined && Number(job?.total ?? 0) <= INLINE_UP_TO);
      // A fixed number of workers always pipelines; otherwise the machine decides per chunk.
      const spare = inline || deps.useWorkers || deps.workers !== undefined ? undefined : watchSpareCores();
      const useWorkers = inline ? () => false : (deps.useWorkers ?? (spare ? () => spare.now() === true : () => true));
      try {
        await work(jobId, useWorkers);
        failedBefore = false;
      } catch (error) {
        failedBefore = true;
        throw error;
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
