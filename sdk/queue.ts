import type { Outbox } from './outbox.ts';
import type { LgEvent } from './types.ts';

// Batching and retries. Events wait in memory for a short timer or a full batch; a batch that
// fails goes to the outbox, and from then on everything goes through the outbox (in order)
// until it drains. Timers run only while something waits: no idle loops.

const MAX_BATCH = 100; // LIMITS.batchEvents
const MAX_BACKOFF = 5 * 60_000;

export interface QueueOptions {
  size: number;
  delay: number;
  outbox: Outbox;
  /** Delivers a batch; resolves true when settled, false to retry. */
  send: (events: LgEvent[]) => Promise<boolean>;
}

export interface Queue {
  push(e: LgEvent): void;
  /** `leaving`: the page is being hidden or unloaded. */
  flush(leaving?: boolean): void;
  drain(): Promise<void>;
  clear(): void;
}

/** Exponential backoff with full jitter in [0.5, 1.5): tabs that failed together do not retry together. */
export const backoff = (attempt: number): number => Math.min(1000 * 2 ** attempt, MAX_BACKOFF) * (0.5 + Math.random());

export function createQueue({ size, delay, outbox, send }: QueueOptions): Queue {
  let pending: LgEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let backlog = false;
  let draining = false;
  let attempt = 0;
  // One request in flight at a time: a burst of events becomes a few large batches rather
  // than many small fetches (each costs main-thread time and a share of the keepalive quota).
  let busy = false;

  const retry = () => {
    retryTimer ??= setTimeout(() => {
      retryTimer = undefined;
      drain();
    }, backoff(attempt++));
  };

  const save = (batch: LgEvent[]) => outbox.add(batch).then(retry, retry);

  async function drain(): Promise<void> {
    if (draining) return;
    draining = true;
    try {
      for (;;) {
        const [last, events] = await outbox.peek(MAX_BATCH);
        if (!events.length) {
          backlog = false;
          attempt = 0;
          return;
        }
        if (!(await send(events))) {
          backlog = true;
          return retry();
        }
        await outbox.remove(last);
        attempt = 0;
      }
    } catch {
      retry();
    } finally {
      draining = false;
    }
  }

  function flush(leaving?: boolean) {
    clearTimeout(timer);
    timer = undefined;
    if (busy && !leaving) {
      if (pending.length) timer = setTimeout(flush, delay);
      return;
    }
    if (!pending.length) return;
    // Leaving: everything goes now. Otherwise one batch, the rest after it is answered.
    do {
      const batch = pending.splice(0, MAX_BATCH);
      const stored = backlog;
      if (stored) save(batch);
      // Leaving with a backlog: also try now (keepalive) in case the server is back;
      // the outbox copy is retried on the next page and the server dedupes by id.
      if (!stored || leaving) {
        busy = true;
        send(batch).then((ok) => {
          busy = false;
          if (!ok && !stored) {
            backlog = true;
            save(batch);
          } else if (pending.length >= size) flush();
        });
      }
    } while (leaving && pending.length);
    if (pending.length) timer = setTimeout(flush, delay);
  }

  return {
    push(e) {
      pending.push(e);
      if (pending.length >= size && !busy) flush();
      else timer ??= setTimeout(flush, delay);
    },
    flush,
    drain,
    clear() {
      pending = [];
      clearTimeout(timer);
      clearTimeout(retryTimer);
      timer = retryTimer = undefined;
      outbox.clear().catch(() => {});
    },
  };
}
