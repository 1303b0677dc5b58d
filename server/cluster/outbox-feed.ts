import type { Kysely } from 'kysely';
import { StageChange } from '../../shared/contracts/api.ts';
import { lastOutboxId } from '../db/outbox.ts';
import type { DB } from '../db/schema.ts';
import type { StageBus } from './stage-bus.ts';

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
        // A row no contract reads is reported, not streamed, and the feed moves past it.
        if (parsed.success) this.bus.publish({ id: this.cursor, change: parsed.data });
        else this.onError(new Error(`outbox row ${this.cursor} is not a stage change: ${parsed.error.issues[0]?.message ?? 'invalid'}`));
      }
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
