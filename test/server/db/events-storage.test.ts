import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator, sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { TimelinePage } from '../../../shared/contracts/api.ts';
import { uuidv7 } from '../../../shared/ids.ts';
import { DAY_MS } from '../../../shared/scoring/index.ts';
import { decodeEvents, eventOwners, leadEvents } from '../../../server/db/event-rows.ts';
import { migrationProvider } from '../../../server/db/migrations.ts';
import { openDatabase } from '../../../server/db/open.ts';
import { ensurePartitions, listPartitions, monthOf, monthsAround } from '../../../server/db/partitions.ts';
import { createIngest } from '../../../server/ingest/ingest.ts';
import { leadHistory } from '../../../server/scoring/lead-scores.ts';
import { loadLiveModels } from '../../../server/scoring/live-models.ts';
import { runRetention } from '../../../server/privacy/retention.ts';
import { Writer } from '../../../server/db/writer.ts';
import { BACKENDS, ev, get, post, testServer, usePostgres, type BackendName } from '../harness.ts';

// How events are stored (migration 0010): a body without what the columns hold, owners
// through the identities table (an identify rewrites no event row), monthly partitions on
// PostgreSQL, and retention in whole months or small chunks.

const pg = usePostgres();
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const leadId = async (url: string, rep: string, email: string): Promise<string> => (await get(url, rep, `/v1/leads?email=${email}`)).json.lead.id;

