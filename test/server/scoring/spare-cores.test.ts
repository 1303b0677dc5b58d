import { describe, expect, it } from 'vitest';
import { cpuSample, freeCores, watchSpareCores, WINDOW_MS, type CpuSample } from '../../../server/scoring/spare-cores.ts';

describe('free cores between two samples', () => {
  const at = (ms: number, busyMs: number, ownMs: number, cpus = 2): CpuSample => ({ at: ms, cpus, busyMs, ownMs });

  it('counts only what other processes kept busy', () => {
    // Over a second the machine was busy 1.5 core-seconds, 1.2 of them ours: others used 0.3 of a core.
    expect(freeCores(at(0, 0, 0), at(1_000, 1_500, 1_200), 2)).toBeCloseTo(1.7, 9);
    // Another process kept a core busy the whole second: one core is left.
    expect(freeCores(at(0, 0, 0), at(1_000, 1_000, 0), 2)).toBeCloseTo(1, 9);
  });

  it('stays within 0 and the machine\u2019s cores when the clocks disagree', () => {
    expect(freeCores(at(0, 0, 0), at(1_000, 0, 300), 2)).toBe(2);
    expect(freeCores(at(0, 0, 0), at(1_000, 5_000, 0), 2)).toBe(0);
    expect(freeCores(at(5, 0, 0), at(5, 100, 0), 4)).toBe(4);
  });

  it('counts the host\u2019s CPUs in a container, and gives at most the cores this process may use', () => {
    // 64 host CPUs, 40 of them busy with others: plenty free, but the process is given 2.
    expect(freeCores(at(0, 0, 0, 64), at(1_000, 40_000, 0, 64), 2)).toBe(2);
    // 63.5 of 64 busy with others: half a core free.
    expect(freeCores(at(0, 0, 0, 64), at(1_000, 63_500, 0, 64), 2)).toBeCloseTo(0.5, 9);
  });
});

describe('watching for a spare core', () => {
  /** A machine whose other processes keep `others` cores busy, read through a clock the test moves. */
  const fakeMachine = () => {
    const m = { now: 0, busyMs: 0, ownMs: 0, others: 0 };
    const advance = (ms: number, ownCores: number) => {
      m.now += ms;
      m.busyMs += ms * (m.others + ownCores);
      m.ownMs += ms * ownCores;
    };
    return { m, advance, sample: (): CpuSample => ({ at: m.now, cpus: 2, busyMs: m.busyMs, ownMs: m.ownMs }) };
  };

  it('answers nothing before a full window, then from the last window; our own workers are not someone else\u2019s load', () => {
    const { m, advance, sample } = fakeMachine();
    const spare = watchSpareCores(sample, 2);
    advance(WINDOW_MS / 2, 0.2);
    expect(spare.now()).toBeUndefined();
    advance(WINDOW_MS / 2, 0.2);
    expect(spare.now()).toBe(true);
    // Our event loop and two workers fill both cores: still nobody else's load.
    advance(WINDOW_MS, 2);
    expect(spare.now()).toBe(true);
    // Another process takes a core: one thread is the cheaper way.
    m.others = 1;
    advance(WINDOW_MS / 2, 1);
    expect(spare.now()).toBe(true); // the window that ended before it
    advance(WINDOW_MS / 2, 1);
    expect(spare.now()).toBe(false);
    // It stops: the next window says so (a load average would for a minute still say busy).
    m.others = 0;
    advance(WINDOW_MS, 1);
    expect(spare.now()).toBe(true);
  });

  it('never on a single core', () => {
    const { advance, sample } = fakeMachine();
    const spare = watchSpareCores(sample, 1);
    advance(WINDOW_MS * 2, 0);
    expect(spare.now()).toBe(false);
  });

  it('reads this machine: our own busy loop shows as our time, not as others\u2019 load', () => {
    const before = cpuSample();
    const until = performance.now() + 300;
    let x = 0;
    while (performance.now() < until) x += Math.sqrt(x + 1);
    const after = cpuSample();
    expect(x).toBeGreaterThan(0);
    expect(after.ownMs - before.ownMs).toBeGreaterThan(0);
    expect(after.busyMs).toBeGreaterThanOrEqual(before.busyMs);
    expect(after.cpus).toBeGreaterThan(0);
    const free = freeCores(before, after, 64);
    expect(free).toBeGreaterThanOrEqual(0);
    expect(free).toBeLessThanOrEqual(after.cpus);
  });
});
