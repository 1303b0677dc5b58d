import { startWorker } from '../threads/start-worker.ts';
import type { RawLead, TrainingInput, TrainingResult } from './training.ts';
import type { ToWorker } from './worker.ts';

// Runs one training in a worker thread, so cross-validation never holds the event loop that
// ingest and the lead API run on. Leads are posted in chunks as they are read, so no single
// message copies the whole training set on the main thread.

export type WorkerAnswer = TrainingResult & { threadId: number };

export type TrainingWorker = {
  /** Adds leads to the run's data. */
  send(leads: RawLead[]): void;
  /** Starts training on everything sent; resolves with the answer. */
  train(input: Omit<TrainingInput, 'leads'>): Promise<WorkerAnswer>;
  terminate(): Promise<void>;
};

const ENTRY = new URL('./worker.ts', import.meta.url);

export function startTrainingWorker(): TrainingWorker {
  const worker = startWorker(ENTRY);
  let settled = false;
  const answer = new Promise<WorkerAnswer>((resolve, reject) => {
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
  // Until someone awaits train(), an early failure must not count as unhandled.
  answer.catch(() => undefined);
  const post = (m: ToWorker) => worker.postMessage(m);
  return {
    send: (leads) => post({ type: 'leads', leads }),
    train(input) {
      post({ type: 'train', input });
      return answer;
    },
    async terminate() {
      await worker.terminate();
    },
  };
}

/** One training with all its leads at hand (tests, small runs). */
export function trainInWorker(input: TrainingInput): Promise<WorkerAnswer> {
  const worker = startTrainingWorker();
  const { leads, ...rest } = input;
  for (let i = 0; i < leads.length; i += 200) worker.send(leads.slice(i, i + 200));
  return worker.train(rest);
}
