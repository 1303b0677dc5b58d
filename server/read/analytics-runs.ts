import type { Kysely } from 'kysely';
import { createBacktest, type BacktestBuilder, type BacktestLead, type BacktestOptions } from '../../shared/analytics/backtest.ts';
import { judgedAt, typesThatCount, type HistoryLead } from '../../shared/analytics/replay.ts';
import { createReport, type ReportBuilder, type ReportLead, type ReportOptions, type Scorer } from '../../shared/analytics/report.ts';
import { EVENT_TYPES, type EventType } from '../../shared/contracts/event.ts';
import type { Backtest, Report } from '../../shared/contracts/marketing.ts';
import type { Model } from '../../shared/contracts/model.ts';
import { predictLead } from '../../shared/predictive/lead-predict.ts';
import type { PredictiveModel } from '../../shared/predictive/predictive-model.ts';
import { leadEmails, leadFeedback, leadOutcome, leadProfile } from '../db/lead-rows.ts';
import { storedModel } from '../db/model-rows.ts';
import { unpack } from '../db/lead-summary-codec.ts';
import type { OpenDatabase } from '../db/open.ts';
import type { DB } from '../db/schema.ts';
import { runPool } from './worker-pool.ts';

// Lead histories (profile, events, outcome) read in pages for reports and backtests, which
// run the pure code in shared/analytics over them. Each lead's events come packed in one row
// (db/lead-summary.ts, kept at ingest), not as one row and one JSON body per event. A page at a
// time keeps memory flat on a store of 100k leads, and yielding every few dozen leads keeps a
// server answering meanwhile.

/** Leads per query (one row each). */
export const PAGE_SIZE = 200;

export type Progress = (done: number, total: number) => void;

export async function countLeads(db: Kysely<DB>): Promise<number> {
  const row = await db.selectFrom('leads').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** A lead as stored: its row's JSON columns and its packed events, not yet parsed (cheap to hand to a worker). */
export type RawHistoryLead = { id: string; emails: string; profile: string; feedback: string | null; outcome: string | null; packed: string | null };

/** Every lead with its packed events, `pageSize` leads at a time, in id order. */
export async function* rawHistoryPages(db: Kysely<DB>, pageSize = PAGE_SIZE): AsyncGenerator<RawHistoryLead[]> {
  let after = '';
  for (;;) {
    const rows = await historyPage(db, { after, limit: pageSize });
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1]!.id;
  }
}

/** A page of leads by id: after `after`, up to `last` (inclusive) or `limit` leads. */
export type PageBounds = { after: string; last?: string | undefined; limit?: number | undefined };

/** The leads of one page with their packed events, in id order. */
export function historyPage(db: Kysely<DB>, { after, last, limit }: PageBounds): Promise<RawHistoryLead[]> {
  let q = db
    .selectFrom('leads as l')
    .leftJoin('lead_summaries as s', 's.lead_id', 'l.id')
    .select(['l.id as id', 'l.emails as emails', 'l.profile as profile', 'l.feedback as feedback', 'l.outcome as outcome', 's.packed as packed'])
    .where('l.id', '>', after)
    .orderBy('l.id');
  if (last !== undefined) q = q.where('l.id', '<=', last);
  if (limit !== undefined) q = q.limit(limit);
  return q.execute();
}

/**
 * Pages of lead ids, `pageSize` at a time, as bounds for historyPage: reading ids only is cheap
 * (the primary key), so the thread that cuts the pages need not read the histories.
 */
export async function* leadIdPages(db: Kysely<DB>, pageSize: number): AsyncGenerator<{ after: string; last: string; size: number }> {
  let after = '';
  for (;;) {
    const rows = await db.selectFrom('leads').select('id').where('id', '>', after).orderBy('id').limit(pageSize).execute();
    if (rows.length === 0) return;
    const last = rows[rows.length - 1]!.id;
    yield { after, last, size: rows.length };
    if (rows.length < pageSize) return;
    after = last;
  }
}

