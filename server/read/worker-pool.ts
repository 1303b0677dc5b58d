import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, type Worker } from 'node:worker_threads';
import { startWorker } from '../threads/start-worker.ts';
import { lowerThreadPriority } from '../threads/thread-priority.ts';

// Pages of work spread over a few worker threads, answers handed back in page order. The
// caller's thread only reads pages and takes answers; the workers do the CPU work. Used by
// reports and backtests (analytics-runs.ts); anything that maps pages to answers in a worker
// fits (rescoring could). Backpressure: at most `inFlight` pages per worker are posted and not
// yet taken, so memory stays flat whatever the store's size, and a slow page holds back
// the others rather than piling answers up behind it. The workers of a run that went well wait
// a minute for the next one (IDLE_MS).

/** What the pool posts to a worker: one `start`, then pages, each with its index. */
export type ToPoolWorker<Start, Page> = { type: 'start'; start: Start; nice: number } | { type: 'page'; index: number; page: Page };
/** What a worker answers: each page's answer with its index, or why it failed. */
export type FromPoolWorker<Answer> = { type: 'answer'; index: number; answer: Answer } | { type: 'error'; message: string };

export type PoolOptions<Start, Page, Answer> = {
  /** The worker's TypeScript entry, which calls servePool (started by threads/start-worker.ts). */
  entry: URL;
  /** Names the work in errors: "report failed: …". */
  name: string;
  start: Start;
  pages: AsyncIterable<Page>;
  /** Each page's answer, in page order, on the caller's thread. */
  take(answer: Answer, page: Page): void;
  /** Worker threads at most (default: poolSize()); they start as pages need them. */
  workers?: number | undefined;
  /** Pages posted to one worker and not yet taken (default 2). */
  inFlight?: number | undefined;
  /** How long the workers of a run that went well wait for the next run of the same entry (default IDLE_MS; 0 stops them). */
  idleMs?: number | undefined;
  /** The workers' nice value (default WORKER_NICE). */
  nice?: number | undefined;
};

/**
 * Pool workers run at a lower priority than the event loop's thread (Linux: each thread has its
 * own nice value): with a worker per core, the event loop would otherwise wait its turn behind
 * them for a core, and a request arriving during a report would wait with it. The workers still
 * get every core nothing else wants.
 */
export const WORKER_NICE = 10;

/**
 * Starting a worker costs about half a CPU-second even from a bundle (Node's start and the
 * modules it loads, threads/worker-bundle.ts; about 1.4 through tsx), as much as judging 5-10k
 * leads: a marketer's report, then a backtest, then another report reuse the same workers.
 * Idle workers do not keep the process alive.
 */
export const IDLE_MS = 60_000;

type IdleWorker = { worker: Worker; timer: NodeJS.Timeout; onExit: () => void };
const idle = new Map<string, IdleWorker[]>();

function takeIdle(entry: URL): Worker | undefined {
  const w = idle.get(entry.href)?.pop();
  if (!w) return undefined;
  clearTimeout(w.timer);
  w.worker.off('exit', w.onExit);
  w.worker.ref();
  return w.worker;
}

function putIdle(script: URL, worker: Worker, idleMs: number): void {
  const list = idle.get(script.href) ?? [];
  idle.set(script.href, list);
  const drop = () => {
    const i = list.indexOf(entry);
    if (i >= 0) list.splice(i, 1);
  };
  const entry: IdleWorker = {
    worker,
    timer: setTimeout(() => {
      drop();
      void worker.terminate();
    }, idleMs),
    // One that dies while idle is simply not there for the next run.
    onExit: drop,
  };
  entry.timer.unref();
  worker.once('exit', entry.onExit);
  worker.unref();
  list.push(entry);
}

