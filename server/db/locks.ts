import { createHash } from 'node:crypto';
import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { DB } from './schema.ts';

// Serialisation between server instances sharing one PostgreSQL. SQLite has one writer
// process, whose group commit already runs one transaction at a time, so every lock here is
// a no-op there.
//
// Lock order (deadlock freedom): every transaction takes its locks in ascending key order,
// and the key's top byte is its class, so classes come in this order too:
//   1 models (shared by writers, exclusive by a publish)
//   2 anonymous ids (site, anonymous id)   3 emails   then lead rows (SELECT … FOR UPDATE,
//   ordered by id) and last the outbox (one key, held only from the outbox insert to commit).
// PostgreSQL still detects a deadlock should some path break the order; the writer retries
// the transaction then (see `isRetryable`).

export type LockClass = 'models' | 'anon' | 'email' | 'outbox' | 'leader';
const CLASS: Record<LockClass, bigint> = { models: 1n, anon: 2n, email: 3n, outbox: 5n, leader: 6n };
const MASK = (1n << 56n) - 1n;

/** A 64-bit advisory lock key: the class in the top byte, 56 bits of SHA-1 of the name below. */
export function lockKey(kind: LockClass, name: string): bigint {
  const h = createHash('sha1').update(name).digest();
  return (CLASS[kind] << 56n) | (h.readBigUInt64BE(0) & MASK);
}

export function isPostgres(db: Kysely<DB>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** Takes transaction-scoped advisory locks, in ascending key order (PostgreSQL only). */
export async function lockAll(trx: Kysely<DB>, keys: Iterable<bigint>, mode: 'exclusive' | 'shared' = 'exclusive'): Promise<void> {
  if (!isPostgres(trx)) return;
  const text = lockStatement(keys, mode);
  if (text) await sql.raw(text).execute(trx);
}

/** The keys once each, in ascending order: the order every transaction takes them in. */
export function lockOrder(keys: Iterable<bigint>): bigint[] {
  return [...new Set(keys)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The statement that takes these locks (undefined for none). unnest yields in array order, so
 * the locks are taken in that (ascending) order. The keys are written into the statement, not
 * passed as a parameter: they are integers made here (lockKey), and a statement without
 * parameters carries the transaction's deferred BEGIN in the same round trip (db/open.ts), as
 * can a statement joined to it (scoring/live-models.ts).
 */
export function lockStatement(keys: Iterable<bigint>, mode: 'exclusive' | 'shared' = 'exclusive'): string | undefined {
  const sorted = lockOrder(keys);
  if (sorted.length === 0) return undefined;
  const fn = mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
  return `SELECT count(${fn}(k)) FROM unnest(ARRAY[${sorted.map((k) => BigInt.asIntN(64, k).toString()).join(',')}]::bigint[]) AS k`;
}

/** SQLSTATEs a whole transaction may simply be run again for. */
const RETRYABLE = new Set(['40001', '40P01', '23505', '55P03']);

/**
 * Serialisation failure, deadlock, a unique-key race (two instances creating the same row at
 * once: the retry sees the other's row) or a lock timeout.
 */
export function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && RETRYABLE.has(code);
}
