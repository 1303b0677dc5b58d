import { describe, expect, it } from 'vitest';
import { createRegistry, escapeHelp, escapeLabelValue, formatNumber } from '../../../server/metrics/prometheus.ts';

describe('counter', () => {
  it('renders HELP, TYPE and 0 before first use, then the running total', () => {
    const r = createRegistry();
    const c = r.counter({ name: 'lg_events_total', help: 'Events stored.' });
    expect(r.render()).toBe('# HELP lg_events_total Events stored.\n# TYPE lg_events_total counter\nlg_events_total 0\n');
    c.inc();
    c.inc(undefined, 2.5);
    expect(c.get()).toBe(3.5);
    expect(r.render()).toContain('\nlg_events_total 3.5\n');
  });

  it('keeps one series per label set, labels in declared order', () => {
    const r = createRegistry();
    const c = r.counter({ name: 'http_requests_total', help: 'Requests.', labelNames: ['route', 'status'] });
    c.inc({ status: 200, route: '/v1/events' });
    c.inc({ route: '/v1/events', status: '200' });
    c.inc({ route: '/v1/leads', status: 404 });
    expect(c.get({ route: '/v1/events', status: 200 })).toBe(2);
    expect(c.get({ route: '/nope', status: 200 })).toBe(0);
    expect(r.render()).toBe(
      [
        '# HELP http_requests_total Requests.',
        '# TYPE http_requests_total counter',
        'http_requests_total{route="/v1/events",status="200"} 2',
        'http_requests_total{route="/v1/leads",status="404"} 1',
        '',
      ].join('\n'),
    );
  });

  it('refuses to go down, and refuses missing or unknown labels', () => {
    const r = createRegistry();
    const c = r.counter({ name: 'x_total', help: 'x', labelNames: ['a'] });
    expect(() => c.inc({ a: '1' }, -1)).toThrow(/only goes up/);
    expect(() => c.inc({ a: '1' }, Number.NaN)).toThrow(/only goes up/);
    expect(() => c.inc()).toThrow(/missing label "a"/);
    expect(() => c.inc({ a: '1', b: '2' })).toThrow(/unknown label "b"/);
    // A labelled metric shows nothing until used: there is no sensible default label set.
    expect(r.render()).toBe('# HELP x_total x\n# TYPE x_total counter\n');
  });
});

describe('gauge', () => {
  it('sets, increments and decrements', () => {
    const r = createRegistry();
    const g = r.gauge({ name: 'queue_depth', help: 'Queued.', labelNames: ['queue'] });
    g.set(5, { queue: 'rescore' });
    g.inc({ queue: 'rescore' });
    g.dec({ queue: 'rescore' }, 3);
    g.dec({ queue: 'webhooks' });
    expect(g.get({ queue: 'rescore' })).toBe(3);
    expect(r.render()).toContain('queue_depth{queue="rescore"} 3\nqueue_depth{queue="webhooks"} -1\n');
    expect(r.render()).toContain('# TYPE queue_depth gauge\n');
  });

  it('runs collect callbacks at render time, and survives one that throws', () => {
    const r = createRegistry();
    let leads = 10;
    r.gauge({ name: 'leads', help: 'Leads.', collect: (g) => g.set(leads) });
    r.gauge({
      name: 'broken',
      help: 'Broken.',
      collect: () => {
        throw new Error('db down');
      },
    });
    expect(r.render()).toContain('\nleads 10\n');
    leads = 12;
    const text = r.render();
    expect(text).toContain('\nleads 12\n');
    expect(text).toContain('\nbroken 0\n');
  });
});

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

describe('escaping and validation', () => {
  it('escapes label values: backslash, quote, newline', () => {
    const r = createRegistry();
    const c = r.counter({ name: 'c_total', help: 'c', labelNames: ['path'] });
    c.inc({ path: 'C:\\dir\n"quoted"' });
    expect(r.render()).toContain('c_total{path="C:\\\\dir\\n\\"quoted\\""} 1\n');
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
  });

  it('escapes HELP text: backslash and newline, not quotes', () => {
    const r = createRegistry();
    r.counter({ name: 'h_total', help: 'Line one\nline "two" \\ done' });
    expect(r.render().split('\n')[0]).toBe('# HELP h_total Line one\\nline "two" \\\\ done');
    expect(escapeHelp('"')).toBe('"');
  });

  it('formats special numbers as Prometheus expects', () => {
    expect(formatNumber(Infinity)).toBe('+Inf');
    expect(formatNumber(-Infinity)).toBe('-Inf');
    expect(formatNumber(Number.NaN)).toBe('NaN');
    expect(formatNumber(1e21)).toBe('1e+21');
    const r = createRegistry();
    r.gauge({ name: 'g', help: 'g' }).set(-Infinity);
    expect(r.render()).toContain('\ng -Inf\n');
  });

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
