import { isMainThread, parentPort, threadId } from 'node:worker_threads';
import { trainFromLeads, type TrainingInput } from './training.ts';

// The training worker: one input, one answer. It also says which thread it ran on, so a test
// can check training really left the main thread.

if (isMainThread || !parentPort) throw new Error('server/predictive/worker.ts runs only as a worker thread');
const port = parentPort;
port.once('message', (input: TrainingInput) => {
  try {
    port.postMessage({ result: trainFromLeads(input), threadId });
  } catch (error) {
    port.postMessage({ result: { ok: false, reason: `training failed: ${error instanceof Error ? error.message : String(error)}` }, threadId });
  }
});
