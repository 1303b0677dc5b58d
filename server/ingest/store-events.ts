import { CompiledQuery, sql, type Transaction } from 'kysely';
import type { Event } from '../../shared/contracts/event.ts';
import { encodeBody } from '../db/event-rows.ts';
import { isPostgres } from '../db/locks.ts';
import type { DB } from '../db/schema.ts';
import { chunks } from '../scoring/lead-scores.ts';

// Step 3 of the ingest transaction (ingest.ts): store a group's new events once, and read who
// their anonymous ids belong to. Called under the anonymous ids' locks (db/locks.ts), so the
// same visitor's events cannot race this, on any instance or writer lane.
//
// On PostgreSQL this is ONE statement: a writer's group commit is mostly round trips there
// (each waits for the scheduler on a busy machine), and the three statements it was (the
// identities read, the look-up of ids stored in any month, the insert) became one. The rows
// go in as six arrays through `unnest` rather than a VALUES list of 8 parameters per event:
// Kysely compiling a 3,200-parameter insert and node-postgres binding it cost more CPU than
// everything else the group did on the database side. The statement's snapshot is taken after
// the locks (an earlier statement), as the separate reads' were.
//
// Exactly once by id: on PostgreSQL the key is (id, ts) (migration 0010), so an id already
// stored under another ts is skipped by a probe per row into each month's key index, and a
// resend with the same ts by ON CONFLICT DO NOTHING. The probe is written for the planner:
// NOT EXISTS and `id = ANY(…)` were planned as sequential scans of every stored event until
// ANALYZE had run on a new month (20 ms per group and growing), and a plain `LIMIT 1` as
// bitmap scans; ordered by the key, each month's key index answers it with one index-only
// descent, whatever the statistics (EXPLAIN ANALYZE, 100 new rows over 40k stored, median of
// 20: 1.9 ms for the statement, against 5.2 ms with `LIMIT 1` alone and 1.2 ms with no probe). On SQLite the key is the id alone.

export type StoredGroup = {
  /** Ids of the events this statement stored (not those stored before). */
  inserted: Set<string>;
  /** Lead ids of the group's anonymous ids that have one, by `${site}\0${anonymousId}`. */
  identity: Map<string, string>;
};

export const pairKey = (site: string, anon: string): string => `${site}\u0000${anon}`;

/** Stores `fresh` (already unique by id) and reads the identities of their anonymous ids. */
export async function storeEvents(trx: Transaction<DB>, fresh: readonly Event[], now: number): Promise<StoredGroup> {
  const anonIds = [...new Set(fresh.map((e) => e.anonymousId))];
  return isPostgres(trx) ? storePostgres(trx, fresh, anonIds, now) : storeSqlite(trx, fresh, anonIds, now);
}

async function storePostgres(trx: Transaction<DB>, fresh: readonly Event[], anonIds: readonly string[], now: number): Promise<StoredGroup> {
  const n = fresh.length;
  const ids = new Array<string>(n);
  const sites = new Array<string>(n);
  const anons = new Array<string>(n);
  const ts = new Array<string>(n);
  const types = new Array<string>(n);
  const bodies = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const e = fresh[i]!;
    ids[i] = e.id;
    sites[i] = e.site;
    anons[i] = e.anonymousId;
    ts[i] = String(e.ts);
    types[i] = e.type;
    bodies[i] = encodeBody(e);
  }
  // `kind` tells the two row sets apart: 'e' an inserted event id, 'i' an identity.
  const { rows } = await sql<{ kind: 'e' | 'i'; id: string; site: string | null; lead_id: string | null }>`
    WITH input AS (
      SELECT * FROM unnest(${ids}::text[], ${sites}::text[], ${anons}::text[], ${ts}::bigint[], ${types}::text[], ${bodies}::text[])
        AS u(id, site, anonymous_id, ts, type, body)
    ), stored AS (
      INSERT INTO events (id, site, anonymous_id, lead_id, ts, type, body, received_at)
      SELECT u.id, u.site, u.anonymous_id, NULL, u.ts, u.type, u.body, ${now}::bigint FROM input u
      WHERE (SELECT true FROM events e WHERE e.id = u.id ORDER BY e.id, e.ts LIMIT 1) IS NULL
      ON CONFLICT DO NOTHING
      RETURNING id
    )
    SELECT 'e' AS kind, id, NULL AS site, NULL AS lead_id FROM stored
    UNION ALL
    SELECT 'i', anonymous_id, site, lead_id FROM identities WHERE anonymous_id = ANY(${anonIds}::text[])`.execute(trx);
  const inserted = new Set<string>();
  const identity = new Map<string, string>();
  for (const r of rows) {
    if (r.kind === 'e') inserted.add(r.id);
    else identity.set(pairKey(r.site!, r.id), r.lead_id!);
  }
  return { inserted, identity };
}

