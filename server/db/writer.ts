import type { Kysely, Transaction } from 'kysely';
import type { StageChange } from '../../shared/contracts/api.ts';
import { isPostgres, isRetryable } from './locks.ts';
import type { DB } from './schema.ts';
import { writeOutbox } from './outbox.ts';

// Group commit. better-sqlite3 is synchronous and SQLite has one writer, so every write goes
// through this queue: requests enqueue jobs, and the writer runs everything queued in one
// transaction. A job's promise settles only after that transaction has committed, so an
// acknowledged event is a durable one. While a transaction runs, new jobs gather for the
// next one: the busier the server, the larger (and cheaper per event) each commit.
//
// Ingest jobs are merged (one multi-row insert for all of them) by `mergeable`; other jobs
// (feedback, model publish, erase) run one after another inside the same transaction. If a
// group fails, each job is retried alone, so one bad job cannot fail its neighbours.
//
// Bounded commits. On SQLite a transaction runs synchronously from its first statement to its
// commit (better-sqlite3 answers every query at once, so Kysely's awaits are microtasks): no
// request is read and no lookup answered meanwhile. So a group holds at most `maxGroupWeight`
// (events, by `Merged.weight`; a job weighs 1), and after each commit the writer yields to the
// event loop (setImmediate) before it starts the next group, so the reads that arrived during
// a commit are answered between two commits instead of after the whole backlog. Throughput
// keeps its group commit: while one group commits the next gathers, and a yield costs one
// turn of the loop, which reads the waiting requests into that next group anyway.
//
// Several instances on one PostgreSQL: each has its own writer, and the transactions of
// different instances serialise on the locks they take (see db/locks.ts). A transaction that
// loses a race (deadlock, serialisation failure, a unique key another instance just wrote) is
// run again as a whole, never answered with an error. On PostgreSQL each non-ingest job runs
// in its own transaction, so a job's lead locks never come after an ingest group's (an order
// that could deadlock); SQLite has one writer and keeps them together.
//
// Lanes on PostgreSQL. The server does not hold the event loop while PostgreSQL works: a group
// commit there is mostly waiting, one round trip per statement, and on a busy machine each
// round trip also waits for the scheduler to run the database's process and then this one. With
// one transaction at a time the instance sat idle for half of an ingest load (profiled: 48%
// idle at 900 req/s). So on PostgreSQL up to `lanes` groups commit at once, each in its own
// transaction on its own pooled connection, exactly as the groups of several instances do
// (the same locks serialise what must be serialised, and the same retries settle the races).
// A further lane opens only for a group of at least MIN_LANE_WEIGHT while one commits: on a
// machine short of CPU, many small groups cost more (each pays its round trips) than the
// waiting they overlap. Non-ingest jobs still run one at a time in the order they were queued
// (`jobChain`). SQLite keeps one lane: its transaction holds the loop, and it has one writer anyway.
//
// Stage changes go to the outbox (outbox.ts) as the transaction's last statement: jobs hand
// them to `stage`, never to streams directly, so a stream or webhook only ever sees what committed.

/** Registers work to run after the transaction committed (publishing stage changes). */
export type AfterCommit = (fn: () => void) => void;

/** Records stage changes for the outbox, written at the end of the transaction. */
export type StageSink = (changes: readonly StageChange[]) => void;

export type Job<T> = (trx: Transaction<DB>, afterCommit: AfterCommit, stage: StageSink) => Promise<T>;

export type Merged<I, R> = {
  /** Runs several items of the same kind together; returns one result per item, in order. */
  run(trx: Transaction<DB>, items: readonly I[], afterCommit: AfterCommit, stage: StageSink): Promise<R[]>;
  /** What an item costs in a commit (ingest: its events), for `maxGroupWeight`; 1 when unset. */
  weight?(item: I): number;
};

type Pending = {
  kind: 'job' | 'merged';
  item: unknown;
  job?: Job<unknown>;
  resolve(v: unknown): void;
  reject(e: unknown): void;
};

const MAX_ATTEMPTS = 8;
/**
 * Events (or jobs) per commit, by default. On SQLite a commit of the bench's 10-event batches of
 * page views costs 20-26 µs of CPU per event (400-event groups through this writer and ingest),
 * so 400 events hold the loop for about 10 ms; 32 connections of 10-event batches fit in one group.
 */
export const MAX_GROUP_WEIGHT = 400;

/**
 * Groups committing at once on PostgreSQL (see "Lanes" at the top). With 32 connections of
 * 10-event batches and MIN_LANE_WEIGHT 100, at most 3 groups are open anyway.
 */
