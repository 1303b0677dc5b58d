import { read, write } from './storage.ts';
import type { LgEvent } from './types.ts';

// Events the server has not acknowledged yet, kept across page loads. The queue writes every
// event here when it is queued (write-ahead) and deletes it on acknowledgement, so events a
// page could not deliver (server down, or an attempt that fails as the page unloads) are
// sent by the next page. An event written twice is kept once. Bounded, dropping the oldest
// first (the queue counts what it drops from its own list, which this mirrors).
//
// One JSON list in localStorage (`lg_out`), oldest first. localStorage is synchronous: an
// event is stored by the time `put_` returns, so what is captured on `pagehide` (engaged time)
// is stored before the page is gone. The IndexedDB outbox this replaced wrote in a transaction
// started a microtask later, which a page being left did not always finish: engaged time was
// lost whenever the server was down. It also cost ~190 bytes more of the snippet. The list is
// at most `outboxLimit` events (500 by default, some 200 kB), one read and one write per
// burst. Without storage (or without consent to store) there is no outbox: events wait in
// the queue's memory only. Two tabs writing in the same instant can overwrite each other's
// write-ahead; what is lost then is only what neither tab manages to send.

/** Synchronous: what `put_` stores is stored when it returns. */
export interface Outbox {
  /** Stores events (again, harmlessly) and drops the oldest beyond the limit. */
  put_(events: LgEvent[]): unknown;
  /** The oldest `n` events. */
  peek_(n: number): LgEvent[];
  remove_(events: LgEvent[]): unknown;
  clear_(): unknown;
}

type List = LgEvent[];

export const OUTBOX_KEY = 'lg_out';

const nothing = (): List => [];

/** No outbox: events live in the queue's memory for this page only. */
export const noOutbox: Outbox = { put_: nothing, peek_: nothing, remove_: nothing, clear_: nothing };

/** The events of `l` whose id is not in `other`. */
const without = (l: List, other: List) => l.filter((e) => !other.some((o) => o.id === e.id));

export const storageOutbox = (limit: number): Outbox => {
  /** Applies `fn` to the stored list and stores its result, now. */
  const update = (fn: (l: List) => List): List => {
    let l: List = [];
    try {
      l = fn(JSON.parse(read(OUTBOX_KEY)!) || []);
    } catch {}
    // An empty list removes the key: nothing lingers in storage once everything is sent.
    write(OUTBOX_KEY, l[0] && JSON.stringify(l));
    return l;
  };
  return {
    // The queue writes each event once; an event written again keeps its place.
    put_: (events) => update((l) => l.concat(without(events, l)).slice(-limit)),
    peek_: (n) => update((l) => l).slice(0, n),
    remove_: (events) => update((l) => without(l, events)),
    clear_: () => update(() => []),
  };
};

/** The outbox for this page: localStorage when we may persist and it is built in, none otherwise. */
export const createOutbox = (persistent: boolean, limit: number): Outbox => (!globalThis.LEADGLOW_CORE && persistent ? storageOutbox(limit) : noOutbox);
