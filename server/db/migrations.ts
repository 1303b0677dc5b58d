import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { rebuildAllSummaries, rewriteAllSummaries } from './lead-summary.ts';
import { packSegment, unpack } from './lead-summary-codec.ts';
import { packSegmentV1, unpackV1 } from './lead-summary-v1.ts';
import { MEMBER_SUMS_SQL } from './member-sums-index.ts';
import { ensurePartitions, monthOf, monthsAround } from './partitions.ts';

// Versioned migrations, in code so they ship inside the bundle and run on both backends.
// Add a new entry with the next number; never edit one that has shipped.

type Dialect = 'sqlite' | 'postgres';

function migrations(dialect: Dialect): Record<string, Migration> {
  const serial = dialect === 'postgres' ? 'bigserial' : 'integer';
  return {
    '0001_init': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('keys')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('hash', 'text', (c) => c.notNull().unique())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('site', 'text')
          .addColumn('origins', 'text', (c) => c.notNull().defaultTo('[]'))
          .addColumn('name', 'text')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('revoked_at', 'bigint')
          .execute();

        await db.schema
          .createTable('events')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('site', 'text', (c) => c.notNull())
          .addColumn('anonymous_id', 'text', (c) => c.notNull())
          .addColumn('lead_id', 'text')
          .addColumn('ts', 'bigint', (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('body', 'text', (c) => c.notNull())
          .addColumn('received_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('events_lead').on('events').columns(['lead_id', 'ts', 'id']).execute();
        await db.schema.createIndex('events_anon').on('events').columns(['site', 'anonymous_id']).execute();
        await db.schema.createIndex('events_ts').on('events').column('ts').execute();

        await db.schema
          .createTable('identities')
          .addColumn('site', 'text', (c) => c.notNull())
          .addColumn('anonymous_id', 'text', (c) => c.notNull())
          .addColumn('lead_id', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('identities_pk', ['site', 'anonymous_id'])
          .execute();
        await db.schema.createIndex('identities_lead').on('identities').column('lead_id').execute();

        await db.schema
          .createTable('identity_links')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('lead_id', 'text', (c) => c.notNull())
          .addColumn('site', 'text', (c) => c.notNull())
          .addColumn('anonymous_id', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('from_lead_id', 'text')
          .addColumn('event_id', 'text')
          .addColumn('at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('identity_links_lead').on('identity_links').column('lead_id').execute();

        await db.schema
          .createTable('leads')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('emails', 'text', (c) => c.notNull())
          .addColumn('profile', 'text', (c) => c.notNull())
          .addColumn('company_domain', 'text')
          .addColumn('feedback', 'text')
          .addColumn('outcome', 'text')
          .addColumn('first_seen', 'bigint', (c) => c.notNull())
          .addColumn('last_seen', 'bigint', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('leads_company').on('leads').column('company_domain').execute();

        await db.schema
          .createTable('lead_emails')
          .addColumn('email', 'text', (c) => c.primaryKey())
          .addColumn('lead_id', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('lead_emails_lead').on('lead_emails').column('lead_id').execute();

        await db.schema
          .createTable('lead_scores')
          .addColumn('lead_id', 'text', (c) => c.notNull())
          .addColumn('model_id', 'text', (c) => c.notNull())
          .addColumn('model_version', 'integer', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('stage', 'text', (c) => c.notNull())
          .addColumn('fit', 'double precision', (c) => c.notNull())
          .addColumn('interest', 'double precision', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('lead_scores_pk', ['lead_id', 'model_id'])
          .execute();
        await db.schema.createIndex('lead_scores_hot').on('lead_scores').columns(['model_id', 'stage', 'interest']).execute();

        await db.schema
          .createTable('models')
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('json', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('published_at', 'bigint')
          .addPrimaryKeyConstraint('models_pk', ['id', 'version'])
          .execute();

        await db.schema
          .createTable('stage_changes')
          .addColumn('id', serial, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
          .addColumn('lead_id', 'text', (c) => c.notNull())
          .addColumn('model_id', 'text', (c) => c.notNull())
          .addColumn('from_stage', 'text', (c) => c.notNull())
          .addColumn('to_stage', 'text', (c) => c.notNull())
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('stage_changes_lead').on('stage_changes').columns(['lead_id', 'at']).execute();

        await db.schema
          .createTable('audit')
          .addColumn('id', serial, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addColumn('actor', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('detail', 'text', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('settings')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('value', 'text', (c) => c.notNull())
          .execute();
      },
      async down(db: Kysely<any>) {
        for (const t of ['settings', 'audit', 'stage_changes', 'models', 'lead_scores', 'lead_emails', 'leads', 'identity_links', 'identities', 'events', 'keys']) {
          await db.schema.dropTable(t).ifExists().execute();
        }
        void sql;
      },
    },
    '0002_predictive_models': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('predictive_models')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('trained_at', 'bigint', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('evaluation', 'text')
          .addColumn('model', 'text')
          .execute();
        await db.schema.createIndex('predictive_models_status').on('predictive_models').columns(['status', 'trained_at']).execute();
      },
      async down(db: Kysely<any>) {
        await db.schema.dropTable('predictive_models').ifExists().execute();
      },
    },
    '0003_leads_company_seen': {
      // Every lead lookup shows the account's 50 most recently seen members: with last_seen in
      // the index the database walks it in order and stops at 50, instead of sorting them all.
      async up(db: Kysely<any>) {
        await db.schema.createIndex('leads_company_seen').on('leads').columns(['company_domain', 'last_seen']).execute();
        await db.schema.dropIndex('leads_company').execute();
      },
      async down(db: Kysely<any>) {
        await db.schema.createIndex('leads_company').on('leads').column('company_domain').execute();
        await db.schema.dropIndex('leads_company_seen').execute();
      },
    },
    '0004_key_emails': {
      // A rep token names the rep's own addresses (JSON array), so the extension never takes
      // the rep for a lead; `/v1/me` returns them.
      async up(db: Kysely<any>) {
        await db.schema.alterTable('keys').addColumn('emails', 'text', (c) => c.notNull().defaultTo('[]')).execute();
      },
      async down(db: Kysely<any>) {
        await db.schema.alterTable('keys').dropColumn('emails').execute();
      },
    },
    '0005_outbox': {
      // Stage changes for streams and webhooks on every instance (see server/db/outbox.ts).
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('outbox')
          .addColumn('id', serial, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('lead_id', 'text', (c) => c.notNull())
          .addColumn('change', 'text', (c) => c.notNull())
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addColumn('next_at', 'bigint', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('lease_until', 'bigint')
          .addColumn('claimed_by', 'text')
          .addColumn('delivered_at', 'bigint')
          .addColumn('failed_at', 'bigint')
          .addColumn('last_error', 'text')
          .execute();
        // Only undelivered rows are indexed: the claim query reads nothing else.
        await sql`CREATE INDEX outbox_due ON outbox (next_at) WHERE delivered_at IS NULL AND failed_at IS NULL`.execute(db);
        await db.schema.createIndex('outbox_lead').on('outbox').column('lead_id').execute();
        await db.schema.createIndex('outbox_at').on('outbox').column('at').execute();

        // Rescoring after a publish (server/scoring/rescore.ts).
        await db.schema
          .createTable('rescore_jobs')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('cursor', 'text', (c) => c.notNull())
          .addColumn('done', 'integer', (c) => c.notNull())
          .addColumn('total', 'integer', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('finished_at', 'bigint')
          .addColumn('lease_until', 'bigint')
          .addColumn('claimed_by', 'text')
          .execute();
      },
      async down(db: Kysely<any>) {
        await db.schema.dropTable('rescore_jobs').ifExists().execute();
        await db.schema.dropTable('outbox').ifExists().execute();
      },
    },
    '0006_version_notes': {
      // Who published each model version (the admin key's id, and its name or first address at
      // the time, so a renamed or revoked key does not rewrite history) and why (an optional note).
      async up(db: Kysely<any>) {
        await db.schema.alterTable('models').addColumn('published_by', 'text').execute();
        await db.schema.alterTable('models').addColumn('published_by_name', 'text').execute();
        await db.schema.alterTable('models').addColumn('note', 'text').execute();
      },
      async down(db: Kysely<any>) {
        await db.schema.alterTable('models').dropColumn('note').execute();
        await db.schema.alterTable('models').dropColumn('published_by_name').execute();
        await db.schema.alterTable('models').dropColumn('published_by').execute();
      },
    },
    '0008_tag_health': {
      // Per tag and page path: whether the tag's selector still finds its element (server/ingest/tag-health.ts).
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('tag_health')
          .addColumn('tag_id', 'text', (c) => c.notNull())
          .addColumn('path', 'text', (c) => c.notNull())
          .addColumn('selector', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('since', 'bigint', (c) => c.notNull())
          .addColumn('last_at', 'bigint', (c) => c.notNull())
          .addColumn('by_selector', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('by_fingerprint', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('missed', 'integer', (c) => c.notNull().defaultTo(0))
          .addPrimaryKeyConstraint('tag_health_pk', ['tag_id', 'path'])
          .execute();
      },
      async down(db: Kysely<any>) {
        await db.schema.dropTable('tag_health').ifExists().execute();
      },
    },
    // Numbered to sort after 0006-0008 of work merged alongside: Kysely runs migrations in name
    // order and refuses one that sorts before a migration a database has already run.
    '0010_events_partitioned': {
      // Events by month on PostgreSQL, and owners through `identities` (see db/event-rows.ts
      // and db/partitions.ts). PostgreSQL: the table is rebuilt as a partitioned one and the
      // rows copied over. Its primary key becomes (id, ts): a key on a partitioned table must
      // hold the partition key, because each partition's index only sees its own rows. A
      // resent event carries its own ts again, so (id, ts) still stores it once, and ingest
      // looks the ids up across months first (ingest.ts). On both backends `lead_id` keeps
      // only what the identities table cannot say (pinned rows), and its index covers only those.
      async up(db: Kysely<any>) {
        const owned = sql`UPDATE events SET lead_id = NULL WHERE lead_id IS NOT NULL
          AND lead_id = (SELECT i.lead_id FROM identities i WHERE i.site = events.site AND i.anonymous_id = events.anonymous_id)`;
        if (dialect === 'sqlite') {
          await owned.execute(db);
          await db.schema.dropIndex('events_lead').execute();
          await sql`CREATE INDEX events_pinned ON events (lead_id, ts) WHERE lead_id IS NOT NULL`.execute(db);
          return;
        }
        await sql`ALTER TABLE events RENAME TO events_unpartitioned`.execute(db);
        for (const ix of ['events_lead', 'events_anon', 'events_ts']) await db.schema.dropIndex(ix).execute();
        await sql`ALTER TABLE events_unpartitioned RENAME CONSTRAINT events_pkey TO events_unpartitioned_pkey`.execute(db);
        await sql`CREATE TABLE events (
          id text NOT NULL, site text NOT NULL, anonymous_id text NOT NULL, lead_id text,
          ts bigint NOT NULL, type text NOT NULL, body text NOT NULL, received_at bigint NOT NULL,
          PRIMARY KEY (id, ts)) PARTITION BY RANGE (ts)`.execute(db);
        await sql`CREATE INDEX events_anon ON events (site, anonymous_id)`.execute(db);
        await sql`CREATE INDEX events_pinned ON events (lead_id, ts) WHERE lead_id IS NOT NULL`.execute(db);
        // Events arrive in about time order, so a BRIN index (a few pages per partition)
        // serves retention's range scans where a B-tree would add 30 bytes per event.
        await sql`CREATE INDEX events_ts ON events USING brin (ts)`.execute(db);
        await sql`CREATE TABLE events_default PARTITION OF events DEFAULT`.execute(db);
        const now = Date.now();
        const months = new Map(monthsAround(now, 1, 3).map((p) => [p.name, p]));
        // The months that hold stored events, within two years (older ones stay in the default).
        const { rows } = await sql<{ ts: number }>`SELECT DISTINCT (EXTRACT(EPOCH FROM date_trunc('month', to_timestamp(ts / 1000.0) AT TIME ZONE 'UTC')) * 1000)::bigint AS ts
          FROM events_unpartitioned WHERE ts >= ${now - 731 * 86_400_000} AND ts < ${now + 93 * 86_400_000}`.execute(db);
        for (const r of rows) {
          const p = monthOf(Number(r.ts));
          months.set(p.name, p);
        }
        await ensurePartitions(db, [...months.values()].sort((a, b) => a.from - b.from));
        await sql`INSERT INTO events (id, site, anonymous_id, lead_id, ts, type, body, received_at)
          SELECT e.id, e.site, e.anonymous_id, CASE WHEN e.lead_id = i.lead_id THEN NULL ELSE e.lead_id END, e.ts, e.type, e.body, e.received_at
          FROM events_unpartitioned e LEFT JOIN identities i ON i.site = e.site AND i.anonymous_id = e.anonymous_id`.execute(db);
        await sql`DROP TABLE events_unpartitioned`.execute(db);
        // Rate limits shared by the instances (shared-rate-limit.ts). UNLOGGED: no WAL for a
        // counter that may as well start over after a crash.
        await sql`CREATE UNLOGGED TABLE rate_limits (key text PRIMARY KEY, tokens double precision NOT NULL, at bigint NOT NULL, ok boolean NOT NULL)`.execute(db);
      },
      async down(db: Kysely<any>) {
        const owner = sql`UPDATE events SET lead_id = (SELECT i.lead_id FROM identities i WHERE i.site = events.site AND i.anonymous_id = events.anonymous_id) WHERE lead_id IS NULL`;
        if (dialect === 'sqlite') {
          await owner.execute(db);
          await db.schema.dropIndex('events_pinned').execute();
          await db.schema.createIndex('events_lead').on('events').columns(['lead_id', 'ts', 'id']).execute();
          return;
        }
        await sql`DROP TABLE rate_limits`.execute(db);
        await sql`ALTER TABLE events RENAME TO events_partitioned`.execute(db);
        for (const ix of ['events_anon', 'events_pinned', 'events_ts']) await db.schema.dropIndex(ix).execute();
        await sql`CREATE TABLE events (id text PRIMARY KEY, site text NOT NULL, anonymous_id text NOT NULL, lead_id text,
          ts bigint NOT NULL, type text NOT NULL, body text NOT NULL, received_at bigint NOT NULL)`.execute(db);
        await sql`INSERT INTO events SELECT DISTINCT ON (id) * FROM events_partitioned ORDER BY id, ts`.execute(db);
        await sql`DROP TABLE events_partitioned`.execute(db);
        await owner.execute(db);
        await db.schema.createIndex('events_lead').on('events').columns(['lead_id', 'ts', 'id']).execute();
        await db.schema.createIndex('events_anon').on('events').columns(['site', 'anonymous_id']).execute();
        await db.schema.createIndex('events_ts').on('events').column('ts').execute();
      },
    },
    '0011_lead_summary': {
      // Each lead's events packed into one row (db/lead-summary.ts), for reports, backtests
      // and rescoring; filled here from the stored events, which stay the record.
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('lead_summaries')
          .addColumn('lead_id', 'text', (c) => c.primaryKey())
          .addColumn('packed', 'text', (c) => c.notNull())
          .addColumn('events', 'integer', (c) => c.notNull())
          .addColumn('segments', 'integer', (c) => c.notNull())
          .execute();
        await rebuildAllSummaries(db);
      },
      async down(db: Kysely<any>) {
        await db.schema.dropTable('lead_summaries').ifExists().execute();
      },
    },
    '0012_lookup_indexes': {
      // The won and lost leads the predictive gate counts (predictive/current.ts, refreshed on a
      // lead lookup once a minute): a partial index holds only leads with an outcome, and covers
      // the count, so it reads those instead of every lead (100k leads: 1 ms instead of 20-45 ms
      // of a blocked event loop on SQLite).
      async up(db: Kysely<any>) {
        await sql`CREATE INDEX leads_outcome ON leads (outcome) WHERE outcome IS NOT NULL`.execute(db);
      },
      async down(db: Kysely<any>) {
        await db.schema.dropIndex('leads_outcome').execute();
      },
    },
    '0013_lead_summary_v2': {
      // The packed summaries in form v2 (db/lead-summary-codec.ts): cheaper to unpack, and an
      // unwanted event type is skipped without being built. Each v1 row (JSON, it starts with
      // '{') is rewritten from its own events, which is exact and needs no replay of the events
      // table; the column stays text. Down writes v1 again.
      async up(db: Kysely<any>) {
        await rewriteAllSummaries(db, { stale: (packed) => packed.startsWith('{'), read: unpackV1, write: packSegment });
      },
      async down(db: Kysely<any>) {
        await rewriteAllSummaries(db, { stale: (packed) => !packed.startsWith('{'), read: unpack, write: packSegmentV1 });
      },
    },
    '0015_lookup_series': {
      // The account part of every lead lookup (read/lead-views.ts accountOf) on SQLite, from two
      // covering indexes instead of 20 random leads rows, 20 random 2 KB states and JSON parsing
      // of each: the members of a domain lie side by side with what they show, and each member's
      // interest sums are kept in the index when its state is written. The first replaces
      // leads_company_seen (the same leading columns). PostgreSQL is left as it was: a B-tree entry
      // there may not exceed about 2.7 KB, which a large profile would, failing its write.
      async up(db: Kysely<any>) {
        if (dialect !== 'sqlite') return;
        await sql`CREATE INDEX leads_account ON leads (company_domain, last_seen, id, emails, profile)`.execute(db);
        await db.schema.dropIndex('leads_company_seen').execute();
        await sql.raw(`CREATE INDEX lead_scores_member ON lead_scores (model_id, lead_id, model_version, stage, (${MEMBER_SUMS_SQL}))`).execute(db);
      },
      async down(db: Kysely<any>) {
        if (dialect !== 'sqlite') return;
        await db.schema.dropIndex('lead_scores_member').execute();
        await db.schema.createIndex('leads_company_seen').on('leads').columns(['company_domain', 'last_seen']).execute();
        await db.schema.dropIndex('leads_account').execute();
      },
    },
    '0016_store_events': {
      // PostgreSQL: step 3 of the ingest transaction as one function (ingest/store-events.ts),
      // so its locks, insert and identities read are one round trip and one plan PL/pgSQL keeps
      // per connection. SQLite stores events from code (no round trips there).
      async up(db: Kysely<any>) {
        if (dialect !== 'postgres') return;
        await sql.raw(STORE_EVENTS_FUNCTION).execute(db);
      },
      async down(db: Kysely<any>) {
        if (dialect !== 'postgres') return;
        await sql`DROP FUNCTION IF EXISTS leadglow_store_events(bigint[], text[], text[], text[], bigint[], text[], text[], bigint)`.execute(db);
      },
    },
  };
}

/**
 * Migration 0016 (PostgreSQL): stores a group's new events and reads who their anonymous ids
 * belong to, under the group's locks. Answers how many it stored ('n'), the ids it stored only
 * when that is not all of them ('e'), and the identities ('i'). Called by ingest/store-events.ts, which says why each part
 * is written the way it is. `lock_keys` are advisory lock keys in ascending order (db/locks.ts);
 * each later statement of a VOLATILE function takes a new snapshot, so the insert and the
 * identities read see everything committed before the locks were granted, as separate statements
 * after a lockAll did. Never edit this text: a change is a new migration with CREATE OR REPLACE.
 */
const STORE_EVENTS_FUNCTION = `
CREATE OR REPLACE FUNCTION leadglow_store_events(lock_keys bigint[], ids text[], sites text[], anons text[], tss bigint[], types text[], bodies text[], received bigint)
RETURNS TABLE (kind text, id text, site text, lead_id text)
LANGUAGE plpgsql VOLATILE AS $fn$
#variable_conflict use_column
BEGIN
  PERFORM count(pg_advisory_xact_lock(k)) FROM unnest(lock_keys) AS k;
  RETURN QUERY
  WITH input AS (
    SELECT * FROM unnest(ids, sites, anons, tss, types, bodies) AS u(id, site, anonymous_id, ts, type, body)
  ), stored AS (
    INSERT INTO events (id, site, anonymous_id, lead_id, ts, type, body, received_at)
    SELECT u.id, u.site, u.anonymous_id, NULL, u.ts, u.type, u.body, received FROM input u
    WHERE (SELECT true FROM events e WHERE e.id = u.id ORDER BY e.id, e.ts LIMIT 1) IS NULL
    ON CONFLICT DO NOTHING
    RETURNING events.id
  )
  SELECT 'n'::text, count(*)::text, NULL::text, NULL::text FROM stored
  UNION ALL
  SELECT 'e'::text, s.id, NULL::text, NULL::text FROM stored s WHERE (SELECT count(*) FROM stored) < cardinality(ids)
  UNION ALL
  SELECT 'i'::text, i.anonymous_id, i.site, i.lead_id FROM identities i
  WHERE (i.site, i.anonymous_id) IN (SELECT DISTINCT u.site, u.anonymous_id FROM input u);
END
$fn$`;

export function migrationProvider(dialect: Dialect): MigrationProvider {
  return { getMigrations: async () => migrations(dialect) };
}
