import { describe, expect, it } from 'vitest';
import { createRegistry } from '../../../server/metrics/registry.ts';

// Gauges through the registry, including collect callbacks run at render time.

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
