import { describe, expect, it } from 'vitest';
import { createRegistry } from '../../../server/metrics/registry.ts';

// Counters through the registry: what /metrics shows of them, and what they refuse.

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
