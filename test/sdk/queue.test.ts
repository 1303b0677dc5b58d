import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { memoryOutbox } from '../../sdk/outbox.ts';
import { backoff, createQueue } from '../../sdk/queue.ts';
import type { LgEvent } from '../../sdk/types.ts';

const ev = (n: number) => ({ id: `e${n}` }) as unknown as LgEvent;

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

function setup(results: boolean[] = []) {
  const sent: LgEvent[][] = [];
  const send = vi.fn(async (events: LgEvent[]) => {
    sent.push(events);
    return results.length ? results.shift()! : true;
  });
  const dropped: number[] = [];
  const outbox = memoryOutbox(5, (n) => dropped.push(n));
  const q = createQueue({ size_: 3, delay_: 1000, outbox_: outbox, send_: send });
  return { q, send, sent, outbox, dropped };
}

describe('queue', () => {
  it('waits for the timer, then sends one batch', async () => {
    const { q, sent } = setup();
    q.push_(ev(1));
    q.push_(ev(2));
    expect(sent).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent).toEqual([[ev(1), ev(2)]]);
    expect(vi.getTimerCount()).toBe(0); // no idle timer once empty
  });

  it('flushes at once when a batch is full', () => {
    const { q, sent } = setup();
    [1, 2, 3].forEach((n) => q.push_(ev(n)));
    expect(sent).toEqual([[ev(1), ev(2), ev(3)]]);
  });

  it('flushes on leaving without waiting for the timer', () => {
    const { q, sent } = setup();
    q.push_(ev(1));
    q.flush_(true);
    expect(sent).toEqual([[ev(1)]]);
  });

  it('keeps failed events (same objects, same ids) and retries them with backoff, in order', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5); // no jitter: 1 s, 2 s, ...
    const { q, sent, outbox } = setup([false, false]);
    q.push_(ev(1));
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent).toHaveLength(1);
    // While failing, later events queue behind the failed ones instead of overtaking them.
    q.push_(ev(2));
    q.flush_();
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toHaveLength(1);
    expect(await outbox.peek_(10)).toEqual([ev(1), ev(2)]);
    await vi.advanceTimersByTimeAsync(1000); // first retry, fails again
    expect(sent).toHaveLength(2);
    expect(sent[1]).toEqual([ev(1), ev(2)]);
    await vi.advanceTimersByTimeAsync(1999);
    expect(sent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1); // second retry after 2 s, succeeds
    expect(sent).toHaveLength(3);
    expect(sent[2]!.map((e) => e.id)).toEqual(['e1', 'e2']);
    expect(await outbox.peek_(10)).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('writes events to the outbox when queued (one write per burst) and deletes them on acknowledgement', async () => {
    let answer!: (ok: boolean) => void;
    const outbox = memoryOutbox(10, () => {});
    const put = vi.spyOn(outbox, 'put_');
    const q = createQueue({ size_: 10, delay_: 1000, outbox_: outbox, send_: () => new Promise<boolean>((r) => (answer = r)) });
    q.push_(ev(1));
    q.push_(ev(2));
    await vi.advanceTimersByTimeAsync(0);
    expect(put).toHaveBeenCalledTimes(1);
    expect(await outbox.peek_(10)).toEqual([ev(1), ev(2)]); // before any attempt: an unload now loses nothing
    q.flush_(true);
    expect(await outbox.peek_(10)).toEqual([ev(1), ev(2)]); // in flight: kept until answered
    answer(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(await outbox.peek_(10)).toEqual([]);
  });

  it('drain() sends what an earlier page left in the outbox, and what waits in memory, once each', async () => {
    const { q, sent, outbox } = setup();
    await outbox.put_([ev(1)]); // left by the previous page
    const draining = q.drain_();
    q.push_(ev(2)); // this page's first event, made while the drain runs
    await draining;
    await vi.advanceTimersByTimeAsync(5000);
    expect(sent.flat().map((e) => e.id).sort()).toEqual(['e1', 'e2']);
    expect(await outbox.peek_(10)).toEqual([]);
  });

  it('keeps one request in flight: a burst waits for the answer, then goes as one batch', async () => {
    let answer!: (ok: boolean) => void;
    const sent: LgEvent[][] = [];
    const send = vi.fn((events: LgEvent[]) => {
      sent.push(events);
      return new Promise<boolean>((r) => (answer = r));
    });
    const q = createQueue({ size_: 2, delay_: 1000, outbox_: memoryOutbox(10, () => {}), send_: send });
    for (let i = 0; i < 7; i++) q.push_(ev(i));
    expect(sent.map((b) => b.length)).toEqual([2]);
    answer(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.map((b) => b.length)).toEqual([2, 5]);
  });

  it('clear() drops waiting events and stops timers', async () => {
    const { q, sent } = setup();
    q.push_(ev(1));
    q.clear_();
    await vi.advanceTimersByTimeAsync(5000);
    expect(sent).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('backoff grows exponentially with jitter and is capped', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    expect([0, 1, 2, 3].map(backoff)).toEqual([500, 1000, 2000, 4000]);
    expect(backoff(30)).toBe(150_000);
    vi.spyOn(Math, 'random').mockReturnValue(0.999);
    expect(backoff(0)).toBeCloseTo(1499, 0);
  });
});