/** Workers to use: one per core, at most 4 (a report should not take every core from ingest on a big machine). */
export function poolSize(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

type Slot = { worker: Worker; posted: number; release(): void };

/**
 * Runs every page through the workers and resolves with their thread ids once each answer is
 * taken. Rejects, naming `name`, when a worker reports an error, dies, or `take` throws; the
 * workers are stopped either way.
 */
export async function runPool<Start, Page, Answer>(o: PoolOptions<Start, Page, Answer>): Promise<{ threadIds: number[] }> {
  const maxWorkers = Math.max(1, o.workers ?? poolSize());
  const inFlight = Math.max(1, o.inFlight ?? 2);
  const slots: Slot[] = [];
  /** Pages posted and not yet taken, by index, with the slot that has them. */
  const open = new Map<number, { page: Page; slot: Slot }>();
  /** Answers that came before an earlier page's. */
  const early = new Map<number, Answer>();
  let nextTake = 0;
  let failed: Error | undefined;
  let wake: (() => void) | undefined;
  const fail = (error: Error) => {
    failed ??= error;
    wake?.();
  };
  const takeInOrder = () => {
    while (early.has(nextTake)) {
      const answer = early.get(nextTake)!;
      const { page, slot } = open.get(nextTake)!;
      early.delete(nextTake);
      open.delete(nextTake);
      slot.posted--;
      nextTake++;
      o.take(answer, page);
    }
  };
  const spawn = (): Slot => {
    const worker = takeIdle(o.entry) ?? startWorker(o.entry);
    const onMessage = (m: FromPoolWorker<Answer>) => {
      if (failed) return;
      if (m.type === 'error') return fail(new Error(`${o.name} failed: ${m.message}`));
      if (!open.has(m.index) || early.has(m.index)) return fail(new Error(`${o.name} failed: a worker answered page ${m.index}, which it was not asked for`));
      early.set(m.index, m.answer);
      try {
        takeInOrder();
      } catch (error) {
        return fail(new Error(`${o.name} failed: ${error instanceof Error ? error.message : String(error)}`));
      }
      wake?.();
    };
    const onError = (error: Error) => fail(new Error(`${o.name} failed: ${error.message}`));
    const onExit = (code: number) => fail(new Error(`${o.name} failed: a worker stopped (exit code ${code}) before answering`));
    worker.on('message', onMessage);
    worker.once('error', onError);
    worker.once('exit', onExit);
    const release = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const slot: Slot = { worker, posted: 0, release };
    worker.postMessage({ type: 'start', start: o.start, nice: o.nice ?? WORKER_NICE } satisfies ToPoolWorker<Start, Page>);
    slots.push(slot);
    return slot;
  };
  const waitForChange = () => new Promise<void>((resolve) => (wake = resolve));
  /** The least busy worker with room, a new one when every worker is busy and more are allowed. */
  const pick = (): Slot | undefined => {
    let best: Slot | undefined;
    for (const s of slots) if (s.posted < inFlight && (!best || s.posted < best.posted)) best = s;
    if ((!best || best.posted > 0) && slots.length < maxWorkers) return spawn();
    return best;
  };
  let ok = false;
  try {
    let index = 0;
    for await (const page of o.pages) {
      let slot = failed ? undefined : pick();
      while (!slot && !failed) {
        await waitForChange();
        slot = failed ? undefined : pick();
      }
      if (failed) throw failed;
      open.set(index, { page, slot: slot! });
      slot!.posted++;
      slot!.worker.postMessage({ type: 'page', index, page } satisfies ToPoolWorker<Start, Page>);
      index++;
    }
    while (nextTake < index && !failed) await waitForChange();
    if (failed) throw failed;
    ok = true;
    return { threadIds: slots.map((s) => s.worker.threadId) };
  } finally {
    // Nothing is listened to any more: a worker stopped here is not a failure.
    failed ??= new Error(`${o.name} stopped`);
    const idleMs = o.idleMs ?? IDLE_MS;
    for (const s of slots) {
      s.release();
      // After a failure a worker may be mid-page or broken: never handed to another run.
      if (ok && idleMs > 0) putIdle(o.entry, s.worker, idleMs);
      else void s.worker.terminate();
    }
  }
}

/**
 * The worker's side: `begin` makes the page handler from the start message; each page's answer
 * (or the error, by message) goes back with its index. Call once, in the worker's module.
 */
export function servePool<Start, Page, Answer>(script: string, begin: (start: Start) => (page: Page) => Answer | Promise<Answer>): void {
  if (isMainThread || !parentPort) throw new Error(`${script} runs only as a worker thread`);
  const port = parentPort;
  let handle: ((page: Page) => Answer | Promise<Answer>) | undefined;
  const failed = (error: unknown) => port.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) } satisfies FromPoolWorker<Answer>);
  port.on('message', (m: ToPoolWorker<Start, Page>) => {
    try {
      if (m.type === 'start') {
        lowerThreadPriority(m.nice);
        handle = begin(m.start);
      }
      else if (!handle) throw new Error('a page came before the start');
      else {
        // Answers may go back out of order (a page that waits for a read): the pool puts them in order.
        Promise.resolve(handle(m.page)).then((answer) => port.postMessage({ type: 'answer', index: m.index, answer } satisfies FromPoolWorker<Answer>), failed);
      }
    } catch (error) {
      failed(error);
    }
  });
}
