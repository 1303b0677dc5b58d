import { CompiledQuery, type Transaction } from 'kysely';
import type { Event } from '../../shared/contracts/event.ts';
import { encodeBody } from '../db/event-rows.ts';
import { isPostgres, lockAll, lockKey, lockOrder, lockStatement } from '../db/locks.ts';
import { dollarQuoted, int8Array, textArray } from '../db/pg-arrays.ts';
import { LIVE_STAMP_SQL, stampOf, type StampRow } from '../scoring/live-models.ts';
import type { DB } from '../db/schema.ts';
import { chunks } from '../scoring/lead-scores.ts';

// Step 3 of the ingest transaction (ingest.ts): take the group's locks, store its new events
// once, and read who their anonymous ids belong to. Under the anonymous ids' locks (db/locks.ts)
// the same visitor's events cannot race this, on any instance or writer lane.
//
// On PostgreSQL the whole step, with the transaction's BEGIN and the live models check, is ONE
// message and so one round trip (a writer's group commit is mostly round trips there: each costs
// both processes CPU, 55-80 µs each even for a `SELECT 1` on this machine, and waits for the
// scheduler on a busy one): BEGIN, the models lock (shared), then one statement that calls the
// function `leadglow_store_events` (migration 0016) and reads the live stamp. The function takes
// the anonymous-id and email locks first; each later statement of a VOLATILE function takes a new
// snapshot, so its insert and identities read see what committed before the locks were granted,
// and the stamp, read by the outer statement whose snapshot came after the models lock, is what
// `checkLiveModels` would have read (ingest checks it before it scores; the writer skips its own
// check for these transactions). PL/pgSQL keeps the insert's plan per connection instead of it
// being parsed and planned for every group (about a sixth of PostgreSQL's CPU per event,
// measured). A message of several statements carries no parameters, so the values are written
// into the text: array literals made by db/pg-arrays.ts, each dollar-quoted with a tag it does not
// contain. The rows go in as six arrays through `unnest` rather than a VALUES list of 8 values per
// event (Kysely compiling a 3,200-parameter insert and node-postgres binding it cost more CPU
// than everything else the group did on the database side).
//
// The identities are read by (site, anonymous id), the table's key: read by the anonymous id
// alone, PostgreSQL scanned the whole key index for every group (75 against 20 µs of its CPU per
// event with 100,000 identities stored).
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
  /** PostgreSQL: the live models' stamp, read under the models lock (check it before scoring). */
  stamp?: string;
};

export const pairKey = (site: string, anon: string): string => `${site}\u0000${anon}`;

/**
 * Takes the group's locks (`locks`: its anonymous ids' and emails' keys, db/locks.ts), then
 * stores `fresh` (already unique by id) and reads the identities of their anonymous ids.
 */
export async function storeEvents(trx: Transaction<DB>, fresh: readonly Event[], now: number, locks: Iterable<bigint>): Promise<StoredGroup> {
  if (isPostgres(trx)) return storePostgres(trx, fresh, now, locks);
  await lockAll(trx, locks); // a no-op on SQLite, which has one writer
  return storeSqlite(trx, fresh, [...new Set(fresh.map((e) => e.anonymousId))], now);
}

/**
 * The models lock (shared) and the call, one message with the transaction's BEGIN (db/open.ts):
 * no parameters, the values written in as dollar-quoted array literals (db/pg-arrays.ts). The
 * live stamp is read in the call's statement, whose snapshot is taken after the models lock (a
 * statement of its own, before it) was granted: what `checkLiveModels` reads in a message of its
 * own for other transactions (scoring/live-models.ts), here without that round trip.
 */
function storeEventsCall(locks: Iterable<bigint>, ids: string[], sites: string[], anons: string[], ts: number[], types: string[], bodies: string[], now: number): string {
  const lit = (array: string, type: string) => `${dollarQuoted(array)}::${type}[]`;
  const args = [
    lit(int8Array(lockOrder(locks).map((k) => BigInt.asIntN(64, k))), 'bigint'),
    lit(textArray(ids), 'text'),
    lit(textArray(sites), 'text'),
    lit(textArray(anons), 'text'),
    lit(int8Array(ts), 'bigint'),
    lit(textArray(types), 'text'),
    lit(textArray(bodies), 'text'),
    `${int8Array([now]).slice(1, -1)}::bigint`,
  ];
  return `${MODELS_LOCK}; SELECT kind, id, site, lead_id FROM leadglow_store_events(${args.join(', ')}) UNION ALL SELECT 'm', id, value, NULL FROM (${LIVE_STAMP_SQL}) AS stamp`;
}

const MODELS_LOCK = lockStatement([lockKey('models', 'models')], 'shared')!;

async function storePostgres(trx: Transaction<DB>, fresh: readonly Event[], now: number, locks: Iterable<bigint>): Promise<StoredGroup> {
  const n = fresh.length;
  const ids = new Array<string>(n);
  const sites = new Array<string>(n);
  const anons = new Array<string>(n);
  const ts = new Array<number>(n);
  const types = new Array<string>(n);
  const bodies = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const e = fresh[i]!;
    ids[i] = e.id;
    sites[i] = e.site;
    anons[i] = e.anonymousId;
    ts[i] = e.ts;
    types[i] = e.type;
    bodies[i] = encodeBody(e);
  }
  // `kind` tells the row sets apart: 'n' how many events it stored, 'e' an id it stored (sent
  // only when some were not: usually every event is new, and 150 rows of ids cost the server
  // more to read than the one count), 'i' an identity, 'm' a row of the live stamp.
  const text = storeEventsCall(locks, ids, sites, anons, ts, types, bodies, now);
  const { rows } = await trx.executeQuery<{ kind: 'n' | 'e' | 'i' | 'm'; id: string; site: string | null; lead_id: string | null }>(CompiledQuery.raw(text, []));
  let stored = 0;
  const some = new Set<string>();
  const identity = new Map<string, string>();
  const stamp: StampRow[] = [];
  for (const r of rows) {
    if (r.kind === 'n') stored = Number(r.id);
    else if (r.kind === 'e') some.add(r.id);
    else if (r.kind === 'i') identity.set(pairKey(r.site!, r.id), r.lead_id!);
    else stamp.push({ id: r.id, value: r.site! });
  }
  const inserted = stored === n ? new Set(ids) : some;
  return { inserted, identity, stamp: stampOf(stamp) };
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
