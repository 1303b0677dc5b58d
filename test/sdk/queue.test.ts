import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Outbox } from '../../sdk/outbox.ts';
import { backoff, createQueue } from '../../sdk/queue.ts';
import type { LgEvent } from '../../sdk/types.ts';

const ev = (n: number) => ({ id: `e${n}` }) as unknown as LgEvent;

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** An outbox in memory, as the localStorage one behaves (synchronous, by id, oldest first). */
function memoryOutbox(): Outbox & { list: LgEvent[] } {
  const o = {
    list: [] as LgEvent[],
    put_: (events: LgEvent[]) => void (o.list = o.list.concat(events.filter((e) => !o.list.some((x) => x.id === e.id)))),
    peek_: (n: number) => o.list.slice(0, n),
    remove_: (events: LgEvent[]) => void (o.list = o.list.filter((x) => !events.some((e) => e.id === x.id))),
    clear_: () => void (o.list = []),
  };
  return o;
}

function setup(results: boolean[] = [], limit = 5) {
  const sent: LgEvent[][] = [];
  const send = vi.fn(async (events: LgEvent[]) => {
    sent.push(events);
    return results.length ? results.shift()! : true;
  });
  const dropped: number[] = [];
  const outbox = memoryOutbox();
  const q = createQueue({ size_: 3, delay_: 1000, limit_: limit, outbox_: outbox, send_: send, drop_: (n) => dropped.push(n) });
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

  it('flushes on leaving without waiting for the timer: everything at once, in batches of 100, besides the one in flight', () => {
    const { q, sent } = setup([], 500);
    for (let i = 0; i < 3; i++) q.push_(ev(i)); // in flight
    for (let i = 3; i < 253; i++) q.push_(ev(i));
    q.flush_(true);
    expect(sent.map((b) => b.length)).toEqual([3, 100, 100, 50]);
    expect(sent.flat().map((e) => e.id)).toEqual(Array.from({ length: 253 }, (_, i) => `e${i}`));
  });

  it('keeps failed events and retries them with backoff, in order; later events wait behind them', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5); // no jitter: 1 s, 2 s, ...
    const { q, sent, outbox } = setup([false, false]);
    q.push_(ev(1));
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent).toHaveLength(1);
    q.push_(ev(2));
    q.push_(ev(3));
    q.push_(ev(4)); // a full batch, but we are backing off
    await vi.advanceTimersByTimeAsync(999);
    expect(sent).toHaveLength(1);
    expect(outbox.list).toEqual([ev(1), ev(2), ev(3), ev(4)]);
    await vi.advanceTimersByTimeAsync(1); // first retry after 1 s, fails again
    expect(sent[1]).toEqual([ev(1), ev(2), ev(3), ev(4)]);
    await vi.advanceTimersByTimeAsync(1999);
    expect(sent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1); // second retry after 2 s, succeeds
    expect(sent).toHaveLength(3);
    expect(sent[2]!.map((e) => e.id)).toEqual(['e1', 'e2', 'e3', 'e4']);
    expect(outbox.list).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('writes events to the outbox when queued (one write per burst) and deletes them on acknowledgement', async () => {
    let answer!: (ok: boolean) => void;
    const outbox = memoryOutbox();
    const put = vi.spyOn(outbox, 'put_');
    const q = createQueue({ size_: 10, delay_: 1000, limit_: 10, outbox_: outbox, send_: () => new Promise<boolean>((r) => (answer = r)), drop_: () => {} });
    q.push_(ev(1));
    q.push_(ev(2));
    await vi.advanceTimersByTimeAsync(0);
    expect(put).toHaveBeenCalledTimes(1);
    expect(outbox.list).toEqual([ev(1), ev(2)]); // before any attempt: an unload now loses nothing
    q.flush_(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(outbox.list).toEqual([ev(1), ev(2)]); // in flight: kept until answered
    answer(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(outbox.list).toEqual([]);
  });

  it('drain() sends what an earlier page left in the outbox first, then this page’s events, once each', async () => {
    const { q, sent, outbox } = setup();
    outbox.put_([ev(1), ev(2)]); // left by the previous page
    q.drain_(); // at start, before this page queues anything
    q.push_(ev(3));
    await vi.advanceTimersByTimeAsync(5000);
    expect(sent.flat().map((e) => e.id)).toEqual(['e1', 'e2', 'e3']);
    expect(outbox.list).toEqual([]);
  });

  it('keeps one request in flight: a burst waits for the answer, then goes as one batch', async () => {
    let answer!: (ok: boolean) => void;
    const sent: LgEvent[][] = [];
    const send = vi.fn((events: LgEvent[]) => {
      sent.push(events);
      return new Promise<boolean>((r) => (answer = r));
    });
    const q = createQueue({ size_: 2, delay_: 1000, limit_: 10, outbox_: memoryOutbox(), send_: send, drop_: () => {} });
    for (let i = 0; i < 7; i++) q.push_(ev(i));
    expect(sent.map((b) => b.length)).toEqual([2]);
    answer(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.map((b) => b.length)).toEqual([2, 5]);
  });

  it('a burst beyond the limit is sent whole while the server answers', async () => {
    const { q, sent, dropped } = setup();
    for (let i = 0; i < 12; i++) q.push_(ev(i));
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.flat()).toHaveLength(12);
    expect(dropped).toEqual([]);
  });

  it('a batch that fails while the page is left is not sent again by the same page (it may have arrived; the outbox keeps it)', async () => {
    let fail!: () => void;
    const sent: LgEvent[][] = [];
    const outbox = memoryOutbox();
    const send = vi.fn((events: LgEvent[]) => {
      sent.push(events);
      return sent.length === 1 ? new Promise<boolean>((r) => (fail = () => r(false))) : Promise.resolve(true);
    });
    const q = createQueue({ size_: 2, delay_: 1000, limit_: 10, outbox_: outbox, send_: send, drop_: () => {} });
    q.push_(ev(1));
    q.push_(ev(2)); // in flight
    q.push_(ev(3));
    q.flush_(true); // visibilitychange: e3 goes, e1 and e2 are in flight
    fail(); // the unload aborts the first request
    await vi.advanceTimersByTimeAsync(0);
    q.flush_(true); // pagehide
    expect(sent.map((b) => b.map((e) => e.id))).toEqual([['e1', 'e2'], ['e3']]);
    expect(outbox.list.map((e) => e.id)).toEqual(['e1', 'e2']);
  });

  it('is bounded while the server is unreachable: drops the oldest waiting events first and counts them', async () => {
    const { q, sent, dropped } = setup([false, true]);
    q.push_(ev(1));
    await vi.advanceTimersByTimeAsync(1000); // fails
    for (let i = 2; i <= 7; i++) q.push_(ev(i));
    expect(dropped.reduce((a, b) => a + b, 0)).toBe(2);
    await vi.advanceTimersByTimeAsync(2000);
    expect(sent[1]!.map((e) => e.id)).toEqual(['e3', 'e4', 'e5', 'e6', 'e7']);
  });

  it('clear() drops waiting events and stops timers', async () => {
    const { q, sent, outbox } = setup();
    q.push_(ev(1));
    q.clear_();
    await vi.advanceTimersByTimeAsync(5000);
    expect(sent).toHaveLength(0);
    expect(outbox.list).toEqual([]);
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
