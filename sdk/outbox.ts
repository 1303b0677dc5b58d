import type { LgEvent } from './types.ts';

// Events the server has not acknowledged yet, kept across page loads. The queue writes every
// event here when it is queued (write-ahead) and deletes it on acknowledgement, so events a
// page could not deliver (server down, or an attempt that fails as the page unloads) are
// sent by the next page. An event written twice is kept once. Bounded, dropping the oldest
// first (the queue counts what it drops from its own list, which this mirrors).
//
// The whole outbox is one list in one IndexedDB record, oldest first: a burst of events is
// one small transaction (one record written, not one per event: 2,000 separate puts were a
// 140 ms long task). The list is at most `limit` events, so rewriting it is cheap. Without
// IndexedDB (or without consent to store) there is no outbox: events wait in the queue's
// memory only.
//
// Raw IndexedDB, not idb (which the extension uses): idb costs ~1.4 KB gzip, 40% of the
// snippet's whole budget, for one call we can wrap in a dozen lines.

export interface Outbox {
  /** Stores events (again, harmlessly) and drops the oldest beyond the limit. */
  put_(events: LgEvent[]): Promise<unknown>;
  /** The oldest `n` events. */
  peek_(n: number): Promise<LgEvent[]>;
  remove_(events: LgEvent[]): Promise<unknown>;
  clear_(): Promise<unknown>;
}

type List = LgEvent[];

const nothing = async (): Promise<List> => [];

/** No outbox: events live in the queue's memory for this page only. */
export const noOutbox: Outbox = { put_: nothing, peek_: nothing, remove_: nothing, clear_: nothing };

/** The events of `l` whose id is not in `other`. */
const without = (l: List, other: List) => {
  const ids = new Set(other.map((e) => e.id));
  return l.filter((e) => !ids.has(e.id));
};

export const idbOutbox = (limit: number): Outbox => {
  // Private modes, old browsers and blocked storage have no usable IndexedDB (open fails, or
  // `indexedDB` throws): then every call does nothing.
  const db = new Promise<IDBDatabase>((ok, fail) => {
    const r = indexedDB.open('leadglow', 3);
    // Versions 1 and 2 (pre-release) kept one record per event in a store of the same name:
    // creating it throws, the upgrade aborts and there is no outbox. Not worth a migration.
    r.onupgradeneeded = () => r.result.createObjectStore('outbox');
    r.onsuccess = () => ok(r.result);
    r.onerror = r.onblocked = fail;
  }).catch(() => {});
  /** Applies `fn` to the list and stores its result (a new list) in one transaction; resolves with the stored list. */
  const update = async (fn: (l: List) => List): Promise<List> => {
    const d = await db;
    return d
      ? new Promise((ok, fail) => {
          const t = d.transaction('outbox', 'readwrite');
          const s = t.objectStore('outbox');
          const r = s.get(0);
          let l: List;
          // Written back even when unchanged (peek): one small write per page load.
          r.onsuccess = () => s.put((l = fn(r.result || [])), 0);
          t.oncomplete = () => ok(l);
          // A failed request aborts its transaction.
          t.onabort = fail;
        })
      : [];
  };
  return {
    // The queue writes each event once; an event written again keeps its place.
    put_: (events) => update((l) => l.concat(without(events, l)).slice(-limit)),
    peek_: (n) => update((l) => l).then((l) => l.slice(0, n)),
    remove_: (events) => update((l) => without(l, events)),
    clear_: () => update(() => []),
  };
};

/** The outbox for this page: IndexedDB when we may persist and it is built in, none otherwise. */
export const createOutbox = (persistent: boolean, limit: number): Outbox => (!globalThis.LEADGLOW_CORE && persistent ? idbOutbox(limit) : noOutbox);
