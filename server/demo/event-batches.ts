import { type Event, LIMITS } from '../../shared/contracts/event.ts';

/** Room for the envelope (`{"events":[…],"sentAt":…}`) under the collector's body limit. */
const BATCH_BYTES = LIMITS.batchBytes - 9_536;

/** Batches of at most LIMITS.batchEvents events and well under the body limit, in order. */
export function* eventBatches(events: readonly Event[]): Generator<Event[]> {
  let batch: Event[] = [];
  let bytes = 0;
  for (const e of events) {
    // Bytes, not UTF-16 units: names such as Müller are longer on the wire than in a string.
    const size = Buffer.byteLength(JSON.stringify(e)) + 1;
    if (batch.length === LIMITS.batchEvents || bytes + size > BATCH_BYTES) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(e);
    bytes += size;
  }
  if (batch.length) yield batch;
}
