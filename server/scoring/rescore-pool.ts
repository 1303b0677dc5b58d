import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { Model } from '../../shared/contracts/model.ts';
import { startWorker } from '../threads/start-worker.ts';
import { rescoreMany, type RescoreInput, type RescoreOutput } from './rescore-compute.ts';

// Worker threads that score the background rescore's chunks (rescore-worker.ts), so the event
// loop that ingest and the lead API run on only does the queries. A pool lives for one round of
// the rescorer (a publish's job) and is closed after it: idle servers keep no threads.

/**
 * A chunk to score. `models` travels only when they are not the array this worker last got
 * (deps.models() answers the same array until the live models change): a worker keeps the models
 * it was sent, so the engine's compiled model and its URL facts (kept per model object) live
 * across chunks. Sent with every chunk, the models were cloned and compiled again per chunk, and
 * the worker path cost 16.6 CPU-s per 100k leads against 9.5-11.6 scoring inline (now 12.7).
 */
export type ToRescoreWorker = { id: number; inputs: RescoreInput[]; models?: readonly Model[]; now: number };
export type FromRescoreWorker = { id: number; outputs: RescoreOutput[]; error?: undefined } | { id: number; error: string; outputs?: undefined };

export type RescorePool = {
  /** Workers in the pool; 0 scores inline on this thread. */
  readonly size: number;
  run(inputs: RescoreInput[], models: readonly Model[], now: number): Promise<RescoreOutput[]>;
  close(): Promise<void>;
};

/** The workers' nice value: they yield to the event loop, whose writer jobs commit their chunks (threads/thread-priority.ts). */
export const RESCORE_WORKER_NICE = 10;

/** Most workers a pool starts: each is a core that folds; beyond 4 the writer is the limit anyway. */
const MAX_WORKERS = 4;

/** One worker per core, at most MAX_WORKERS: the main thread's SQL is a small share of a core. */
export function defaultWorkers(): number {
  return Math.max(1, Math.min(availableParallelism(), MAX_WORKERS));
}

const ENTRY = new URL('./rescore-worker.ts', import.meta.url);

type Slot = { worker: Worker; busy: boolean; models: readonly Model[] | undefined };
type Pending = { message: ToRescoreWorker & { models: readonly Model[] }; resolve(o: RescoreOutput[]): void; reject(e: Error): void };

export function startRescorePool(size: number = defaultWorkers()): RescorePool {
  if (size <= 0) {
    return { size: 0, run: async (inputs, models, now) => rescoreMany(inputs, models, now), close: async () => undefined };
  }
  const slots: Slot[] = [];
  const queue: Pending[] = [];
  const inFlight = new Map<number, { slot: Slot; pending: Pending }>();
  let nextId = 0;
  let failed: Error | undefined;
  let closed = false;

  const fail = (error: Error) => {
    failed ??= error;
    for (const { pending } of inFlight.values()) pending.reject(failed);
    inFlight.clear();
    for (const p of queue.splice(0)) p.reject(failed);
  };

  const spawn = (): Slot => {
    const slot: Slot = { worker: startWorker(ENTRY), busy: false, models: undefined };
    slot.worker.on('message', (m: FromRescoreWorker) => {
      const entry = inFlight.get(m.id);
      if (!entry) return;
      inFlight.delete(m.id);
      slot.busy = false;
      if (m.error !== undefined) entry.pending.reject(new Error(`rescoring a chunk failed: ${m.error}`));
      else entry.pending.resolve(m.outputs);
      dispatch();
    });
    slot.worker.once('error', (error) => fail(error));
    slot.worker.once('exit', (code) => {
      if (!closed) fail(new Error(`a rescore worker stopped (exit code ${code})`));
    });
    slots.push(slot);
    return slot;
  };

  const dispatch = () => {
    while (queue.length > 0 && !failed) {
      const slot = slots.find((s) => !s.busy) ?? (slots.length < size ? spawn() : undefined);
      if (!slot) return;
      const pending = queue.shift()!;
      slot.busy = true;
      inFlight.set(pending.message.id, { slot, pending });
      const { models, ...chunk } = pending.message;
      if (models === slot.models) slot.worker.postMessage(chunk);
      else {
        slot.models = models;
        slot.worker.postMessage(pending.message);
      }
    }
  };

  return {
    size,
    run(inputs, models, now) {
      if (failed) return Promise.reject(failed);
      if (closed) return Promise.reject(new Error('the rescore pool is closed'));
      return new Promise<RescoreOutput[]>((resolve, reject) => {
        queue.push({ message: { id: nextId++, inputs, models, now }, resolve, reject });
        dispatch();
      });
    },
    async close() {
      closed = true;
      fail(new Error('the rescore pool is closed'));
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
