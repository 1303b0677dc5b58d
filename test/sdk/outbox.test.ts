import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { idbOutbox, memoryOutbox } from '../../sdk/outbox.ts';
import type { LgEvent } from '../../sdk/types.ts';

const ev = (n: number) => ({ id: `e${n}`, type: 'custom', name: 'n' }) as unknown as LgEvent;
const ids = (events: LgEvent[]) => events.map((e) => e.id);

describe('IndexedDB outbox', () => {
  it('keeps events in order across a "reload" (a second outbox on the same database)', async () => {
    const a = idbOutbox(100, () => {});
    await a.put([ev(1), ev(2)]);
    await a.put([ev(3)]);
    await a.put([ev(2)]); // written again (write-ahead, then a retry): still once
    const b = idbOutbox(100, () => {});
    const events = await b.peek(2);
    expect(ids(events)).toEqual(['e1', 'e2']);
    await b.remove(events);
    expect(ids(await b.peek(10))).toEqual(['e3']);
    await b.clear();
    expect(await a.peek(10)).toEqual([]);
  });

  it('is bounded: drops the oldest first and counts them', async () => {
    let dropped = 0;
    const o = idbOutbox(3, (n) => (dropped += n));
    await o.clear();
    await o.put([ev(1), ev(2)]);
    await o.put([ev(3), ev(4), ev(5)]);
    expect(dropped).toBe(2);
    expect(ids(await o.peek(10))).toEqual(['e3', 'e4', 'e5']);
    await o.clear();
  });

  it('writes a burst of events as one record, not one per event', async () => {
    const o = idbOutbox(3000, () => {});
    await o.clear();
    const put = vi.spyOn(IDBObjectStore.prototype, 'put');
    try {
      await o.put(Array.from({ length: 2000 }, (_, i) => ev(i)));
      expect(put).toHaveBeenCalledTimes(1);
      expect(ids(await o.peek(3))).toEqual(['e0', 'e1', 'e2']);
      expect(await o.peek(5000)).toHaveLength(2000);
    } finally {
      put.mockRestore();
      await o.clear();
    }
  });

  it('works in memory when IndexedDB is unavailable', async () => {
    const saved = globalThis.indexedDB;
    // @ts-expect-error simulating a browser without IndexedDB
    delete globalThis.indexedDB;
    try {
      const o = idbOutbox(2, () => {});
      await o.put([ev(1), ev(2), ev(3)]);
      expect(ids(await o.peek(10))).toEqual(['e2', 'e3']);
    } finally {
      globalThis.indexedDB = saved;
    }
  });
});

describe('memory outbox', () => {
  it('peeks, removes what was peeked, drops oldest beyond the limit', async () => {
    let dropped = 0;
    const o = memoryOutbox(3, (n) => (dropped += n));
    await o.put([ev(1), ev(2), ev(3), ev(4)]);
    await o.put([ev(3)]);
    expect(dropped).toBe(1);
    const events = await o.peek(2);
    expect(ids(events)).toEqual(['e2', 'e3']);
    await o.remove(events);
    expect(ids(await o.peek(5))).toEqual(['e4']);
  });
});
