import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DAY_MS, decayFactor, decayed } from '../../../shared/scoring/decay.ts';

describe('decay', () => {
  it('halves a value after exactly one half-life, and quarters it after two', () => {
    const h = 30 * DAY_MS;
    expect(decayed(80, 0, h, h)).toBe(40);
    expect(decayed(80, 0, 2 * h, h)).toBe(20);
    expect(decayFactor(0, h)).toBe(1);
  });

  it('fades monotonically and never changes sign', () => {
    fc.assert(
      fc.property(fc.double({ min: -1000, max: 1000, noNaN: true }), fc.integer({ min: 0, max: 400 * DAY_MS }), fc.integer({ min: 1, max: 400 * DAY_MS }), (v, t, dt) => {
        const h = 30 * DAY_MS;
        const a = decayed(v, 0, t, h);
        const b = decayed(v, 0, t + dt, h);
        expect(Math.abs(b)).toBeLessThanOrEqual(Math.abs(a));
        if (v !== 0 && a !== 0) expect(Math.sign(a)).toBe(Math.sign(v));
      }),
    );
  });

  it('composes: decaying in two steps equals decaying once', () => {
    const h = 7 * DAY_MS;
    const once = decayed(50, 0, 10 * DAY_MS, h);
    const twice = decayed(decayed(50, 0, 4 * DAY_MS, h), 4 * DAY_MS, 10 * DAY_MS, h);
    expect(twice).toBeCloseTo(once, 12);
  });
});
