import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { idbOutbox, memoryOutbox } from '../../sdk/outbox.ts';
import type { LgEvent } from '../../sdk/types.ts';

const ev = (n: number) => ({ id: `e${n}`, type: 'custom', name: 'n' }) as unknown as LgEvent;
const ids = (events: LgEvent[]) => events.map((e) => e.id);

describe('IndexedDB outbox', () => {
  it('keeps events in order across a "reload" (a second outbox on the same database)', async () => {
    const a = idbOutbox(100, () => {});
    await a.add([ev(1), ev(2)]);
    await a.add([ev(3)]);
    const b = idbOutbox(100, () => {});
    const [last, events] = await b.peek(2);
    expect(ids(events)).toEqual(['e1', 'e2']);
    await b.remove(last);
    expect(ids((await b.peek(10))[1])).toEqual(['e3']);
    await b.clear();
    expect((await a.peek(10))[1]).toEqual([]);
  });

  it('is bounded: drops the oldest first and counts them', async () => {
    let dropped = 0;
    const o = idbOutbox(3, (n) => (dropped += n));
    await o.clear();
    await o.add([ev(1), ev(2)]);
    await o.add([ev(3), ev(4), ev(5)]);
    expect(dropped).toBe(2);
    expect(ids((await o.peek(10))[1])).toEqual(['e3', 'e4', 'e5']);
    await o.clear();
  });

  it('works in memory when IndexedDB is unavailable', async () => {
    const saved = globalThis.indexedDB;
    // @ts-expect-error simulating a browser without IndexedDB
    delete globalThis.indexedDB;
    try {
      const o = idbOutbox(2, () => {});
      await o.add([ev(1), ev(2), ev(3)]);
      expect(ids((await o.peek(10))[1])).toEqual(['e2', 'e3']);
    } finally {
      globalThis.indexedDB = saved;
    }
  });
});

describe('memory outbox', () => {
  it('peeks, removes up to a key, drops oldest beyond the limit', async () => {
    const dropped: number[] = [];
    const o = memoryOutbox(3, (n) => dropped.push(n));
    await o.add([ev(1), ev(2), ev(3), ev(4)]);
    expect(dropped).toEqual([1]);
    const [last, events] = await o.peek(2);
    expect(ids(events)).toEqual(['e2', 'e3']);
    await o.remove(last);
    expect(ids((await o.peek(5))[1])).toEqual(['e4']);
  });
});
