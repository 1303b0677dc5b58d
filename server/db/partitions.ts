import { sql, type Kysely } from 'kysely';
import { lockAll, lockKey } from './locks.ts';
import type { DB } from './schema.ts';

// Monthly partitions of `events` on PostgreSQL (migration 0010): `events_pYYYYMM` holds the
// events whose `ts` falls in that UTC month; `events_default` catches the rest (a month not
// created yet, an import from years ago). The leader creates the coming months ahead
// (`ensurePartitions`), and retention drops whole months (`dropPartition`) instead of
// deleting row by row. SQLite has no partitions: one table, chunked deletes (retention.ts).
//
// A month is created as a plain table and then attached, not as `CREATE TABLE … PARTITION OF`:
// attaching takes a SHARE UPDATE EXCLUSIVE lock on `events` (ingest goes on), where creating
// a partition in place takes ACCESS EXCLUSIVE. Rows of that month already in the default
// partition move into the new table first, in the same transaction (PostgreSQL refuses to
// attach a range the default partition still holds rows of).

export type MonthPartition = { name: string; from: number; to: number };

const NAME = /^events_p(\d{4})(\d{2})$/;

/** The month partition that holds `ts` (ms, UTC). */
export function monthOf(ts: number): MonthPartition {
  const d = new Date(ts);
  return month(d.getUTCFullYear(), d.getUTCMonth());
}

function month(year: number, m: number): MonthPartition {
  const from = Date.UTC(year, m, 1);
  const to = Date.UTC(year, m + 1, 1);
  const d = new Date(from);
  return { name: `events_p${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}`, from, to };
}

/** The months from `behind` before `now`'s month to `ahead` after it. */
export function monthsAround(now: number, behind: number, ahead: number): MonthPartition[] {
  const d = new Date(now);
  const out: MonthPartition[] = [];
  for (let k = -behind; k <= ahead; k++) out.push(month(d.getUTCFullYear(), d.getUTCMonth() + k));
  return out;
}

/** The month partitions attached to `events`, oldest first. */
export async function listPartitions(db: Kysely<DB>): Promise<MonthPartition[]> {
  const { rows } = await sql<{ name: string }>`
    SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'events'::regclass`.execute(db);
  const out: MonthPartition[] = [];
  for (const r of rows) {
    const m = NAME.exec(r.name);
    if (m) out.push(month(Number(m[1]), Number(m[2]) - 1));
  }
  return out.sort((a, b) => a.from - b.from);
}

/** Creates (and attaches) the month partitions missing among `months`; returns the names created. Runs in a transaction of its own. */
export async function ensurePartitions(db: Kysely<DB>, months: readonly MonthPartition[]): Promise<string[]> {
  const run = async (trx: Kysely<DB>) => {
    // One creator at a time (the migration and a leader could meet).
    await lockAll(trx, [lockKey('leader', 'partitions')]);
    const have = new Set((await listPartitions(trx)).map((p) => p.name));
    const created: string[] = [];
    for (const p of months) {
      if (have.has(p.name)) continue;
      const table = sql.table(p.name);
      await sql`CREATE TABLE ${table} (LIKE events INCLUDING DEFAULTS)`.execute(trx);
      await sql`WITH moved AS (DELETE FROM events_default WHERE ts >= ${p.from} AND ts < ${p.to} RETURNING *) INSERT INTO ${table} SELECT * FROM moved`.execute(trx);
      await sql`ALTER TABLE events ATTACH PARTITION ${table} FOR VALUES FROM (${sql.lit(p.from)}) TO (${sql.lit(p.to)})`.execute(trx);
      created.push(p.name);
    }
    return created;
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

/**
 * Drops a month partition (retention). DROP takes an ACCESS EXCLUSIVE lock on `events` for
 * an instant; if a long read holds the table, waiting for it would stall ingest queued behind
 * the lock, so the drop gives up after `lockTimeoutMs` and returns false (the next run tries again).
 */
export async function dropPartition(db: Kysely<DB>, p: MonthPartition, lockTimeoutMs = 2_000): Promise<boolean> {
  try {
    await db.transaction().execute(async (trx) => {
      await sql`SELECT set_config('lock_timeout', ${`${lockTimeoutMs}ms`}, true)`.execute(trx);
      await sql`DROP TABLE ${sql.table(p.name)}`.execute(trx);
    });
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code === '55P03') return false;
    throw error;
  }
}
