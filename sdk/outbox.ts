import { openDB, type DBSchema } from 'idb';
import type { LgEvent } from './types.ts';

// Events the server has not taken yet (offline, server down). Kept in insertion order under
// auto-increment keys; bounded, dropping the oldest first. IndexedDB when we may persist,
// so the events survive a reload; memory otherwise.

export interface Outbox {
  add(events: LgEvent[]): Promise<void>;
  /** The oldest `n` events and the key of the last one. */
  peek(n: number): Promise<[last: number, events: LgEvent[]]>;
  /** Removes every event up to and including key `last`. */
  remove(last: number): Promise<void>;
  clear(): Promise<void>;
}

interface Schema extends DBSchema {
  outbox: { key: number; value: LgEvent };
}

export function memoryOutbox(limit: number, onDrop: (n: number) => void): Outbox {
  let key = 0;
  const items: [number, LgEvent][] = [];
  return {
    async add(events) {
      for (const e of events) items.push([++key, e]);
      const excess = items.length - limit;
      if (excess > 0) onDrop(items.splice(0, excess).length);
    },
    async peek(n) {
      const head = items.slice(0, n);
      return [head[head.length - 1]?.[0] ?? 0, head.map((i) => i[1])];
    },
    async remove(last) {
      while (items[0] && items[0][0] <= last) items.shift();
    },
    async clear() {
      items.length = 0;
    },
  };
}

export function idbOutbox(limit: number, onDrop: (n: number) => void): Outbox {
  const memory = memoryOutbox(limit, onDrop);
  // Private modes, old browsers and blocked storage have no usable IndexedDB: stay in memory.
  const db = Promise.resolve()
    .then(() => openDB<Schema>('leadglow', 1, { upgrade: (d) => void d.createObjectStore('outbox', { autoIncrement: true }) }))
    .catch(() => undefined);
  return {
    async add(events) {
      const d = await db;
      if (!d) return memory.add(events);
      const tx = d.transaction('outbox', 'readwrite');
      const store = tx.store;
      // Every idb request is a promise; Promise.all awaits them all, so a failing one (quota,
      // abort) rejects here instead of surfacing as an unhandled rejection in the host page.
      await Promise.all([
        ...events.map((e) => store.add(e)),
        store.count().then(async (n) => {
          if (n <= limit) return;
          const keys = await store.getAllKeys(null, n - limit);
          onDrop(keys.length);
          await store.delete(IDBKeyRange.upperBound(keys[keys.length - 1]!));
        }),
        tx.done,
      ]);
    },
    async peek(n) {
      const d = await db;
      if (!d) return memory.peek(n);
      const tx = d.transaction('outbox');
      const [keys, events] = await Promise.all([tx.store.getAllKeys(null, n), tx.store.getAll(null, n), tx.done]);
      return [keys[keys.length - 1] ?? 0, events];
    },
    async remove(last) {
      const d = await db;
      // Keys only grow, so everything up to `last` is exactly what was peeked.
      await (d ? d.delete('outbox', IDBKeyRange.upperBound(last)) : memory.remove(last));
    },
    async clear() {
      const d = await db;
      await (d ? d.clear('outbox') : memory.clear());
    },
  };
}

/** The outbox for this page: persistent when allowed and built in, memory otherwise. */
export const createOutbox = (persistent: boolean, limit: number, onDrop: (n: number) => void): Outbox =>
  !globalThis.LEADGLOW_CORE && persistent ? idbOutbox(limit, onDrop) : memoryOutbox(limit, onDrop);
