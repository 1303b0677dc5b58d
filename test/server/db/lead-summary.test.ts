import { Migrator, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { buildBacktest } from '../../../shared/analytics/backtest.ts';
import { typesThatCount, type HistoryLead } from '../../../shared/analytics/replay.ts';
import { buildReport } from '../../../shared/analytics/report.ts';
import type { Event } from '../../../shared/contracts/event.ts';
import type { Feedback, LeadProfile, Outcome } from '../../../shared/contracts/lead.ts';
import type { Model } from '../../../shared/contracts/model.ts';
import { DAY_MS, defaultModel, readScore, stateFromHistory } from '../../../shared/scoring/index.ts';
import { seedDemo } from '../../../server/demo/seed.ts';
import { unpack } from '../../../server/db/lead-summary-codec.ts';
import { rebuildSummaries } from '../../../server/db/lead-summary.ts';
import { unpackV1 } from '../../../server/db/lead-summary-v1.ts';
import { migrationProvider } from '../../../server/db/migrations.ts';
import type { DB } from '../../../server/db/schema.ts';
import { Writer } from '../../../server/db/writer.ts';
import { createIngest } from '../../../server/ingest/ingest.ts';
import { eraseLead } from '../../../server/privacy/erase.ts';
import { runRetention } from '../../../server/privacy/retention.ts';
import { runBacktest, runInWorker, runReport } from '../../../server/read/analytics-runs.ts';
import { factsOf, leadHistory, leadRows, storedScores } from '../../../server/scoring/lead-scores.ts';
import { loadLiveModels } from '../../../server/scoring/live-models.ts';
import { rescoreChunk } from '../../../server/scoring/rescore-chunk.ts';
import type { Backtest, Report } from '../../../shared/contracts/marketing.ts';
import { BACKENDS, ev, get, post, testServer, usePostgres, type BackendName } from '../harness.ts';

// The per-lead summaries (server/db/lead-summary.ts) against the events table they stand for.
// The invariant is equality: each lead's unpacked summary is, field for field, what decoding
// its stored rows through the contract gives (leadHistory, the raw path), and reports,
// backtests and rescoring over the summaries equal the same computations over that raw replay:
// on the demo history sent through real ingest (every event type, touchpoints and outcomes),
// then after a visitor joins a lead, a shared-computer relink, an erasure and retention.

const pg = usePostgres();
const ORIGIN = 'http://127.0.0.1:8788';
const draft: Model = { ...defaultModel, version: defaultModel.version + 1, thresholds: { ...defaultModel.thresholds, mql: { ...defaultModel.thresholds.mql, interest: 30 } } };

async function leadIds(db: Kysely<DB>): Promise<string[]> {
  return (await db.selectFrom('leads').select('id').orderBy('id').execute()).map((r) => r.id);
}

/** Every lead's summary unpacked equals its raw rows decoded; no summary outlives its lead. */
async function expectSummariesMatch(db: Kysely<DB>): Promise<number> {
  const ids = await leadIds(db);
  const packed = new Map((await db.selectFrom('lead_summaries').select(['lead_id', 'packed']).execute()).map((r) => [r.lead_id, r.packed]));
  for (const k of packed.keys()) expect(ids, `summary of a lead that is gone: ${k}`).toContain(k);
  let events = 0;
  for (const id of ids) {
    const raw = await leadHistory(db, id);
    expect(unpack(packed.get(id)), `lead ${id}`).toStrictEqual(raw);
    events += raw.length;
  }
  return events;
}

/** The leads as the analytics read them, built from the raw rows (the old path: the oracle). */
async function rawLeads(db: Kysely<DB>, keep: (e: Event) => boolean): Promise<HistoryLead[]> {
  const rows = await db.selectFrom('leads').select(['id', 'emails', 'profile', 'feedback', 'outcome']).orderBy('id').execute();
  const out: HistoryLead[] = [];
  for (const r of rows) {
    const profile = JSON.parse(r.profile) as LeadProfile;
    out.push({
      id: r.id,
      email: (JSON.parse(r.emails) as string[])[0],
      name: profile.name,
      profile,
      events: (await leadHistory(db, r.id)).filter(keep),
      outcome: r.outcome ? (JSON.parse(r.outcome) as Outcome) : undefined,
      feedback: r.feedback ? (JSON.parse(r.feedback) as Feedback) : undefined,
    });
  }
  return out;
}

/** Reports and backtests over the summaries (in this thread and in the worker) equal those over the raw replay. */
async function expectAnalyticsMatch(db: Kysely<DB>, now: number): Promise<Report> {
  const types = new Set(typesThatCount([defaultModel, draft]));
  const raw = await rawLeads(db, (e) => types.has(e.type));
  const report = await runReport(db, { model: defaultModel, draft, now, weeks: 13 });
  expect(report).toEqual(buildReport(raw, { model: defaultModel, draft, now, weeks: 13 }));
  const inWorker = await runInWorker<Report>(db, { kind: 'report', options: { model: defaultModel, draft, now, weeks: 13 } });
  expect(inWorker.value).toEqual(report);
  const backtest = await runBacktest(db, { live: defaultModel, draft, now, weeks: 13 });
  expect(backtest).toEqual(buildBacktest(raw, { live: defaultModel, draft, now, weeks: 13 }));
  const backtestInWorker = await runInWorker<Backtest>(db, { kind: 'backtest', options: { live: defaultModel, draft, now, weeks: 13 } });
  expect(backtestInWorker.value).toEqual(backtest);
  return report;
}

/** Rescoring from the summaries writes exactly the state and score a rebuild from the raw rows gives. */
async function expectRescoreMatches(db: Kysely<DB>, now: number): Promise<void> {
  const ids = await leadIds(db);
  const model = { ...draft, version: draft.version + 1 };
  await db.transaction().execute(async (trx) => {
    const leads = await leadRows(trx, ids);
    const { scored } = await rescoreChunk(trx, leads, await storedScores(trx, ids), [model], now);
    expect(scored).toBe(ids.length);
    const rows = new Map((await trx.selectFrom('lead_scores').selectAll().where('model_id', '=', model.id).execute()).map((r) => [r.lead_id, r]));
    for (const id of ids) {
      const state = stateFromHistory(model, await leadHistory(trx, id));
      const score = readScore(model, factsOf(leads.get(id)!), state, now);
      expect(rows.get(id), `lead ${id}`).toMatchObject({ model_version: model.version, state: JSON.stringify(state), stage: score.stage, fit: score.fit.score, interest: score.interest.score });
    }
  });
}

describe.each(BACKENDS)('lead summaries on %s', (backend: BackendName) => {
  it('equal the stored events, and reports, backtests and rescoring over them equal a raw replay, through joins, relinks, erasure and retention', async () => {
    const s = await testServer(backend, pg);
    try {
      const demoKey = await s.createKey({ role: 'site', site: 'demo', origins: [ORIGIN] });
      const seeded = await seedDemo({ url: s.url, db: s.db, siteKey: demoKey, adminToken: s.admin, origin: ORIGIN }, { seed: 5 });
      expect(seeded.leads).toBeGreaterThan(100);
      const now = Date.now();

      // The demo history: every event type the demo makes, touchpoints and outcomes included.
      const events = await expectSummariesMatch(s.db.read);
      expect(events).toBeGreaterThan(1000);
      const types = new Set((await s.db.read.selectFrom('events').select('type').distinct().execute()).map((r) => r.type));
      for (const t of ['page_view', 'engagement', 'download', 'form_submit', 'click', 'identify', 'email_open', 'email_click', 'custom']) expect(types).toContain(t);
      // An upgrade of a store with data: migration 0011 builds them from the stored rows (v1),
      // and 0013 rewrites them in form v2.
      const migrator = new Migrator({ db: s.db.write, provider: migrationProvider(backend) });
      // Every migration after 0010 goes down and up again (0011 first among them), whichever were added since.
      const later = Object.keys(await migrationProvider(backend).getMigrations()).filter((name) => name > '0010_events_partitioned').sort();
      expect(later.slice(0, 3)).toEqual(['0011_lead_summary', '0012_lookup_indexes', '0013_lead_summary_v2']);
      // Down to the v1 form (0012) first: every row is v1 and holds the same events.
      const v2 = await s.db.read.selectFrom('lead_summaries').select(['lead_id', 'packed']).orderBy('lead_id').execute();
      const toV1 = await migrator.migrateTo('0012_lookup_indexes');
      expect(toV1.results?.map((r) => [r.migrationName, r.direction, r.status])).toEqual(later.slice(2).reverse().map((name) => [name, 'Down', 'Success']));
      const v1 = await s.db.read.selectFrom('lead_summaries').select(['lead_id', 'packed']).orderBy('lead_id').execute();
      expect(v1.every((r) => r.packed.startsWith('{'))).toBe(true);
      expect(v1.map((r) => [r.lead_id, unpackV1(r.packed)])).toStrictEqual(v2.map((r) => [r.lead_id, unpack(r.packed)]));
      const down = await migrator.migrateTo('0010_events_partitioned');
      expect(down.results?.map((r) => [r.migrationName, r.direction, r.status])).toEqual(later.slice(0, 2).reverse().map((name) => [name, 'Down', 'Success']));
      const up = await migrator.migrateToLatest();
      expect(up.results?.map((r) => [r.migrationName, r.direction, r.status])).toEqual(later.map((name) => [name, 'Up', 'Success']));
      expect((await s.db.read.selectFrom('lead_summaries').select('packed').execute()).some((r) => r.packed.startsWith('{'))).toBe(false);
      expect(await expectSummariesMatch(s.db.read)).toBe(events);

      const report = await expectAnalyticsMatch(s.db.read, now);
      expect(report.won + report.lost).toBeGreaterThan(0);

      // A summary kept at ingest is the one a rebuild from the rows makes.
      const before = await s.db.read.selectFrom('lead_summaries').select(['lead_id', 'packed']).orderBy('lead_id').execute();
      await s.db.write.transaction().execute((trx) => rebuildSummaries(trx, before.map((r) => r.lead_id)));
      const rebuilt = await s.db.read.selectFrom('lead_summaries').select(['lead_id', 'packed']).orderBy('lead_id').execute();
      expect(rebuilt.map((r) => [r.lead_id, unpack(r.packed)])).toStrictEqual(before.map((r) => [r.lead_id, unpack(r.packed)]));

      // A visitor with a history joins a known lead on another device...
      const known = (await s.db.read.selectFrom('lead_emails').select(['email', 'lead_id']).orderBy('email').limit(1).executeTakeFirstOrThrow());
      await post(s.url, { events: [ev(s.siteKey, 'laptop-1', 'page_view', 90_000, { url: 'https://acme.test/pricing' }), ev(s.siteKey, 'laptop-1', 'page_view', 80_000, { url: 'https://acme.test/demo' })] });
      await post(s.url, { events: [ev(s.siteKey, 'laptop-1', 'identify', 70_000, { traits: { email: known.email }, source: 'form' })] });
      // ...then someone else uses that laptop: views and their form in one batch (a relink).
      await post(s.url, {
        events: [
          ev(s.siteKey, 'laptop-1', 'page_view', 60_000, { url: 'https://acme.test/careers' }),
          ev(s.siteKey, 'laptop-1', 'identify', 50_000, { traits: { email: 'someone.else@initech.com' }, source: 'form' }),
          ev(s.siteKey, 'laptop-1', 'click', 40_000, { selector: '#buy', weight: 10, tags: ['buy'] }),
        ],
      });
      const other = (await get(s.url, s.rep, '/v1/leads?email=someone.else@initech.com')).json.lead.id as string;
      expect(unpack((await s.db.read.selectFrom('lead_summaries').select('packed').where('lead_id', '=', other).executeTakeFirstOrThrow()).packed).length).toBeGreaterThan(0);
      await expectSummariesMatch(s.db.read);

      // Erasure: the lead's summary goes, and no summary holds any of its events.
      const erasedEvents = (await leadHistory(s.db.read, known.lead_id)).map((e) => e.id);
      expect(erasedEvents.length).toBeGreaterThan(2);
      await s.db.write.transaction().execute((trx) => eraseLead(trx, known.lead_id, 'test'));
      const left = (await s.db.read.selectFrom('lead_summaries').select('packed').execute()).map((r) => r.packed).join('\n');
      for (const id of erasedEvents) expect(left).not.toContain(id);
      expect(left).not.toContain(known.email);

      // Retention: events older than 45 days leave the summaries too.
      const live = await loadLiveModels(s.db.read);
      const writer = new Writer(s.db.write, createIngest({ models: () => live, now: () => Date.now() }), { separateJobs: backend === 'postgres' });
      const r = await runRetention({ db: s.db.write, writer, days: 45, models: () => live.models, now });
      await writer.close();
      expect(r.events).toBeGreaterThan(0);
      const kept = await expectSummariesMatch(s.db.read);
      expect(kept).toBeLessThan(events);
      const oldest = await s.db.read.selectFrom('lead_summaries').select('packed').execute();
      for (const row of oldest) for (const e of unpack(row.packed)) expect(e.ts).toBeGreaterThanOrEqual(now - 45 * DAY_MS);

      await expectAnalyticsMatch(s.db.read, now);
      await expectRescoreMatches(s.db.write, now);
    } finally {
      await s.cleanup();
    }
  }, 600_000);
});
