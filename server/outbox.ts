import { sql, type Kysely } from 'kysely';
import { StageChange } from '../shared/contracts/api.ts';
import { uuidv7 } from '../shared/ids.ts';
import type { StageBus } from './bus.ts';
import { isPostgres, lockAll, lockKey } from './db/locks.ts';
import type { DB } from './db/schema.ts';

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

/**
 * Follows the outbox from where it stood at start and publishes each new entry once to this
 * instance's bus (SSE streams). Woken by NOTIFY (PostgreSQL), by the local writer after a
 * commit (SQLite), and by a slow poll in case a notification was lost with a connection.
 */
export class OutboxFeed {
  private cursor = 0;
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly bus: StageBus,
    private readonly onError: (error: unknown) => void,
    private readonly pollMs = 2_000,
  ) {}

  async start(): Promise<void> {
    this.cursor = await lastOutboxId(this.db);
    this.timer = setInterval(() => this.wake(), this.pollMs);
    this.timer.unref();
  }

  get position(): number {
    return this.cursor;
  }

  wake(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch(this.onError)
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async drain(): Promise<void> {
    for (;;) {
      const rows = await this.db.selectFrom('outbox').select(['id', 'change']).where('id', '>', this.cursor).orderBy('id').limit(500).execute();
      if (rows.length === 0) return;
      for (const r of rows) {
        this.cursor = Number(r.id);
        const parsed = StageChange.safeParse(JSON.parse(r.change));
        if (parsed.success) this.bus.publish({ id: this.cursor, change: parsed.data });
      }
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
