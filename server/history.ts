import type { Kysely } from 'kysely';
import { createBacktest, type BacktestOptions } from '../shared/analytics/backtest.ts';
import { judgedAt, typesThatCount, type HistoryLead } from '../shared/analytics/replay.ts';
import { createReport, type ReportOptions, type Scorer } from '../shared/analytics/report.ts';
import { EVENT_TYPES, type Event, type EventType } from '../shared/contracts/event.ts';
import type { Feedback, LeadProfile, Outcome } from '../shared/contracts/lead.ts';
import type { Backtest, Report } from '../shared/contracts/marketing.ts';
import type { Model } from '../shared/contracts/model.ts';
import { predictLead } from '../shared/predictive/lead-predict.ts';
import type { PredictiveModel } from '../shared/predictive/model.ts';
import type { DB } from './db/schema.ts';
import { chunks } from './leads.ts';

// Lead histories (profile, events, outcome) read in pages for reports and backtests, which
// run the pure code in shared/analytics over them. A page at a time keeps memory flat on a
// store of 100k leads, and yielding every few dozen leads keeps a server answering meanwhile.

/**
 * Leads per query. better-sqlite3 runs a query on the event loop, so a page is also the
 * longest stretch a report keeps the server from answering: 50 leads' events (about a
 * thousand rows) take 10-30 ms.
 */
export const PAGE_SIZE = 50;

export type Progress = (done: number, total: number) => void;

export async function countLeads(db: Kysely<DB>): Promise<number> {
  const row = await db.selectFrom('leads').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Every lead with its stored history (of `types`, default all), `pageSize` leads at a time, in id order. */
export async function* historyPages(db: Kysely<DB>, pageSize = PAGE_SIZE, types?: readonly EventType[]): AsyncGenerator<HistoryLead[]> {
  let after = '';
  for (;;) {
    const rows = await db.selectFrom('leads').select(['id', 'emails', 'profile', 'feedback', 'outcome']).where('id', '>', after).orderBy('id').limit(pageSize).execute();
    if (rows.length === 0) return;
    const events = new Map<string, Event[]>();
    for (const ids of chunks(rows.map((r) => r.id), 500)) {
      let q = db.selectFrom('events').select(['lead_id', 'body']).where('lead_id', 'in', ids);
      if (types && types.length < EVENT_TYPES.length) q = q.where('type', 'in', [...types]);
      const found = await q.orderBy('lead_id').orderBy('ts').orderBy('id').execute();
      for (const e of found) {
        const list = events.get(e.lead_id!);
        const event = JSON.parse(e.body) as Event;
        if (list) list.push(event);
        else events.set(e.lead_id!, [event]);
      }
    }
    yield rows.map((r) => {
      const profile = JSON.parse(r.profile) as LeadProfile;
      const emails = JSON.parse(r.emails) as string[];
      return {
        id: r.id,
        email: emails[0],
        name: profile.name,
        profile,
        events: events.get(r.id) ?? [],
        outcome: r.outcome ? (JSON.parse(r.outcome) as Outcome) : undefined,
        feedback: r.feedback ? (JSON.parse(r.feedback) as Feedback) : undefined,
      };
    });
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1]!.id;
  }
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
  const row = await db.selectFrom('models').select(['json', 'version']).where('id', '=', id).where('status', '=', 'draft').executeTakeFirst();
  return row ? { ...(JSON.parse(row.json) as Model), version: row.version } : undefined;
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
