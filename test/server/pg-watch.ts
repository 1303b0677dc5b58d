import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import type { DB } from '../../server/db/schema.ts';

// What the PostgreSQL tests watch: the texts node-postgres sends (each `query` call is one
// round trip), and a transaction waiting on an advisory lock.

/** Counts the statements node-postgres sends (each `query` call is one round trip). */
export function countQueries(): { texts: string[]; stop(): void } {
  const texts: string[] = [];
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    if (typeof args[0] === 'string') texts.push(args[0]);
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  return { texts, stop: () => (pg.Client.prototype.query = original) };
}

/** Resolves once PostgreSQL shows a transaction waiting on an advisory lock; fails naming `who` after 10 s. */
export async function untilAdvisoryWaiter(db: Kysely<DB>, who: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const w = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`.execute(db);
    if (w.rows[0]!.n > 0) return;
    if (Date.now() > deadline) throw new Error(`${who} never waited for the lock`);
    await new Promise((r) => setImmediate(r));
  }
}