describe.each(BACKENDS)('stored events on %s', (backend: BackendName) => {
  it('stores the body without the columns, reads it back whole, and reads rows from before the change alike', async () => {
    const s = await testServer(backend, pg);
    try {
      const view = ev(s.siteKey, 'body-1', 'page_view', 60_000, { url: 'https://acme.test/pricing?utm_source=news', title: 'Pricing' });
      const who = ev(s.siteKey, 'body-1', 'identify', 50_000, { traits: { email: 'body@initech.com' }, source: 'form' });
      expect((await post(s.url, { events: [view, who] })).json).toMatchObject({ accepted: 2 });
      const row = await s.db.read.selectFrom('events').selectAll().where('id', '=', String(view.id)).executeTakeFirstOrThrow();
      const body = JSON.parse(row.body) as Record<string, unknown>;
      for (const k of ['id', 'site', 'anonymousId', 'type', 'ts']) expect(body).not.toHaveProperty(k);
      expect(body).toMatchObject({ url: 'https://acme.test/pricing?utm_source=news', title: 'Pricing', utm: { source: 'news' } });

      // A row as stored before 0010 (the whole event in the body), put next to it.
      const lead = await leadId(s.url, s.rep, 'body@initech.com');
      const oldTs = Date.now() - 40_000;
      const old = { id: uuidv7(oldTs), type: 'page_view', ts: oldTs, site: 'acme', anonymousId: 'body-1', sessionId: 's-old', url: 'https://acme.test/old' };
      await s.db.write.insertInto('events').values({ id: old.id, site: 'acme', anonymous_id: 'body-1', lead_id: null, ts: oldTs, type: 'page_view', body: JSON.stringify(old), received_at: oldTs }).execute();

      const history = await leadHistory(s.db.read, lead);
      expect(history.map((e) => e.id)).toEqual([view.id, who.id, old.id]);
      expect(history[0]).toMatchObject({ id: view.id, site: 'acme', anonymousId: 'body-1', type: 'page_view', ts: view.ts, url: view.url });
      expect(history[2]).toEqual(old);
      const page = TimelinePage.parse((await get(s.url, s.rep, `/v1/leads/${lead}/timeline`)).json);
      expect(page.items.map((i) => i.id)).toEqual([old.id, who.id, view.id]);
    } finally {
      await s.cleanup();
    }
  });

  it('joins a visitor to a lead through identities only, and on a shared computer keeps the earlier person their events', async () => {
    const s = await testServer(backend, pg);
    try {
      const before = [ev(s.siteKey, 'shared-pc', 'page_view', 90_000), ev(s.siteKey, 'shared-pc', 'page_view', 80_000)];
      await post(s.url, { events: before });
      await post(s.url, { events: [ev(s.siteKey, 'shared-pc', 'identify', 70_000, { traits: { email: 'first@initech.com' }, source: 'form' })] });
      // No event row was rewritten: the identity row alone says whose they are.
      const rows = await s.db.read.selectFrom('events').select(['id', 'lead_id']).where('anonymous_id', '=', 'shared-pc').execute();
      expect(rows.filter((r) => r.lead_id !== null)).toEqual([]);
      const first = await leadId(s.url, s.rep, 'first@initech.com');
      expect((await leadEvents(s.db.read, [first]).execute()).length).toBe(3);

      // Someone else fills in a form on the same computer.
      const second = ev(s.siteKey, 'shared-pc', 'identify', 60_000, { traits: { email: 'second@initech.com' }, source: 'form' });
      const later = ev(s.siteKey, 'shared-pc', 'page_view', 50_000);
      await post(s.url, { events: [second] });
      await post(s.url, { events: [later] });
      const other = await leadId(s.url, s.rep, 'second@initech.com');
      const firstIds = (await leadEvents(s.db.read, [first]).execute()).map((r) => r.id).sort();
      const otherIds = (await leadEvents(s.db.read, [other]).execute()).map((r) => r.id).sort();
      expect(firstIds).toHaveLength(3);
      expect(otherIds).toEqual([second.id, later.id].map(String).sort());
      expect(firstIds.filter((id) => otherIds.includes(id))).toEqual([]);
      const owners = await eventOwners(s.db.read).where('e.anonymous_id', '=', 'shared-pc').execute();
      expect(owners.filter((o) => o.lead_id !== first && o.lead_id !== other)).toEqual([]);
    } finally {
      await s.cleanup();
    }
  });

  it('deletes what retention drops in chunks, each its own short commit, and rescores the leads that lost events', async () => {
    const s = await testServer(backend, pg);
    try {
      const old = Array.from({ length: 23 }, (_, i) => ev(s.siteKey, 'chunky', 'page_view', 50 * DAY_MS + i * 1000, { url: 'https://acme.test/pricing' }));
      await post(s.url, { events: [...old, ev(s.siteKey, 'chunky', 'identify', DAY_MS, { traits: { email: 'chunky@initech.com' }, source: 'form' })] });
      const lead = await leadId(s.url, s.rep, 'chunky@initech.com');
      const state = async () => (await s.db.read.selectFrom('lead_scores').select('state').where('lead_id', '=', lead).executeTakeFirstOrThrow()).state;
      expect(await state()).toContain('pricing-page');
      // Tag health read from those page views: a row last reported before the cutoff goes with them.
      const health = (tag: string, at: number) => ({ tag_id: tag, path: '/pricing', selector: '#buy', state: 's' as const, since: at, last_at: at, by_selector: 1, by_fingerprint: 0, missed: 0 });
      await s.db.write.insertInto('tag_health').values([health('stale', Date.now() - 50 * DAY_MS), health('fresh', Date.now() - DAY_MS)]).execute();
      const live = await loadLiveModels(s.db.write);
      const writer = new Writer(s.db.write, createIngest({ models: () => live, now: () => Date.now() }), { separateJobs: backend === 'postgres' });
      const r = await runRetention({ db: s.db.write, writer, days: 30, models: () => live.models, chunk: 5 });
      expect((await s.db.read.selectFrom('tag_health').select('tag_id').execute()).map((h) => h.tag_id)).toEqual(['fresh']);
      await writer.close();
      expect(r).toMatchObject({ events: 23, leads: 1 });
      // 23 rows in chunks of 5: five delete commits, one rescore, one audit entry.
      expect(writer.stats.commits).toBeGreaterThanOrEqual(7);
      expect(await s.db.read.selectFrom('events').select('id').where('anonymous_id', '=', 'chunky').execute()).toHaveLength(1);
      expect(await state()).not.toContain('pricing-page');
    } finally {
      await s.cleanup();
    }
  });
});

