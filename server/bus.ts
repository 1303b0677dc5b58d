import { EventEmitter } from 'node:events';
import type { StageChange } from '../shared/contracts/api.ts';

/** In-process fan-out of stage changes to SSE streams and webhooks, after they committed. */
export class StageBus {
  private emitter = new EventEmitter();
  constructor() {
    this.emitter.setMaxListeners(0);
  }
  publish(change: StageChange): void {
    this.emitter.emit('stage', change);
  }
  subscribe(fn: (change: StageChange) => void): () => void {
    this.emitter.on('stage', fn);
    return () => this.emitter.off('stage', fn);
  }
  get listeners(): number {
    return this.emitter.listenerCount('stage');
  }
}
