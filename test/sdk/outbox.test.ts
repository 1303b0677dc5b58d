import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { idbOutbox, noOutbox } from '../../sdk/outbox.ts';
import type { LgEvent } from '../../sdk/types.ts';

const ev = (n: number) => ({ id: `e${n}`, type: 'custom', name: 'n' }) as unknown as LgEvent;
const ids = (events: LgEvent[]) => events.map((e) => e.id);

describe('IndexedDB outbox', () => {
  it('keeps events in order across a "reload" (a second outbox on the same database)', async () => {
    const a = idbOutbox(100);
    await a.put_([ev(1), ev(2)]);
    await a.put_([ev(3)]);
    await a.put_([ev(2)]); // written again (write-ahead, then a retry): still once
    const b = idbOutbox(100);
    const events = await b.peek_(2);
    expect(ids(events)).toEqual(['e1', 'e2']);
    await b.remove_(events);
    expect(ids(await b.peek_(10))).toEqual(['e3']);
    await b.clear_();
    expect(await a.peek_(10)).toEqual([]);
  });

  it('is bounded: drops the oldest first', async () => {
    const o = idbOutbox(3);
    await o.clear_();
    await o.put_([ev(1), ev(2)]);
    await o.put_([ev(3), ev(4), ev(5)]);
    expect(ids(await o.peek_(10))).toEqual(['e3', 'e4', 'e5']);
    await o.clear_();
  });

  it('writes a burst of events as one record, not one per event', async () => {
    const o = idbOutbox(3000);
    await o.clear_();
    const put = vi.spyOn(IDBObjectStore.prototype, 'put');
    try {
      await o.put_(Array.from({ length: 2000 }, (_, i) => ev(i)));
      expect(put).toHaveBeenCalledTimes(1);
      expect(ids(await o.peek_(3))).toEqual(['e0', 'e1', 'e2']);
      expect(await o.peek_(5000)).toHaveLength(2000);
    } finally {
      put.mockRestore();
      await o.clear_();
    }
  });

  it('does nothing, and fails nothing, when IndexedDB is unavailable (the queue keeps events in memory)', async () => {
    const saved = globalThis.indexedDB;
    // @ts-expect-error simulating a browser without IndexedDB
    delete globalThis.indexedDB;
    try {
      const o = idbOutbox(2);
      await o.put_([ev(1), ev(2), ev(3)]);
      expect(await o.peek_(10)).toEqual([]);
      await o.remove_([ev(1)]);
      await o.clear_();
    } finally {
      globalThis.indexedDB = saved;
    }
  });

  it('a pre-release database (another layout at version 2) leaves no outbox rather than failing', async () => {
    const old = indexedDB.open('leadglow-old-layout', 2);
    await new Promise((ok) => {
      old.onupgradeneeded = () => old.result.createObjectStore('outbox', { keyPath: 'id' });
      old.onsuccess = ok;
    });
    old.result.close();
    // The SDK opens "leadglow" at version 3; point it at the old-layout database instead.
    const open = vi.spyOn(indexedDB, 'open').mockImplementation((_name, version) => IDBFactory.prototype.open.call(indexedDB, 'leadglow-old-layout', version));
    try {
      const o = idbOutbox(10);
      await o.put_([ev(1)]);
      expect(await o.peek_(10)).toEqual([]);
    } finally {
      open.mockRestore();
    }
  });
});

describe('no outbox', () => {
  it('stores nothing', async () => {
    await noOutbox.put_([ev(1)]);
    expect(await noOutbox.peek_(10)).toEqual([]);
  });
});
