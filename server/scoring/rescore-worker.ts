import { isMainThread, parentPort } from 'node:worker_threads';
import type { Model } from '../../shared/contracts/model.ts';
import { lowerThreadPriority } from '../threads/thread-priority.ts';
import { rescoreMany } from './rescore-compute.ts';
import { RESCORE_WORKER_NICE, type FromRescoreWorker, type ToRescoreWorker } from './rescore-pool.ts';

// A rescore worker: the main thread reads a chunk of leads (rows, packed summaries, stored
// stages) and posts them as read; here they are unpacked, folded and scored (most of a
// rescore's CPU), and the rows to write come back. The writer job on the main thread only
// checks that nothing changed meanwhile and writes them.

if (isMainThread || !parentPort) throw new Error('server/scoring/rescore-worker.ts runs only as a worker thread');
const port = parentPort;
// Below the event loop, which commits what this computes (and serves ingest and lookups meanwhile).
lowerThreadPriority(RESCORE_WORKER_NICE);

/** The models last sent, kept for the chunks that come without them (rescore-pool.ts). */
let models: readonly Model[] | undefined;

port.on('message', (m: ToRescoreWorker) => {
  let answer: FromRescoreWorker;
  try {
    if (m.models !== undefined) models = m.models;
    if (!models) throw new Error('a chunk came before the models');
    answer = { id: m.id, outputs: rescoreMany(m.inputs, models, m.now) };
  } catch (error) {
    answer = { id: m.id, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(answer);
});
