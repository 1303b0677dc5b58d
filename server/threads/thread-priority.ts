import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

// A worker thread's nice value, so the event loop goes first. On Linux each thread has its own
// nice value: a pool with a worker per core would otherwise keep the event loop (ingest, lookups,
// the writer jobs that commit what the workers compute) waiting its turn for a core. The workers
// still get every core nothing else wants. Used by the report workers (read/worker-pool.ts) and
// the rescore workers (scoring/rescore-worker.ts).

/** Sets the calling thread's nice value, where the system has one per thread (Linux); elsewhere, or when refused, the thread runs as it is. */
export function lowerThreadPriority(nice: number): void {
  try {
    // On Linux a thread id is what setpriority takes for one thread; /proc/thread-self names it.
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, nice);
  } catch {
    // No /proc (macOS, Windows) or not allowed: the same work at the same priority.
  }
}