async function storeSqlite(trx: Transaction<DB>, fresh: readonly Event[], anonIds: readonly string[], now: number): Promise<StoredGroup> {
  const identity = new Map<string, string>();
  for (const chunk of chunks(anonIds, SQLITE_IDS_PER_READ)) {
    const { rows } = await trx.executeQuery<{ site: string; anonymous_id: string; lead_id: string }>(CompiledQuery.raw(sqliteIdentities(chunk.length), chunk));
    for (const r of rows) identity.set(pairKey(r.site, r.anonymous_id), r.lead_id);
  }
  // ON CONFLICT DO NOTHING makes retries and duplicate deliveries store once (the key is the id).
  const inserted = new Set<string>();
  for (const chunk of chunks(fresh, SQLITE_ROWS_PER_INSERT)) {
    const params: unknown[] = [];
    for (const e of chunk) params.push(e.id, e.site, e.anonymousId, e.ts, e.type, encodeBody(e), now);
    const r = await trx.executeQuery(CompiledQuery.raw(sqliteInsert(chunk.length), params));
    const stored = Number(r.numAffectedRows ?? 0n);
    if (stored === chunk.length) for (const e of chunk) inserted.add(e.id);
    else if (stored > 0) for (const id of await sqliteAddedIds(trx, chunk, stored, r.insertId)) inserted.add(id);
  }
  return { inserted, identity };
}

/**
 * Which of `chunk` the insert just stored, when some ids were stored before (a resend). Not by
 * `RETURNING id` on every insert: SQLite collects returned rows in a temporary table first, which
 * cost about 15 of the 100 µs of SQLite work per 10-event request (scratch A/B, 160-row
 * inserts, CPU). Instead the rows are found by rowid: the events table has no AUTOINCREMENT and
 * one writer, so the rows one INSERT adds take the rowids after the largest before it, one by
 * one, and the last is `insertId`. Should that ever not hold (SQLite picks random rowids past
 * 2^63 - 1), the transaction fails rather than acknowledge the wrong events.
 */
async function sqliteAddedIds(trx: Transaction<DB>, chunk: readonly Event[], stored: number, lastRowid: bigint | undefined): Promise<string[]> {
  if (lastRowid === undefined) throw new Error('SQLite events insert: no rowid for the rows it stored');
  const { rows } = await trx.executeQuery<{ id: string }>(CompiledQuery.raw('select id from events where rowid > ? and rowid <= ?', [lastRowid - BigInt(stored), lastRowid]));
  const sent = new Set(chunk.map((e) => e.id));
  if (rows.length !== stored || rows.some((r) => !sent.has(r.id))) {
    throw new Error(`SQLite events insert: the ${stored} rows it stored are not the ${stored} rowids up to ${lastRowid}`);
  }
  return rows.map((r) => r.id);
}

/** Anonymous ids per identities read on SQLite. */
const SQLITE_IDS_PER_READ = 500;

/** The identities read of `ids` anonymous ids as SQL text, made once per count (as the insert below). */
const sqliteIdentitiesText = new Map<number, string>();
function sqliteIdentities(ids: number): string {
  let text = sqliteIdentitiesText.get(ids);
  if (text === undefined) {
    text = `select site, anonymous_id, lead_id from identities where anonymous_id in (${Array.from({ length: ids }, () => '?').join(', ')})`;
    sqliteIdentitiesText.set(ids, text);
  }
  return text;
}

/** Events per insert statement on SQLite: 7 parameters each stays far below its limit of 32,766. */
const SQLITE_ROWS_PER_INSERT = 400;

/**
 * The SQLite insert of `rows` events as SQL text, made once per row count: Kysely building the
 * multi-row insert for every group was about a twentieth of the server's CPU under the ingest
 * load (`BENCH_CPU_PROF`), and the same text lets the statement cache (db/statement-cache.ts)
 * find its prepared statement.
 */
const sqliteInsertText = new Map<number, string>();
function sqliteInsert(rows: number): string {
  let text = sqliteInsertText.get(rows);
  if (text === undefined) {
    const tuple = '(?, ?, ?, NULL, ?, ?, ?, ?)';
    text = `insert into events (id, site, anonymous_id, lead_id, ts, type, body, received_at) values ${Array.from({ length: rows }, () => tuple).join(', ')} on conflict do nothing`;
    sqliteInsertText.set(rows, text);
  }
  return text;
}
