import { describe, expect, it } from 'vitest';
import { createRegistry } from '../../../server/metrics/registry.ts';

// The registry itself: names it refuses or finds clashing, the per-metric series cap, and a
// whole exposition that is well-formed line by line.

describe('names, limits and the whole exposition', () => {
  it('refuses invalid or clashing names', () => {
    const r = createRegistry();
    expect(() => r.counter({ name: '1abc', help: 'x' })).toThrow(/metric name/);
    expect(() => r.counter({ name: 'a-b', help: 'x' })).toThrow(/metric name/);
    expect(() => r.counter({ name: 'ok', help: 'x', labelNames: ['__x'] })).toThrow(/label name/);
    expect(() => r.counter({ name: 'ok2', help: 'x', labelNames: ['a-b'] })).toThrow(/label name/);
    expect(() => r.counter({ name: 'ok3', help: 'x', labelNames: ['a', 'a'] })).toThrow(/repeated/);
    r.counter({ name: 'dup', help: 'x' });
    expect(() => r.gauge({ name: 'dup', help: 'x' })).toThrow(/clashes/);
    r.histogram({ name: 'lat', help: 'x' });
    expect(() => r.counter({ name: 'lat_count', help: 'x' })).toThrow(/clashes/);
    r.counter({ name: 'q_sum', help: 'x' });
    expect(() => r.histogram({ name: 'q', help: 'x' })).toThrow(/clashes/);
  });

  it('caps series per metric and reports what it dropped', () => {
    const r = createRegistry();
    const c = r.counter({ name: 'by_url_total', help: 'x', labelNames: ['url'], maxSeries: 2 });
    c.inc({ url: 'a' });
    c.inc({ url: 'b' });
    c.inc({ url: 'c' });
    c.inc({ url: 'a' });
    const text = r.render();
    expect(text).toContain('by_url_total{url="a"} 2\nby_url_total{url="b"} 1\n');
    expect(text).not.toContain('url="c"');
    expect(text).toContain('# TYPE leadglow_metrics_dropped_series_total counter\nleadglow_metrics_dropped_series_total 1\n');
  });

  it('renders nothing for an empty registry, and every line of a full one is well-formed', () => {
    expect(createRegistry().render()).toBe('');
    const r = createRegistry();
    r.counter({ name: 'a_total', help: 'a', labelNames: ['x'] }).inc({ x: 'v"\n' });
    r.gauge({ name: 'b', help: 'b' }).set(1.5);
    r.histogram({ name: 'c', help: 'c', buckets: [0.1, 1] }).observe(0.2);
    const line = /^(# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*|[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\.)*",?)*\})? (-?[0-9.e+]+|[+-]Inf|NaN))$/;
    const lines = r.render().trimEnd().split('\n');
    expect(lines.length).toBe(13);
    for (const l of lines) expect(l).toMatch(line);
  });
});
