import { Worker } from 'node:worker_threads';
import type { TrainingInput, TrainingResult } from './training.ts';

// Runs one training in a worker thread, so cross-validation never holds the event loop that
// ingest and the lead API run on.

export type WorkerRun = { done: Promise<TrainingResult & { threadId: number }>; terminate(): Promise<void> };

const BOOTSTRAP = new URL('./worker.mjs', import.meta.url);

export function trainInWorker(input: TrainingInput): WorkerRun {
  const worker = new Worker(BOOTSTRAP, { execArgv: [] });
  let settled = false;
  const done = new Promise<TrainingResult & { threadId: number }>((resolve, reject) => {
    worker.once('message', (m: { result: TrainingResult; threadId: number }) => {
      settled = true;
      resolve({ ...m.result, threadId: m.threadId });
      void worker.terminate();
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`training worker stopped (exit code ${code}) before answering`));
    });
  });
  worker.postMessage(input);
  return {
    done,
    async terminate() {
      await worker.terminate();
    },
  };
}
