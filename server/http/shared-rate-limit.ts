import { createHmac } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { RateLimitOptions, TakeResult } from './rate-limit.ts';

// Rate limits shared by every instance on one PostgreSQL: the same token buckets as
// rate-limit.ts, kept in the UNLOGGED table `rate_limits` (migration 0010: no WAL, emptied
// after a crash, which forgets only some spent tokens). One upsert per check refills the
// bucket, takes the cost if it is there, and says whether it was; the row lock serialises
// instances taking from one bucket, for the few microseconds of that statement.
//
// Addresses never reach the table: a bucket's key is an HMAC of the address under the
// server's shared secret, so the table says nothing about who visited.
//
// If the database cannot answer, the request is let through (and the error reported): the
// limiter guards the store; it must not refuse the events the store could take.

export type SharedRateLimiter = { take(key: string, now: number, cost?: number): Promise<TakeResult> };

/** Idle buckets are swept at most this often (by whichever instance checks next). */
const SWEEP_EVERY_MS = 60_000;

export function createSharedRateLimiter(
  db: Kysely<DB>,
  scope: 'key' | 'address',
  opts: RateLimitOptions,
  deps: { secret: string; onError?: (error: unknown) => void },
): SharedRateLimiter {
  const { capacity, refillPerSecond } = opts;
  if (!(capacity > 0) || !(refillPerSecond > 0)) throw new RangeError('expected positive capacity and refillPerSecond');
  const perMs = refillPerSecond / 1000;
  const fullAfterMs = capacity / perMs;
  let sweptAt = 0;
  const name = (key: string) => `${scope[0]}:${scope === 'address' ? createHmac('sha256', deps.secret).update(`rate-limit\u0000${key}`).digest('base64url').slice(0, 22) : key}`;

  async function sweep(now: number): Promise<void> {
    sweptAt = now;
    // A bucket idle long enough to be full again is the same as no bucket.
    await sql`DELETE FROM rate_limits WHERE key IN (SELECT key FROM rate_limits WHERE at < ${now - fullAfterMs} AND key LIKE ${`${scope[0]}:%`} LIMIT 5000)`.execute(db);
  }

  async function take(key: string, now: number, cost = 1): Promise<TakeResult> {
    if (!(cost > 0) || cost > capacity) throw new RangeError(`cost must be in (0, ${capacity}]`);
    try {
      if (now - sweptAt > SWEEP_EVERY_MS) void sweep(now).catch((error: unknown) => deps.onError?.(error));
      // `refilled` as in rate-limit.ts: a clock that steps back mints no tokens; the epsilon absorbs float error.
      const refilled = sql`LEAST(${capacity}::float8, r.tokens + GREATEST(0, ${now}::bigint - r.at) * ${perMs}::float8)`;
      const { rows } = await sql<{ tokens: number; ok: boolean }>`
        INSERT INTO rate_limits AS r (key, tokens, at, ok) VALUES (${name(key)}, ${capacity - cost}::float8, ${now}::bigint, true)
        ON CONFLICT (key) DO UPDATE SET
          ok = ${refilled} + 1e-9 >= ${cost}::float8,
          tokens = CASE WHEN ${refilled} + 1e-9 >= ${cost}::float8 THEN GREATEST(0, ${refilled} - ${cost}::float8) ELSE ${refilled} END,
          at = GREATEST(r.at, ${now}::bigint)
        RETURNING tokens, ok`.execute(db);
      const row = rows[0];
      if (!row || row.ok) return { ok: true, remaining: Math.floor(Number(row?.tokens ?? capacity)) };
      return { ok: false, retryAfterMs: Math.max(1, Math.ceil((cost - Number(row.tokens)) / perMs)) };
    } catch (error) {
      deps.onError?.(error);
      return { ok: true, remaining: 0 };
    }
  }

  return { take };
}
