import type { LgEvent } from './types.ts';

// Events the server has not acknowledged yet. The queue writes every event here when it is
// queued (write-ahead) and deletes it on acknowledgement, so a batch whose only attempt fails
// as the page unloads is still sent by the next page. Keyed by event id: writing an event
// twice is harmless, and UUID v7 keys sort oldest first. Bounded, dropping the oldest first.
// IndexedDB when we may persist, so events survive a reload; memory otherwise.
//
// Raw IndexedDB, not idb (which the extension uses): idb costs ~1.4 KB gzip, 40% of the
// snippet's whole budget, for four calls we can wrap in a dozen lines.

export interface Outbox {
  /** Stores events (again, harmlessly) and drops the oldest beyond the limit. */
  put(events: LgEvent[]): Promise<unknown>;
  /** The oldest `n` events. */
  peek(n: number): Promise<LgEvent[]>;
  remove(events: LgEvent[]): Promise<unknown>;
  clear(): Promise<unknown>;
}

export function memoryOutbox(limit: number, onDrop: (n: number) => void): Outbox {
  const items = new Map<string, LgEvent>(); // insertion order is oldest first
  return {
    async put(events) {
      for (const e of events) items.set(e.id, e);
      for (const id of items.keys()) {
        if (items.size <= limit) break;
        items.delete(id);
        onDrop(1);
      }
    },
    async peek(n) {
      return [...items.values()].slice(0, n);
    },
    async remove(events) {
      for (const e of events) items.delete(e.id);
    },
    async clear() {
      items.clear();
    },
  };
}

export function idbOutbox(limit: number, onDrop: (n: number) => void): Outbox {
  const memory = memoryOutbox(limit, onDrop);
  // Private modes, old browsers and blocked storage have no usable IndexedDB (open fails, or
  // `indexedDB` throws): stay in memory.
  const db = new Promise<IDBDatabase>((ok, fail) => {
    const r = indexedDB.open('leadglow', 2);
    r.onupgradeneeded = (e) => {
      // Version 1 (pre-release) keyed by auto-increment; its leftovers are not worth a migration.
      if (e.oldVersion) r.result.deleteObjectStore('outbox');
      r.result.createObjectStore('outbox', { keyPath: 'id' });
    };
    r.onsuccess = () => ok(r.result);
    r.onerror = r.onblocked = fail;
  }).catch(() => {});

  /** One transaction; resolves with the request's result once committed, rejects if it aborts. */
  const run = (write: boolean, fn: (s: IDBObjectStore) => IDBRequest | void, fallback: () => Promise<any>) =>
    db.then((d) =>
      d
        ? new Promise((ok, fail) => {
            const t = d.transaction('outbox', write ? 'readwrite' : 'readonly');
            const r = fn(t.objectStore('outbox'));
            t.oncomplete = () => ok(r && r.result);
            t.onerror = t.onabort = () => fail(t.error);
          })
        : fallback(),
    );

  return {
    put: (events) =>
      run(
        true,
        (s) => {
          for (const e of events) s.put(e);
          const count = s.count();
          count.onsuccess = () => {
            const excess = count.result - limit;
            if (excess < 1) return;
            const keys = s.getAllKeys(null, excess);
            keys.onsuccess = () => s.delete(IDBKeyRange.upperBound(keys.result[excess - 1]!));
            onDrop(excess);
          };
        },
        () => memory.put(events),
      ),
    peek: (n) => run(false, (s) => s.getAll(null, n), () => memory.peek(n)),
    remove: (events) => run(true, (s) => events.forEach((e) => s.delete(e.id)), () => memory.remove(events)),
    clear: () => run(true, (s) => s.clear(), memory.clear),
  };
}

/** The outbox for this page: persistent when allowed and built in, memory otherwise. */
export const createOutbox = (persistent: boolean, limit: number, onDrop: (n: number) => void): Outbox =>
  !globalThis.LEADGLOW_CORE && persistent ? idbOutbox(limit, onDrop) : memoryOutbox(limit, onDrop);