describe('events by month on postgres', () => {
  it('puts events in their month, creates months ahead, moves rows out of the default partition, and drops whole months', async () => {
    const s = await testServer('postgres', pg);
    try {
      const db = s.db.write;
      const kind = await sql<{ strategy: string }>`SELECT partstrat AS strategy FROM pg_partitioned_table WHERE partrelid = 'events'::regclass`.execute(db);
      expect(kind.rows).toEqual([{ strategy: 'r' }]);
      const now = Date.now();
      const names = (await listPartitions(db)).map((p) => p.name);
      for (const p of monthsAround(now, 0, 3)) expect(names).toContain(p.name);

      // 100 days ago: no month partition yet, so the default one holds it.
      const agoMs = 100 * DAY_MS;
      const past = ev(s.siteKey, 'months', 'page_view', agoMs, { url: 'https://acme.test/pricing' });
      const recent = ev(s.siteKey, 'months', 'page_view', 1000);
      await post(s.url, { events: [past, recent, ev(s.siteKey, 'months', 'identify', 500, { traits: { email: 'months@initech.com' }, source: 'form' })] });
      const where = async (id: unknown) => (await sql<{ t: string }>`SELECT tableoid::regclass::text AS t FROM events WHERE id = ${String(id)}`.execute(db)).rows[0]?.t;
      expect(await where(past.id)).toBe('events_default');
      expect(await where(recent.id)).toBe(monthOf(Number(recent.ts)).name);

      // The leader creates that month (say it had been down): the row moves into it.
      const month = monthOf(Number(past.ts));
      expect(await ensurePartitions(db, [month])).toEqual([month.name]);
      expect(await where(past.id)).toBe(month.name);
      expect(await ensurePartitions(db, [month])).toEqual([]);

      // The same event sent again, even with another ts, is stored once.
      expect((await post(s.url, { events: [past] })).json).toMatchObject({ accepted: 0, duplicates: 1 });
      expect((await post(s.url, { events: [{ ...past, ts: Number(past.ts) + 5 }] })).json).toMatchObject({ accepted: 0, duplicates: 1 });
      expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM events WHERE id = ${String(past.id)}`.execute(db)).rows[0]!.n).toBe(1);

      // Retention at 60 days: that month is entirely past the cutoff (100 days back, ending at
      // most 31 days after), so it is dropped whole, not deleted row by row.
      const live = await loadLiveModels(db);
      const writer = new Writer(db, createIngest({ models: () => live, now: () => Date.now() }), { separateJobs: true });
      const r = await runRetention({ db, writer, days: 60, models: () => live.models });
      await writer.close();
      expect(r).toMatchObject({ events: 1, partitions: 1, leads: 1 });
      expect((await listPartitions(db)).map((p) => p.name)).not.toContain(month.name);
      expect(await where(past.id)).toBeUndefined();
      expect(await where(recent.id)).toBe(monthOf(Number(recent.ts)).name);
    } finally {
      await s.cleanup();
    }
  });

  it('migrates a database of unpartitioned events into months, keeping every event and its owner', async () => {
    const url = await pg().newDatabase();
    const { Kysely, PostgresDialect } = await import('kysely');
    const pgmod = await import('pg');
    const pool = new pgmod.default.Pool({ connectionString: url });
    const raw = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
    try {
      const up = await new Migrator({ db: raw, provider: migrationProvider('postgres') }).migrateTo('0005_outbox');
      expect(up.error).toBeUndefined();
      const now = Date.now();
      const lead = uuidv7(now);
      const other = uuidv7(now + 1);
      const rows = [
        // joined by an identify before 0010 (lead id written on the row), pinned to the lead (an offline touchpoint), still anonymous, and years old.
        { anon: 'a', lead_id: lead, ts: now - 3 * DAY_MS },
        { anon: 'lead:x', lead_id: lead, ts: now - 2 * DAY_MS },
        { anon: 'b', lead_id: null, ts: now - 40 * DAY_MS },
        { anon: 'a', lead_id: other, ts: now - 5 * 365 * DAY_MS },
      ].map((r, i) => {
        const id = uuidv7(r.ts + i);
        const body = JSON.stringify({ id, type: 'page_view', ts: r.ts, site: 'acme', anonymousId: r.anon, sessionId: 's', url: `https://acme.test/${i}` });
        return { id, site: 'acme', anonymous_id: r.anon, lead_id: r.lead_id, ts: r.ts, type: 'page_view', body, received_at: r.ts };
      });
      await raw.insertInto('events').values(rows).execute();
      await raw.insertInto('identities').values({ site: 'acme', anonymous_id: 'a', lead_id: lead, created_at: now }).execute();
    } finally {
      await raw.destroy();
    }
    const db = await openDatabase({ databaseUrl: url });
    try {
      const parted = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_partitioned_table WHERE partrelid = 'events'::regclass`.execute(db.read);
      expect(parted.rows[0]!.n).toBe(1);
      const all = await db.read.selectFrom('events').select(['anonymous_id', 'lead_id']).orderBy('ts').execute();
      expect(all).toHaveLength(4);
      // The identity now says whose 'a' is; the touchpoint and the shared-computer row stay pinned.
      expect(all.map((r) => [r.anonymous_id, r.lead_id === null ? null : 'pinned'])).toEqual([
        ['a', 'pinned'],
        ['b', null],
        ['a', null],
        ['lead:x', 'pinned'],
      ]);
      const lead = (await db.read.selectFrom('identities').select('lead_id').executeTakeFirstOrThrow()).lead_id;
      const history = decodeEvents(await leadEvents(db.read, [lead]).orderBy('ts').execute());
      expect(history.map((e) => e.anonymousId)).toEqual(['a', 'lead:x']);
      const where = await sql<{ t: string }>`SELECT tableoid::regclass::text AS t FROM events ORDER BY ts`.execute(db.read);
      expect(where.rows.map((r) => r.t)).toEqual(['events_default', monthOf(Date.now() - 40 * DAY_MS).name, monthOf(Date.now() - 3 * DAY_MS).name, monthOf(Date.now() - 2 * DAY_MS).name]);
    } finally {
      await db.close();
    }
  });
});

describe('migration on sqlite', () => {
  it('keeps every event and drops the lead id only where the identity says the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'leadglow-mig-'));
    dirs.push(dir);
    const first = await openDatabase({ dataDir: dir });
    await first.close();
    // Back to before 0010, rows as they were then, and forward again.
    const { default: Database } = await import('better-sqlite3');
    const { Kysely, SqliteDialect } = await import('kysely');
    const raw = new Kysely<any>({ dialect: new SqliteDialect({ database: new Database(join(dir, 'leadglow.db')) }) });
    const down = await new Migrator({ db: raw, provider: migrationProvider('sqlite') }).migrateTo('0005_outbox');
    expect(down.error).toBeUndefined();
    const now = Date.now();
    const lead = uuidv7(now);
    await raw
      .insertInto('events')
      .values([
        { id: uuidv7(now - 2), site: 'acme', anonymous_id: 'a', lead_id: lead, ts: now - 2, type: 'custom', body: '{}', received_at: now },
        { id: uuidv7(now - 1), site: 'acme', anonymous_id: 'lead:x', lead_id: lead, ts: now - 1, type: 'custom', body: '{}', received_at: now },
      ])
      .execute();
    await raw.insertInto('identities').values({ site: 'acme', anonymous_id: 'a', lead_id: lead, created_at: now }).execute();
    await raw.destroy();
    const db = await openDatabase({ dataDir: dir });
    try {
      const rows = await db.read.selectFrom('events').select(['anonymous_id', 'lead_id']).orderBy('ts').execute();
      expect(rows).toEqual([
        { anonymous_id: 'a', lead_id: null },
        { anonymous_id: 'lead:x', lead_id: lead },
      ]);
      expect((await leadEvents(db.read, [lead]).execute()).length).toBe(2);
    } finally {
      await db.close();
    }
  });
});
