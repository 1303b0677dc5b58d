// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { OUTBOX_KEY, noOutbox, storageOutbox } from '../../sdk/outbox.ts';
import type { LgEvent } from '../../sdk/types.ts';

const ev = (n: number) => ({ id: `e${n}`, type: 'custom', name: 'n' }) as unknown as LgEvent;
const ids = (events: LgEvent[]) => events.map((e) => e.id);

describe('localStorage outbox', () => {
  beforeEach(() => localStorage.clear());

  it('keeps events in order across a "reload" (a second outbox on the same storage)', () => {
    const a = storageOutbox(100);
    a.put_([ev(1), ev(2)]);
    a.put_([ev(3)]);
    a.put_([ev(2)]); // written again (write-ahead, then a retry): still once
    const b = storageOutbox(100);
    const events = b.peek_(2);
    expect(ids(events)).toEqual(['e1', 'e2']);
    b.remove_(events);
    expect(ids(b.peek_(10))).toEqual(['e3']);
    b.clear_();
    expect(a.peek_(10)).toEqual([]);
    expect(localStorage.getItem(OUTBOX_KEY)).toBeNull(); // nothing lingers once all is sent
  });

  it('is stored by the time put_ returns, before any microtask (what pagehide captures survives the page)', () => {
    const o = storageOutbox(10);
    void o.put_([ev(7)]);
    expect(JSON.parse(localStorage.getItem(OUTBOX_KEY)!).map((e: LgEvent) => e.id)).toEqual(['e7']);
  });

  it('is bounded: drops the oldest first', () => {
    const o = storageOutbox(3);
    o.put_([ev(1), ev(2)]);
    o.put_([ev(3), ev(4), ev(5)]);
    expect(ids(o.peek_(10))).toEqual(['e3', 'e4', 'e5']);
  });

  it('writes a burst of events as one write, not one per event', () => {
    const o = storageOutbox(3000);
    const set = vi.spyOn(localStorage, 'setItem');
    try {
      o.put_(Array.from({ length: 2000 }, (_, i) => ev(i)));
      expect(set).toHaveBeenCalledTimes(1);
      expect(ids(o.peek_(3))).toEqual(['e0', 'e1', 'e2']);
      expect(o.peek_(5000)).toHaveLength(2000);
    } finally {
      set.mockRestore();
    }
  });

  it('does nothing, and fails nothing, when storage throws (quota, blocked): the queue keeps events in memory', () => {
    const set = vi.spyOn(localStorage, 'setItem').mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError');
    });
    try {
      const o = storageOutbox(2);
      o.put_([ev(1), ev(2), ev(3)]);
      expect(o.peek_(10)).toEqual([]);
      o.remove_([ev(1)]);
      o.clear_();
    } finally {
      set.mockRestore();
    }
  });

  it('a corrupt value (another script wrote the key) leaves an empty outbox rather than failing', () => {
    localStorage.setItem(OUTBOX_KEY, '{not json');
    const o = storageOutbox(10);
    expect(o.peek_(10)).toEqual([]);
    o.put_([ev(1)]);
    expect(ids(o.peek_(10))).toEqual(['e1']);
  });
});

describe('no outbox', () => {
  it('stores nothing', () => {
    noOutbox.put_([ev(1)]);
    expect(noOutbox.peek_(10)).toEqual([]);
  });
});
