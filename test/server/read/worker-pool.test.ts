import { availableParallelism, getPriority } from 'node:os';
import { threadId } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { poolSize, runPool, WORKER_NICE } from '../../../server/read/worker-pool.ts';

// The pool behind reports and backtests: pages go to whichever worker has room, answers come
// back in page order whatever order the workers finish in, at most `inFlight` pages per worker
// are ahead of the caller, and a worker that fails or dies fails the run with the reason.

const ECHO = new URL('./worker-pool-echo.ts', import.meta.url);
const SWAP = new URL('./worker-pool-swap.ts', import.meta.url);
type Page = { n: number };
type Echo = { n: number; twice: number; threadId: number; nice: number | undefined };

/** Pages 0..count-1, noting how many the caller had taken each time the pool pulled one. */
async function* pagesOf(count: number, pulled?: number[], taken?: () => number): AsyncGenerator<Page> {
  for (let n = 0; n < count; n++) {
    pulled?.push(n - (taken?.() ?? 0));
    yield { n };
  }
}

describe('runPool', () => {
  it('answers every page in page order from several workers, none of them this thread', async () => {
    const seen: Echo[] = [];
    const pulled: number[] = [];
    const { threadIds } = await runPool<object, Page, Echo>({
      entry: ECHO,
      name: 'echo',
      start: {},
      pages: pagesOf(60, pulled, () => seen.length),
      workers: 3,
      inFlight: 2,
      take: (answer, page) => {
        expect(answer.n).toBe(page.n);
        seen.push(answer);
      },
    });
    expect(seen.map((a) => a.n)).toEqual([...Array(60).keys()]);
    expect(seen.every((a) => a.twice === a.n * 2)).toBe(true);
    // Pages 0, 1 and 2 each find every worker so far busy, so each starts one; each answers.
    expect(new Set(threadIds).size).toBe(3);
    expect(threadIds).not.toContain(threadId);
    expect(new Set(seen.map((a) => a.threadId))).toEqual(new Set(threadIds));
    // Backpressure: never more than workers × inFlight pages pulled ahead of the caller.
    expect(Math.max(...pulled)).toBeLessThanOrEqual(3 * 2);
  }, 60_000);

  it('hands answers over in page order when a worker finishes them out of order', async () => {
    const order: number[] = [];
    await runPool<object, Page, Page>({ entry: SWAP, name: 'swap', start: {}, pages: pagesOf(10), workers: 1, inFlight: 2, take: (a) => order.push(a.n) });
    expect(order).toEqual([...Array(10).keys()]);
  }, 60_000);

  it('starts no worker for no pages', async () => {
    const { threadIds } = await runPool<object, Page, Echo>({ entry: ECHO, name: 'echo', start: {}, pages: pagesOf(0), take: () => undefined });
    expect(threadIds).toEqual([]);
  });

  it('fails the run with the worker’s reason, naming the work', async () => {
    const taken: number[] = [];
    const run = runPool<object, Page, Echo>({ entry: ECHO, name: 'echo', start: { failAt: 7 }, pages: pagesOf(40), workers: 2, take: (a) => taken.push(a.n) });
    await expect(run).rejects.toThrow(/^echo failed: no page 7 here$/);
    expect(taken).not.toContain(7);
  }, 60_000);

  it('fails the run when a worker dies', async () => {
    const run = runPool<object, Page, Echo>({ entry: ECHO, name: 'echo', start: { exitAt: 3 }, pages: pagesOf(20), workers: 2, take: () => undefined });
    await expect(run).rejects.toThrow(/^echo failed: a worker stopped \(exit code 3\)/);
  }, 60_000);

  it('fails the run when taking an answer throws', async () => {
    const run = runPool<object, Page, Echo>({
      entry: ECHO,
      name: 'echo',
      start: {},
      pages: pagesOf(20),
      take: (a) => {
        if (a.n === 5) throw new Error('cannot take 5');
      },
    });
    await expect(run).rejects.toThrow(/^echo failed: cannot take 5$/);
  }, 60_000);

  it('hands the workers of a run that went well to the next run, and never those of a failed one', async () => {
    const run = (start: object) => runPool<object, Page, Echo>({ entry: ECHO, name: 'echo', start, pages: pagesOf(12), workers: 2, take: () => undefined });
    const first = await run({});
    const second = await run({});
    expect(new Set(second.threadIds)).toEqual(new Set(first.threadIds));
    const answered = new Set<number>();
    await expect(runPool<object, Page, Echo>({ entry: ECHO, name: 'echo', start: { failAt: 11 }, pages: pagesOf(12), workers: 2, take: (a) => answered.add(a.threadId) })).rejects.toThrow(/no page 11/);
    // The failed run had the idle workers; the next run gets fresh ones.
    expect([...answered].every((id) => first.threadIds.includes(id))).toBe(true);
    const third = await run({});
    expect(third.threadIds.some((id) => first.threadIds.includes(id))).toBe(false);
  }, 60_000);

  it('runs the workers at a lower priority than the event loop (Linux: a nice value per thread)', async () => {
    const before = getPriority();
    const seen: Echo[] = [];
    await runPool<object, Page, Echo>({ entry: ECHO, name: 'echo', start: {}, pages: pagesOf(6), workers: 2, idleMs: 0, take: (a) => seen.push(a) });
    // A process already nicer than that keeps its value: a thread cannot raise its own priority.
    expect(seen.map((a) => a.nice)).toEqual(Array(6).fill(process.platform === 'linux' ? Math.max(before, WORKER_NICE) : undefined));
    expect(getPriority()).toBe(before);
  }, 60_000);

  it('uses one worker per core, at least one and at most four', () => {
    expect(poolSize()).toBe(Math.max(1, Math.min(4, availableParallelism())));
  });
});
