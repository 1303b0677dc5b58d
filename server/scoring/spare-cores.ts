import { availableParallelism, cpus } from 'node:os';

// Whether this machine has a core to spare for the rescore's workers right now. A one-minute load
// average answers for the last minute: after a busy stretch it still says "busy" long after the
// machine went quiet (the full bench's earlier phases made a publish right after them score on
// one thread), and it counts this process's own workers as someone else's load. Instead, the
// machine's busy time over the last second (os.cpus() deltas) less this process's own CPU time
// over the same second (process.cpuUsage, every thread) gives what the rest of the machine uses;
// what is left is free for us. Asked before each chunk, so a job moves to its workers when the
// machine goes quiet and back to one thread when something else starts.

/** One reading: the machine's CPUs, their busy time and this process's CPU time, in ms, at `at` (ms). */
export type CpuSample = { at: number; cpus: number; busyMs: number; ownMs: number };

/** The machine's busy time (all CPUs, everything but idle and iowait) and this process's CPU time, now. */
export function cpuSample(): CpuSample {
  const all = cpus();
  let busyMs = 0;
  for (const { times } of all) busyMs += times.user + times.nice + times.sys + times.irq;
  const own = process.cpuUsage();
  return { at: performance.now(), cpus: all.length, busyMs, ownMs: (own.user + own.system) / 1000 };
}

/**
 * The cores free for this process between two samples: the machine's CPUs less what other
 * processes kept busy (the machine's busy time less ours, over the elapsed time), at most the
 * `cores` this process may use (in a container, os.cpus() lists the host's CPUs and their
 * times, availableParallelism() what the process is given). Never below 0 (the two clocks tick
 * at different grains).
 */
export function freeCores(before: CpuSample, after: CpuSample, cores: number): number {
  const elapsed = after.at - before.at;
  if (elapsed <= 0) return cores;
  const others = (after.busyMs - before.busyMs - (after.ownMs - before.ownMs)) / elapsed;
  return Math.min(cores, Math.max(0, after.cpus - others));
}

/** Samples at least this far apart: the kernel's CPU times tick every 10 ms, so a second is 100 ticks a core. */
export const WINDOW_MS = 1_000;

/**
 * Workers pay off when, besides the event loop's core, at least half a core is free for them:
 * the pipeline spends about a third more CPU than scoring in the writer job (copies to and from
 * the workers, the second read in the job), which is waste when they only take turns with the
 * event loop on one core.
 */
export const FREE_FOR_WORKERS = 1.5;

export type SpareCores = {
  /** Whether workers would run beside the event loop now; undefined until a full window has passed. */
  now(): boolean | undefined;
};

/**
 * Answers from the last full window: a new sample once WINDOW_MS has passed since the last one,
 * and the answer of that window until the next. `sample` and `cores` are for tests.
 */
export function watchSpareCores(sample: () => CpuSample = cpuSample, cores: number = availableParallelism()): SpareCores {
  let last = sample();
  let answer: boolean | undefined;
  return {
    now() {
      if (cores < 2) return false;
      const next = sample();
      if (next.at - last.at < WINDOW_MS) return answer;
      answer = freeCores(last, next, cores) >= FREE_FOR_WORKERS;
      last = next;
      return answer;
    },
  };
}