/** A stored lead as the analytics read it: its events of `types` (all when not given), in (ts, id) order. */
export function historyLead(r: RawHistoryLead, types?: ReadonlySet<EventType>): HistoryLead {
  // A lead that does not decode fails the run, naming the lead (db/lead-rows.ts): a report
  // over a half-read lead would be wrong without a word.
  const profile = leadProfile(r);
  const emails = leadEmails(r);
  return {
    id: r.id,
    email: emails[0],
    name: profile.name,
    profile,
    events: unpack(r.packed, types),
    outcome: leadOutcome(r),
    feedback: leadFeedback(r),
  };
}

/** Every lead with its stored history (of `types`, default all), `pageSize` leads at a time, in id order. */
export async function* historyPages(db: Kysely<DB>, pageSize = PAGE_SIZE, types?: readonly EventType[]): AsyncGenerator<HistoryLead[]> {
  const only = typeSet(types);
  for await (const page of rawHistoryPages(db, pageSize)) yield page.map((r) => historyLead(r, only));
}

/** The types as a set, or undefined when every type is asked for (no filter). */
export function typeSet(types: readonly EventType[] | undefined): ReadonlySet<EventType> | undefined {
  return types && types.length < EVENT_TYPES.length ? new Set(types) : undefined;
}

/**
 * The predictive model's probability as a report curve, judged at the same moment as the point
 * model (just before the outcome), on leads decided after the model was trained only: never an
 * in-sample curve. Its cross-validated AUC is in GET /v1/predictive.
 */
export function predictiveScorer(model: PredictiveModel, now: number): Scorer {
  return {
    name: 'predictive (leads decided after it was trained)',
    score: (lead) => (lead.outcome && lead.outcome.at <= model.trainedAt ? undefined : predictLead(model, { profile: lead.profile, ...(lead.email ? { emails: [lead.email] } : {}), events: lead.events }, judgedAt(lead, now)).probability),
  };
}

/** The model's draft, if it has one (one per model id; see routes/marketing.ts). */
export async function loadDraft(db: Kysely<DB>, id: string): Promise<Model | undefined> {
  const row = await db.selectFrom('models').select(['id', 'json', 'version']).where('id', '=', id).where('status', '=', 'draft').executeTakeFirst();
  return row ? { ...storedModel(row), version: row.version } : undefined;
}

type RunOptions = { onProgress?: Progress | undefined; pageSize?: number | undefined };

export async function runReport(db: Kysely<DB>, options: ReportOptions & RunOptions): Promise<Report> {
  const builder = createReport(options);
  // Extra scorers (the predictive model) may read any event; the point models only some types.
  const types = options.scorers?.length ? undefined : typesThatCount([options.model, ...(options.draft ? [options.draft] : [])]);
  await eachPage(db, options, types, (page) => builder.add(page));
  return builder.finish();
}

export async function runBacktest(db: Kysely<DB>, options: BacktestOptions & RunOptions): Promise<Backtest> {
  const builder = createBacktest(options);
  await eachPage(db, options, typesThatCount([options.live, options.draft]), (page) => builder.add(page));
  return builder.finish();
}

/** Leads replayed between two yields: 5-15 ms of work, so ingest waits no longer than that. */
const SLICE = 25;