export const PG_LANES = 3;

/**
 * The least queued weight (events) that opens a further lane while one commits. Each group
 * costs its round trips and the database's per-statement work whatever its size, so on a
 * machine short of CPU many small groups cost more than they save in waiting: a lane is
 * opened only for a group of at least this much (10 of the bench's 10-event batches).
 */
export const MIN_LANE_WEIGHT = 100;

export type WriterStats = { depth: number; commits: number; lastCommitMs: number };

export class Writer<I, R> {
  private queue: Pending[] = [];
  /** Groups being committed now (at most `lanes`). */
  private active = 0;
  private readonly lanes: number;
  /** Non-ingest jobs of every lane, one after another in queue order. */
  private jobChain: Promise<void> = Promise.resolve();
  private scheduled = false;
  /** The weight of everything queued (see `MIN_LANE_WEIGHT`). */
  private queuedWeight = 0;
  private closed = false;
  private idle: (() => void)[] = [];
  readonly stats: WriterStats = { depth: 0, commits: 0, lastCommitMs: 0 };

  constructor(
    private readonly db: Kysely<DB>,
    private readonly merged: Merged<I, R>,
    private readonly opts: {
      /**
       * A fixed wait before a commit once something is queued. Unset (the default), the commit
       * starts on the next turn of the event loop instead (see schedule()).
       */
      delayMs?: number;
      /** Queue depth beyond which new work is refused (callers answer 503). */
      maxDepth?: number;
      /** The most weight (events; see Merged.weight) one commit takes; at least one item always goes. */
      maxGroupWeight?: number;
      /** Each job in its own transaction (PostgreSQL with several instances: see above). */
      separateJobs?: boolean;
      /** Groups committed at once: 1 on SQLite (always), PG_LANES on PostgreSQL by default. */
      lanes?: number;
      /**
       * Runs first in every transaction (the model version check); `ingestOnly` when the
       * transaction holds merged items alone (on PostgreSQL their first statement does the check).
       */
      begin?: (trx: Transaction<DB>, ingestOnly: boolean) => Promise<void>;
      /** After a commit that wrote outbox rows (wakes this instance's outbox readers). */
      onOutbox?: () => void;
      now?: () => number;
      onCommit?: (ms: number, jobs: number) => void;
      onError?: (error: unknown) => void;
    } = {},
  ) {
    this.lanes = isPostgres(db) ? Math.max(1, opts.lanes ?? PG_LANES) : 1;
  }

  get depth(): number {
    return this.queue.length;
  }

  get full(): boolean {
    return this.queue.length >= (this.opts.maxDepth ?? 10_000);
  }

  /** Queues an item for the merged path (ingest). */
  submit(item: I): Promise<R> {
    return this.push({ kind: 'merged', item }) as Promise<R>;
  }

  /** Queues an arbitrary write job. */
  run<T>(job: Job<T>): Promise<T> {
    return this.push({ kind: 'job', item: undefined, job: job as Job<unknown> }) as Promise<T>;
  }

