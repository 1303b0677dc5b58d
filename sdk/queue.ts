import type { Outbox } from './outbox.ts';
import type { LgEvent } from './types.ts';

// Batching and retries. Every event is written to the outbox when queued (write-ahead, one
// write per burst) and deleted when the server acknowledges it, so no failure, not even one
// during unload, loses it. Events wait in memory for a short timer or a full batch. After a
// failure the outbox is the only source (in order) until drain() empties it. Timers run only
// while something waits: no idle loops.

const MAX_BATCH = 100; // LIMITS.batchEvents
const MAX_BACKOFF = 5 * 60_000;

// Internal names end in `_`: the build shortens them (esbuild mangleProps).
export interface QueueOptions {
  size_: number;
  delay_: number;
  outbox_: Outbox;
  /** Delivers a batch; resolves true when settled, false to retry. */
  send_: (events: LgEvent[]) => Promise<boolean>;
}

export interface Queue {
  push_(e: LgEvent): void;
  /** `leaving`: the page is being hidden or unloaded. */
  flush_(leaving?: boolean): void;
  /** Sends what the outbox holds (a previous page's events, failed batches) until it is empty. */
  drain_(): Promise<void>;
  clear_(): void;
}

/** Exponential backoff with full jitter in [0.5, 1.5): tabs that failed together do not retry together. */
export const backoff = (attempt: number): number => Math.min(1000 * 2 ** attempt, MAX_BACKOFF) * (0.5 + Math.random());

const ignore = () => {};

export function createQueue({ size_: size, delay_: delay, outbox_: outbox, send_: send }: QueueOptions): Queue {
  let pending: LgEvent[] = [];
  let unsaved: LgEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  // The outbox holds events we may not send from memory: drain() owns delivery.
  let backlog = false;
  let draining = false;
  let attempt = 0;
  // One request in flight at a time: a burst of events becomes a few large batches rather
  // than many small fetches (each costs main-thread time and a share of the keepalive quota).
  let busy = false;
  let writes = 0;

  // A write failure (quota) leaves the events in memory only: they are lost only if sending fails too.
  const save = () => void (unsaved[0] && ++writes && outbox.put_(unsaved.splice(0)).catch(ignore));

  const retry = () => {
    backlog = true;
    retryTimer ??= setTimeout(() => {
      retryTimer = undefined;
      drain();
    }, backoff(attempt++));
  };

  async function drain(): Promise<void> {
    if (draining) return;
    draining = backlog = true;
    try {
      for (;;) {
        // Whatever waits in memory is in the outbox too: sending it from there keeps the order and sends it once.
        save();
        pending = [];
        const seen = writes;
        const events = await outbox.peek_(MAX_BATCH);
        // Empty, unless events were written after we looked (the outbox applies calls in order).
        if (!events[0]) {
          if (seen === writes) break;
          continue;
        }
        if (!(await send(events))) return retry();
        await outbox.remove_(events);
        attempt = 0;
      }
      backlog = false;
      attempt = 0;
    } catch {
      retry();
    } finally {
      draining = false;
    }
  }

  function flush(leaving?: boolean) {
    clearTimeout(timer);
    timer = undefined;
    save();
    // Leaving: everything goes now (keepalive), even after failures in case the server is
    // back (a copy stays in the outbox until acknowledged; the server dedupes by id), but not
    // during a drain, which sends it anyway. Otherwise one batch, the rest after it is answered.
    if (backlog && (!leaving || draining)) pending = [];
    else if (!busy || leaving)
      do {
        const batch = pending.splice(0, MAX_BATCH);
        if (!batch[0]) break;
        busy = true;
        send(batch).then((ok) => {
          busy = false;
          if (!ok) return retry();
          outbox.remove_(batch).catch(ignore);
          if (pending.length >= size) flush();
        });
      } while (leaving);
    if (pending[0]) timer = setTimeout(flush, delay);
  }

  return {
    push_(e) {
      pending.push(e);
      // One outbox write per burst of events, after the code that made them has finished.
      if (unsaved.push(e) < 2) queueMicrotask(save);
      if (pending.length >= size && !busy) flush();
      else timer ??= setTimeout(flush, delay);
    },
    flush_: flush,
    drain_: drain,
    clear_() {
      pending = [];
      unsaved = [];
      clearTimeout(timer);
      clearTimeout(retryTimer);
      timer = retryTimer = undefined;
      outbox.clear_().catch(ignore);
    },
  };
}