async function eachPage(db: Kysely<DB>, { onProgress, pageSize }: RunOptions, types: readonly EventType[] | undefined, add: (page: HistoryLead[]) => void): Promise<void> {
  const total = onProgress ? await countLeads(db) : 0;
  let done = 0;
  for await (const page of historyPages(db, pageSize, types)) {
    for (let i = 0; i < page.length; i += SLICE) {
      const slice = page.slice(i, i + SLICE);
      add(slice);
      done += slice.length;
      onProgress?.(done, total);
      // Let requests waiting on the event loop run.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

// --- in workers ----------------------------------------------------------------------------------

/** A report or backtest as plain data for the workers (a predictive scorer travels as its model). */
export type AnalyticsJob =
  | { kind: 'report'; options: Omit<ReportOptions, 'scorers'> & { predictive?: PredictiveModel | undefined } }
  | { kind: 'backtest'; options: BacktestOptions };
/**
 * What each worker starts with: the job, the event types its replays read (all when not given),
 * and the SQLite file when the workers read the leads themselves.
 */
export type AnalyticsStart = { job: AnalyticsJob; types?: EventType[] | undefined; sqliteFile?: string | undefined };
/** A page for a worker: the leads' rows, or on SQLite the bounds of the page for the worker to read. */
export type AnalyticsPage = RawHistoryLead[] | { after: string; last: string; size: number };

const WORKER = new URL('./analytics-worker.ts', import.meta.url);
/**
 * Leads per query in a worker run. Each query and the copy of its rows to a worker run on the
 * event loop, so the page bounds the stall: 100 packed leads of 50 events are about 300 kB.
 */
export const WORKER_PAGE_SIZE = 100;

type WorkerRunOptions = RunOptions & {
  /** Worker threads at most (default: one per core, worker-pool.ts). */
  workers?: number | undefined;
};

/**
 * Runs a report or backtest over a few worker threads. This thread cuts the leads into pages;
 * the workers unpack and judge each page's leads (whichever is free takes the next page), and
 * this thread counts the judged leads in page order, so the result is exactly the one-builder
 * result whichever worker judged which page. Given the open store on SQLite, this thread reads
 * only the pages' id bounds and each worker reads its pages' rows on its own connection: 100k
 * leads are about 575 MB of packed text, whose reading, copying to a worker and collecting
 * otherwise fall on the event loop. Given a Kysely handle (or PostgreSQL), this thread reads the
 * rows and posts them. Progress counts the leads counted. Resolves with the workers' thread ids.
 */
export async function runInWorker<T extends Report | Backtest>(store: Kysely<DB> | OpenDatabase, job: AnalyticsJob, { onProgress, pageSize, workers }: WorkerRunOptions = {}): Promise<{ value: T; threadId: number | undefined; threadIds: number[] }> {
  const db = 'backend' in store ? store.read : store;
  const sqliteFile = 'backend' in store && store.backend === 'sqlite' ? store.location : undefined;
  const models = job.kind === 'report' ? [job.options.model, ...(job.options.draft ? [job.options.draft] : [])] : [job.options.live, job.options.draft];
  const types = job.kind === 'report' && job.options.predictive ? undefined : typesThatCount(models);
  const failed = (error: unknown) => new Error(`${job.kind} failed: ${error instanceof Error ? error.message : String(error)}`);
  let builder: ReportBuilder | BacktestBuilder;
  try {
    if (job.kind === 'backtest') builder = createBacktest(job.options);
    else {
      const { predictive, ...options } = job.options;
      // The scorer's name titles its curve here; its scores come from the workers.
      builder = createReport({ ...options, ...(predictive ? { scorers: [predictiveScorer(predictive, options.now)] } : {}) });
    }
  } catch (error) {
    throw failed(error);
  }
  const total = onProgress ? await countLeads(db) : 0;
  let done = 0;
  const size = pageSize ?? WORKER_PAGE_SIZE;
  const { threadIds } = await runPool<AnalyticsStart, AnalyticsPage, ReportLead[] | BacktestLead[]>({
    entry: WORKER,
    name: job.kind,
    start: { job, types, sqliteFile },
    pages: sqliteFile ? leadIdPages(db, size) : rawHistoryPages(db, size),
    workers,
    take(judged, page) {
      // Each job's workers answer its own kind of judged lead.
      (builder.take as (leads: Iterable<ReportLead | BacktestLead>) => void)(judged);
      done += Array.isArray(page) ? page.length : page.size;
      onProgress?.(done, total);
    },
  });
  try {
    return { value: builder.finish() as T, threadId: threadIds[0], threadIds };
  } catch (error) {
    throw failed(error);
  }
}
