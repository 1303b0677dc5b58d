import { describe, expect, it } from 'vitest';
import { resolveDemoOptions } from '../../../server/demo/demo-options.ts';
import { generateDemo } from '../../../server/demo/generate-demo.ts';

// The demo's options: the defaults npm start relies on, and a clear refusal, naming the
// option, of a choice that would make a history quietly wrong (stories clamped to its first
// moment, NaN times, URLs without an origin).

const NOW = Date.UTC(2025, 5, 1, 12);

describe('resolveDemoOptions', () => {
  it('fills in the defaults and whole milliseconds, and drops a trailing slash from the origin', () => {
    expect(resolveDemoOptions({ now: NOW + 0.6 })).toEqual({ seed: 1, leads: 300, anonymous: 120, days: 90, now: NOW, origin: 'http://127.0.0.1:8788', site: 'demo' });
    expect(resolveDemoOptions({ now: NOW, leads: 25, origin: 'https://demo.example.se//' })).toMatchObject({ anonymous: 10, origin: 'https://demo.example.se' });
  });

  it.each([
    [{ now: Number.NaN }, /^demo option now: /],
    [{ now: NOW, seed: 1.5 }, /^demo option seed: expected an integer, got 1.5/],
    [{ now: NOW, leads: -1 }, /^demo option leads: expected a whole number from 0 to 100000, got -1/],
    [{ now: NOW, leads: 10.5 }, /^demo option leads: /],
    [{ now: NOW, anonymous: 1e9 }, /^demo option anonymous: /],
    [{ now: NOW, days: 30 }, /^demo option days: expected a whole number from 62 to 3650, got 30/],
    [{ now: NOW, days: Number.POSITIVE_INFINITY }, /^demo option days: /],
    [{ now: NOW, origin: 'javascript:alert(1)' }, /^demo option origin: .*"javascript:alert\(1\)"/],
    [{ now: NOW, origin: 'https://demo.example.nl/pricing' }, /^demo option origin: /],
    [{ now: NOW, site: '' }, /^demo option site: expected 1 to 64 characters/],
    [{ now: NOW, site: 'x'.repeat(65) }, /^demo option site: /],
  ])('refuses %o, naming the option', (options, message) => {
    expect(() => resolveDemoOptions(options)).toThrow(message);
    expect(() => generateDemo(options)).toThrow(RangeError);
  });

  it('accepts the shortest history every story fits in: none clamped to its first moment', () => {
    const d = generateDemo({ now: NOW, days: 62, leads: 200 });
    expect(d.events.length).toBeGreaterThan(1000);
    // Times before the history are clamped to its start; a story that did not fit would pile up there.
    expect(d.events.filter((e) => e.ts === NOW - 62 * 86_400_000)).toEqual([]);
  });
});
