import pg from 'pg';
import { lockKey } from '../db/locks.ts';

// One leader among the instances on one PostgreSQL, for the timers that must run once
// (retention, scheduled retraining, outbox clean-up): whoever holds a session-level advisory
// lock on its own connection. If that connection drops (the process died, the network
// split), PostgreSQL releases the lock and another instance takes it at its next try. On
// SQLite there is one process, always the leader.

export type Leader = { isLeader(): boolean; /** Settles after the first try. */ ready: Promise<void>; close(): Promise<void> };

export const ALWAYS_LEADER: Leader = { isLeader: () => true, ready: Promise.resolve(), close: async () => undefined };

export function electLeader(url: string, opts: { everyMs?: number; onChange?: (leader: boolean) => void; onError?: (error: unknown) => void } = {}): Leader {
  const key = String(lockKey('leader', 'timers'));
  let client: pg.Client | undefined;
  let leader = false;
  let closed = false;
  const set = (v: boolean) => {
    if (v !== leader) {
      leader = v;
      opts.onChange?.(v);
    }
  };
  const attempt = async () => {
    if (closed || leader) return;
    try {
      if (!client) {
        const c = new pg.Client({ connectionString: url });
        c.on('error', (error) => {
          opts.onError?.(error);
          if (client === c) client = undefined;
          set(false);
        });
        c.on('end', () => {
          if (client === c) client = undefined;
          set(false);
        });
        await c.connect();
        client = c;
      }
      const r = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [key]);
      set(Boolean(r.rows[0]?.ok));
    } catch (error) {
      opts.onError?.(error);
    }
  };
  const timer = setInterval(() => void attempt(), opts.everyMs ?? 10_000);
  timer.unref();
  const ready = attempt();
  return {
    ready,
    isLeader: () => leader && !closed,
    async close() {
      closed = true;
      clearInterval(timer);
      leader = false;
      await client?.end().catch(() => undefined);
    },
  };
}
