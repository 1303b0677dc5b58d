import type { Outbox } from './outbox.ts';
import type { LgEvent } from './types.ts';

// Batching and retries. Events wait in memory, oldest first, until they are sent. Each is also
// written to the outbox when queued (write-ahead, one write per burst) and deleted on
// acknowledgement, so events a page could not deliver (server down, or an attempt that fails
// as the page unloads) are picked up by the next page (drain). One request is in flight at a
// time, so a burst becomes a few large batches rather than many small fetches; leaving the
// page sends everything at once. A failed batch is retried first, with backoff. Timers run
// only while something waits: no idle loops.

const MAX_BATCH = 100; // LIMITS.batchEvents
const MAX_BACKOFF = 5 * 60_000;

// Internal names end in `_`: the build shortens them (esbuild mangleProps).
export interface QueueOptions {
  size_: number;
  delay_: number;
  /** Most events waiting while the server is unreachable; the oldest are dropped first. */
  limit_: number;
  outbox_: Outbox;
  /** Delivers a batch; resolves true when settled, false to retry. */
  send_: (events: LgEvent[]) => Promise<boolean>;
  /** Counts dropped events. */
  drop_: (n: number) => void;
}

export interface Queue {
  push_(e: LgEvent): void;
  /** Sends the next batch now; `leaving` (the page is being hidden or unloaded): everything. */
  flush_(leaving?: boolean): void;
  /** Adds what earlier pages left in the outbox, then sends. */
  drain_(): void;
  clear_(): void;
}

/** Exponential backoff with full jitter in [0.5, 1.5): tabs that failed together do not retry together. */
export const backoff = (attempt: number): number => Math.min(1000 * 2 ** attempt, MAX_BACKOFF) * (0.5 + Math.random());


export function createQueue({ size_: size, delay_: delay, limit_: limit, outbox_: outbox, send_: send, drop_: drop }: QueueOptions): Queue {
  // Not sent yet, oldest first. A batch leaves this list when it is sent; if it fails it waits
  // in `failed` for the backoff timer (a page being left sends only what was never tried:
  // a failure during unload may have reached the server, and the outbox keeps it anyway).
  let events: LgEvent[] = [];
  let failed: LgEvent[] = [];
  let unsaved: LgEvent[] = [];
  let sending = 0; // requests in flight
  let attempt = 0; // failures in a row; while any, only the backoff timer, leaving or coming online sends
  let timer: ReturnType<typeof setTimeout> | undefined;

  // A write failure (quota) leaves the events in memory only: lost only if the page is left before they are sent.
  const save = () => unsaved[0] && outbox.put_(unsaved.splice(0));

  /** Appends events; while the server is unreachable, drops the oldest beyond the limit. */
  function add(more: LgEvent[]) {
    events.push(...more);
    let excess = failed.length + events.length - limit;
    if (attempt && excess > 0) {
      drop(excess);
      excess -= failed.splice(0, excess).length;
      events.splice(0, excess);
    }
  }

  function post(batch: LgEvent[]) {
    sending++;
    // send() never rejects (transport.ts catches); `void` says so to the linter, and terser drops it.
    void send(batch).then((ok) => {
      sending--;
      if (ok) {
        outbox.remove_(batch);
        attempt = 0;
        flush();
      } else {
        failed.push(...batch);
        clearTimeout(timer);
        timer = setTimeout(flush, backoff(attempt++));
      }
    });
  }

  /** One batch at a time, failed ones first; or, when the page is being left, everything never tried, at once. */
  function flush(leaving?: boolean) {
    if (!leaving) {
      clearTimeout(timer);
      timer = undefined;
      events = failed.concat(events);
      failed = [];
    }
    save();
    while (events[0] && (leaving || !sending)) post(events.splice(0, MAX_BATCH));
  }

  return {
    push_(e) {
      add([e]);
      // One outbox write per burst of events, after the code that made them has finished.
      if (unsaved.push(e) < 2) queueMicrotask(save);
      // A full batch goes now, unless one is in flight (its answer sends the rest) or we back off.
      if (events.length >= size && !sending && !attempt) flush();
      else timer ??= setTimeout(flush, delay);
    },
    flush_: flush,
    drain_() {
      // Called before this page queues anything, so earlier pages' events go first; another
      // tab's unacknowledged events may come too (the server dedupes).
      add(outbox.peek_(limit));
      flush();
    },
    clear_() {
      events = [];
      failed = [];
      unsaved = [];
      clearTimeout(timer);
      timer = undefined;
      outbox.clear_();
    },
  };
}
