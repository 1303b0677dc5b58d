import type { Writer } from '../db/writer.ts';
import { enqueueRescore, type Rescorer } from './rescore.ts';

/**
 * Rescores every lead under the live models, in the background (rescore.ts): a job any
 * instance works through in chunks between ingest jobs, resumable after a crash; progress at
 * GET /v1/rescoring. Called after every publish and rollback.
 */
export async function rescoreAll(deps: { writer: Pick<Writer<unknown, unknown>, 'run'>; rescorer: Pick<Rescorer, 'wake'>; now(): number }): Promise<void> {
  await deps.writer.run((trx) => enqueueRescore(trx, deps.now()));
  deps.rescorer.wake();
}
