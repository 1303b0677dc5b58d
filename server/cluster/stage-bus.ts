import { EventEmitter } from 'node:events';
import type { OutboxEntry } from '../db/outbox.ts';

/**
 * In-process fan-out of committed stage changes to this instance's SSE streams. Fed only by
 * the outbox feed (`outbox.ts`), so a stream sees changes made through any instance, each once
 * and in outbox order.
 */
export class StageBus {
  private emitter = new EventEmitter();
  constructor() {
    this.emitter.setMaxListeners(0);
  }
  publish(entry: OutboxEntry): void {
    this.emitter.emit('stage', entry);
  }
  subscribe(fn: (entry: OutboxEntry) => void): () => void {
    this.emitter.on('stage', fn);
    return () => this.emitter.off('stage', fn);
  }
  get listeners(): number {
    return this.emitter.listenerCount('stage');
  }
}
