import { sql, type Kysely } from 'kysely';
import { StageChange } from '../../shared/contracts/api.ts';
import { uuidv7 } from '../../shared/ids.ts';
import { isPostgres, lockAll, lockKey } from './locks.ts';
import type { DB } from './schema.ts';

// The outbox of stage changes. The transaction that changes a stage also writes the change
// here, so a change is streamed and delivered exactly when it committed, by whichever
// instance, and nothing is lost with a process.
//
// Ids are in commit order: a transaction takes the outbox lock just before its insert and
// holds it to its commit, so no transaction can commit a smaller id after a larger one is
// visible. A reader that has seen id N therefore never misses a row by reading `id > N`,
// which is what lets every instance follow the table with a plain cursor, and a reconnecting
// rep resume from `Last-Event-ID`. Only transactions that change a stage take the lock, and
// only for their last statement and commit.

export const OUTBOX_CHANNEL = 'leadglow_outbox';

/** A stage change with its position in the outbox (the SSE event id). */
export type OutboxEntry = { id: number; change: StageChange };

/** Writes the transaction's stage changes; call last in the transaction (the writer does). */
export async function writeOutbox(trx: Kysely<DB>, changes: readonly StageChange[], now: number): Promise<void> {
  if (changes.length === 0) return;
  await lockAll(trx, [lockKey('outbox', 'outbox')]);
  await trx
    .insertInto('outbox')
    .values(changes.map((c) => ({ key: uuidv7(now), lead_id: c.leadId, change: JSON.stringify(c), at: c.at, next_at: now })))
    .execute();
  // Delivered to every listening instance when (and only if) the transaction commits.
  if (isPostgres(trx)) await sql`SELECT pg_notify(${OUTBOX_CHANNEL}, '')`.execute(trx);
}

/** Entries after `afterId`, oldest first. Rows that do not parse are skipped (and logged by the caller's count). */
export async function readOutbox(db: Kysely<DB>, afterId: number, limit: number): Promise<OutboxEntry[]> {
  const rows = await db.selectFrom('outbox').select(['id', 'change']).where('id', '>', afterId).orderBy('id').limit(limit).execute();
  const out: OutboxEntry[] = [];
  for (const r of rows) {
    const parsed = StageChange.safeParse(JSON.parse(r.change));
    if (parsed.success) out.push({ id: Number(r.id), change: parsed.data });
  }
  return out;
}

export async function lastOutboxId(db: Kysely<DB>): Promise<number> {
  const row = await db.selectFrom('outbox').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
  return Number(row?.id ?? 0);
}
