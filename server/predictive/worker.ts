import { isMainThread, parentPort, threadId } from 'node:worker_threads';
import { trainFromLeads, type RawLead, type TrainingInput } from './training.ts';

// The training worker: leads arrive in chunks, then one `train` message starts the run; the
// answer says which thread ran it, so a test can check training really left the main thread.

export type ToWorker = { type: 'leads'; leads: RawLead[] } | { type: 'train'; input: Omit<TrainingInput, 'leads'> };

if (isMainThread || !parentPort) throw new Error('server/predictive/worker.ts runs only as a worker thread');
const port = parentPort;
const leads: RawLead[] = [];
port.on('message', (m: ToWorker) => {
  if (m.type === 'leads') {
    for (const l of m.leads) leads.push(l);
    return;
  }
  try {
    port.postMessage({ result: trainFromLeads({ ...m.input, leads }), threadId });
  } catch (error) {
    port.postMessage({ result: { ok: false, why: { kind: 'failed', message: error instanceof Error ? error.message : String(error) } }, threadId });
  }
});
