import { describe, expect, it } from 'vitest';
import { createRegistry } from '../../../server/metrics/registry.ts';

// Histograms through the registry: cumulative buckets, sum, count, timers and bucket checks.

describe('histogram', () => {
  it('renders cumulative buckets, +Inf, sum and count', () => {
    const r = createRegistry();
    const h = r.histogram({ name: 'lookup_seconds', help: 'Lead lookup time.', buckets: [0.001, 0.005, 0.01] });
    for (const v of [0.0005, 0.001, 0.003, 0.02, 0.5]) h.observe(v);
    expect(r.render()).toBe(
      [
        '# HELP lookup_seconds Lead lookup time.',
        '# TYPE lookup_seconds histogram',
        'lookup_seconds_bucket{le="0.001"} 2',
        'lookup_seconds_bucket{le="0.005"} 3',
        'lookup_seconds_bucket{le="0.01"} 3',
        'lookup_seconds_bucket{le="+Inf"} 5',
        'lookup_seconds_sum 0.5245',
        'lookup_seconds_count 5',
        '',
      ].join('\n'),
    );
  });

  it('puts le after the other labels and keeps label sets apart', () => {
    const r = createRegistry();
    const h = r.histogram({ name: 'req_seconds', help: 'h', labelNames: ['route'], buckets: [1] });
    h.observe(0.5, { route: 'a' });
    h.observe(2, { route: 'b' });
    const text = r.render();
    expect(text).toContain('req_seconds_bucket{route="a",le="1"} 1\nreq_seconds_bucket{route="a",le="+Inf"} 1\nreq_seconds_sum{route="a"} 0.5\nreq_seconds_count{route="a"} 1\n');
    expect(text).toContain('req_seconds_bucket{route="b",le="1"} 0\nreq_seconds_bucket{route="b",le="+Inf"} 1\n');
  });

  it('ignores NaN observations, times with an injected clock, and uses the default buckets', () => {
    let t = 1000;
    const r = createRegistry({ now: () => t });
    const h = r.histogram({ name: 'op_seconds', help: 'h' });
    h.observe(Number.NaN);
    const stop = h.startTimer();
    t += 30;
    expect(stop()).toBeCloseTo(0.03);
    const text = r.render();
    expect(text).toContain('op_seconds_bucket{le="0.025"} 0\nop_seconds_bucket{le="0.05"} 1\n');
    expect(text).toContain('op_seconds_bucket{le="10"} 1\n');
    expect(text).toContain('op_seconds_count 1\n');
  });

  it('refuses bad buckets and the reserved label le', () => {
    const r = createRegistry();
    expect(() => r.histogram({ name: 'a', help: 'h', buckets: [1, 1] })).toThrow(/increasing/);
    expect(() => r.histogram({ name: 'b', help: 'h', buckets: [2, 1] })).toThrow(/increasing/);
    expect(() => r.histogram({ name: 'c', help: 'h', buckets: [] })).toThrow(/increasing/);
    expect(() => r.histogram({ name: 'd', help: 'h', buckets: [1, Infinity] })).toThrow(/finite/);
    expect(() => r.histogram({ name: 'e', help: 'h', labelNames: ['le'] })).toThrow(/label name "le"/);
  });
});