  private push(p: Omit<Pending, 'resolve' | 'reject'>): Promise<unknown> {
    if (this.closed) return Promise.reject(new WriterClosedError());
    return new Promise((resolve, reject) => {
      this.queue.push({ ...p, resolve, reject });
      this.queuedWeight += this.weightOf(p);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.active >= this.lanes || this.scheduled) return;
    this.scheduled = true;
    // The commit starts once the requests already read from the sockets have queued their
    // work: setImmediate runs after this turn's I/O callbacks, so those share the commit, and
    // while it runs the next group gathers anyway. A fixed timer (it was 2 ms) left the process
    // idle with requests waiting: 13.8% of an ingest profile under 32 connections.
    const delay = this.opts.delayMs;
    if (delay === undefined || delay <= 0) setImmediate(() => this.flush());
    else setTimeout(() => this.flush(), delay);
  }

  /** Starts one group (one per turn of the event loop; what is left waits for the next, see the top). */
  private flush(): void {
    this.scheduled = false;
    // A further lane only for a group worth a transaction of its own; otherwise the work waits
    // for the next free lane, as it would with one.
    if (this.active >= this.lanes || this.queue.length === 0 || (this.active > 0 && this.queuedWeight < MIN_LANE_WEIGHT)) {
      this.settle();
      return;
    }
    const group = this.queue.splice(0, this.groupSize());
    for (const p of group) this.queuedWeight -= this.weightOf(p);
    this.active++;
    void this.runGroup(group)
      .catch((error: unknown) => this.opts.onError?.(error)) // commit() settles every item itself; never an unhandled rejection
      .finally(() => {
        this.active--;
        this.stats.depth = this.queue.length;
        this.settle();
      });
    // Another lane free: the next group may start on the next turn, while this one commits.
    if (this.queuedWeight >= MIN_LANE_WEIGHT) this.schedule();
  }

  /** After a group: the next one, or tell close() that everything committed. */
  private settle(): void {
    if (this.queue.length > 0 && (this.active === 0 || this.queuedWeight >= MIN_LANE_WEIGHT)) this.schedule();
    else if (this.active === 0 && !this.scheduled) for (const f of this.idle.splice(0)) f();
  }

  private async runGroup(group: Pending[]): Promise<void> {
    if (!this.opts.separateJobs) return this.commit(group);
    const merged = group.filter((p) => p.kind === 'merged');
    const jobs = group.filter((p) => p.kind === 'job');
    if (merged.length) await this.commit(merged);
    if (jobs.length === 0) return;
    const turn = this.jobChain.then(async () => {
      for (const p of jobs) await this.commit([p]);
    });
    this.jobChain = turn.catch(() => undefined); // commit() settles its jobs; the chain must not stick
    await turn;
  }

  private weightOf(p: Pick<Pending, 'kind' | 'item'>): number {
    return p.kind === 'merged' && this.merged.weight ? this.merged.weight(p.item as I) : 1;
  }

  /** How many queued items the next group takes: up to `maxGroupWeight`, and at least one. */
  private groupSize(): number {
    const max = this.opts.maxGroupWeight ?? MAX_GROUP_WEIGHT;
    let weight = 0;
    let n = 0;
    for (const p of this.queue) {
      const w = this.weightOf(p);
      if (n > 0 && weight + w > max) break;
      weight += w;
      n++;
    }
    return n;
  }

  private async commit(group: Pending[]): Promise<void> {
    const start = performance.now();
    for (let attempt = 1; ; attempt++) {
      try {
        const hooks: (() => void)[] = [];
        let staged = false;
        const results = await this.db.transaction().execute(async (trx) => {
          const changes: StageChange[] = [];
          await this.opts.begin?.(trx, group.every((p) => p.kind === 'merged'));
          const out = await this.execute(trx, group, (fn) => hooks.push(fn), (c) => changes.push(...c));
          await writeOutbox(trx, changes, this.opts.now?.() ?? Date.now());
          staged = changes.length > 0;
          return out;
        });
        const ms = performance.now() - start;
        this.stats.commits++;
        this.stats.lastCommitMs = ms;
        this.opts.onCommit?.(ms, group.length);
        if (staged) hooks.push(() => this.opts.onOutbox?.());
        for (const fn of hooks) {
          try {
            fn();
          } catch (error) {
            this.opts.onError?.(error);
          }
        }
        group.forEach((p, i) => p.resolve(results[i]));
        return;
      } catch (error) {
        // Lost a race with another instance: the whole transaction again, after a short random
        // wait so the two do not collide in lockstep.
        if (isRetryable(error) && attempt < MAX_ATTEMPTS) {
          await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
          continue;
        }
        if (group.length === 1) {
          this.opts.onError?.(error);
          group[0]!.reject(error);
          return;
        }
        for (const p of group) await this.commit([p]);
        return;
      }
    }
  }

  private async execute(trx: Transaction<DB>, group: Pending[], after: AfterCommit, stage: StageSink): Promise<unknown[]> {
    const out: unknown[] = new Array(group.length);
    const mergedIdx: number[] = [];
    for (let i = 0; i < group.length; i++) if (group[i]!.kind === 'merged') mergedIdx.push(i);
    if (mergedIdx.length > 0) {
      const results = await this.merged.run(trx, mergedIdx.map((i) => group[i]!.item as I), after, stage);
      mergedIdx.forEach((gi, k) => (out[gi] = results[k]));
    }
    for (let i = 0; i < group.length; i++) {
      const p = group[i]!;
      if (p.kind === 'job') out[i] = await p.job!(trx, after, stage);
    }
    return out;
  }

  /** Refuses new work and waits for everything queued to commit. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.active === 0 && !this.scheduled && this.queue.length === 0) return;
    await new Promise<void>((resolve) => {
      this.idle.push(resolve);
      this.settle();
    });
  }
}

/** What code outside ingest needs of the writer: running its own jobs in the group commit. */
export type JobRunner = Pick<Writer<unknown, unknown>, 'run'>;

export class WriterClosedError extends Error {
  override name = 'WriterClosedError';
  constructor() {
    super('the server is shutting down');
  }
}
