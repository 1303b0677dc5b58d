import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRateLimiter, rateLimitFromEnv } from '../../../server/http/rate-limit.ts';

const T0 = 1_700_000_000_000;

describe('createRateLimiter', () => {
  it('allows a burst of `capacity`, then refuses with the time until the next token', () => {
    const rl = createRateLimiter({ capacity: 3, refillPerSecond: 2 });
    expect(rl.take('a', T0)).toEqual({ ok: true, remaining: 2 });
    expect(rl.take('a', T0)).toEqual({ ok: true, remaining: 1 });
    expect(rl.take('a', T0)).toEqual({ ok: true, remaining: 0 });
    expect(rl.take('a', T0)).toEqual({ ok: false, retryAfterMs: 500 });
    expect(rl.take('a', T0 + 200)).toEqual({ ok: false, retryAfterMs: 300 });
    expect(rl.take('a', T0 + 500)).toEqual({ ok: true, remaining: 0 });
    expect(rl.take('a', T0 + 500)).toEqual({ ok: false, retryAfterMs: 500 });
  });

  it('retrying after retryAfterMs succeeds, and not a millisecond earlier', () => {
    const rl = createRateLimiter({ capacity: 1, refillPerSecond: 3 });
    rl.take('k', T0);
    const r = rl.take('k', T0 + 10);
    // 0.03 tokens at +10 ms; 0.97 more at 3 per second take 323.3 ms.
    expect(r).toEqual({ ok: false, retryAfterMs: 324 });
    expect(rl.take('k', T0 + 10 + 323).ok).toBe(false);
    expect(rl.take('k', T0 + 10 + 324).ok).toBe(true);
  });

  it('keeps keys apart', () => {
    const rl = createRateLimiter({ capacity: 1, refillPerSecond: 1 });
    expect(rl.take('a', T0).ok).toBe(true);
    expect(rl.take('a', T0).ok).toBe(false);
    expect(rl.take('b', T0).ok).toBe(true);
  });

  it('refills no further than capacity', () => {
    const rl = createRateLimiter({ capacity: 2, refillPerSecond: 100 });
    rl.take('a', T0);
    expect(rl.take('a', T0 + 3_600_000)).toEqual({ ok: true, remaining: 1 });
    expect(rl.take('a', T0 + 3_600_000)).toEqual({ ok: true, remaining: 0 });
    expect(rl.take('a', T0 + 3_600_000).ok).toBe(false);
  });

  it('charges a cost, and refuses a cost above capacity outright', () => {
    const rl = createRateLimiter({ capacity: 10, refillPerSecond: 10 });
    expect(rl.take('a', T0, 7)).toEqual({ ok: true, remaining: 3 });
    expect(rl.take('a', T0, 5)).toEqual({ ok: false, retryAfterMs: 200 });
    expect(() => rl.take('a', T0, 11)).toThrow(RangeError);
    expect(() => rl.take('a', T0, 0)).toThrow(RangeError);
  });

  it('does not mint tokens when the clock steps back', () => {
    const rl = createRateLimiter({ capacity: 2, refillPerSecond: 1 });
    rl.take('a', T0 + 10_000);
    rl.take('a', T0 + 10_000);
    expect(rl.take('a', T0).ok).toBe(false);
    expect(rl.take('a', T0 + 5_000).ok).toBe(false);
    expect(rl.take('a', T0 + 11_000).ok).toBe(true);
  });

  it.each([0.3, 1.1, 2.2, 4.4])('loses no token to float error at %s per second', (rate) => {
    const rl = createRateLimiter({ capacity: 2, refillPerSecond: rate });
    let ok = 0;
    // Asked every ms for 10 s: the burst of 2 plus exactly rate × 10, the last due at the final ms.
    for (let t = T0; t <= T0 + 10_000; t++) if (rl.take('a', t).ok) ok++;
    expect(ok).toBe(2 + Math.round(rate * 10));
  });

  it('never allows more than capacity + rate × time (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 200 }),
        (capacity, rate, gaps) => {
          const rl = createRateLimiter({ capacity, refillPerSecond: rate });
          let t = T0;
          let ok = 0;
          for (const g of gaps) {
            t += g;
            if (rl.take('k', t).ok) ok++;
          }
          expect(ok).toBeLessThanOrEqual(capacity + Math.floor(((t - T0) / 1000) * rate + 1e-6));
        },
      ),
    );
  });

  it('drops buckets that have refilled completely, without changing any decision', () => {
    const rl = createRateLimiter({ capacity: 2, refillPerSecond: 1 });
    for (let i = 0; i < 4; i++) rl.take(`k${i}`, T0);
    expect(rl.size()).toBe(4);
    // 2 s later every bucket is full again; new calls sweep the idle ones.
    rl.take('fresh', T0 + 2_000);
    expect(rl.size()).toBe(1);
    // A swept key behaves exactly like a full bucket.
    expect(rl.take('k0', T0 + 2_000)).toEqual({ ok: true, remaining: 1 });
  });

  it('keeps buckets that have not refilled yet', () => {
    const rl = createRateLimiter({ capacity: 2, refillPerSecond: 1 });
    rl.take('a', T0);
    rl.take('b', T0 + 1_000);
    rl.take('c', T0 + 1_999);
    expect(rl.size()).toBe(3);
    rl.take('d', T0 + 2_500); // a is full again (idle 2.5 s); b and c are not
    expect(rl.size()).toBe(3);
      });

  it('caps the number of keys, evicting the least recently used', () => {
    const rl = createRateLimiter({ capacity: 1, refillPerSecond: 0.001, maxKeys: 3 });
    rl.take('a', T0);
    rl.take('b', T0 + 1);
    rl.take('c', T0 + 2);
    rl.take('a', T0 + 3); // a is now the most recent (and still empty)
    rl.take('d', T0 + 4); // evicts b
    expect(rl.size()).toBe(3);
    expect(rl.take('a', T0 + 5).ok).toBe(false);
    expect(rl.take('c', T0 + 5).ok).toBe(false);
    expect(rl.take('b', T0 + 5).ok).toBe(true); // forgotten, so fresh
  });

  it('stays within maxKeys under a flood of distinct keys', () => {
    const rl = createRateLimiter({ capacity: 5, refillPerSecond: 1, maxKeys: 1000 });
    for (let i = 0; i < 50_000; i++) rl.take(`ip-${i}`, T0 + i);
    expect(rl.size()).toBeLessThanOrEqual(1000);
  });

  it('rejects nonsense options', () => {
    expect(() => createRateLimiter({ capacity: 0, refillPerSecond: 1 })).toThrow(RangeError);
    expect(() => createRateLimiter({ capacity: 1, refillPerSecond: -1 })).toThrow(RangeError);
    expect(() => createRateLimiter({ capacity: 1, refillPerSecond: Number.NaN })).toThrow(RangeError);
    expect(() => createRateLimiter({ capacity: 1, refillPerSecond: 1, maxKeys: 0 })).toThrow(RangeError);
  });
});

describe('LEADGLOW_RATE_LIMIT', () => {
  it('turns limits off, sets either limit, and names what it could not read', () => {
    expect(rateLimitFromEnv({})).toBeUndefined();
    expect(rateLimitFromEnv({ LEADGLOW_RATE_LIMIT: 'off' })).toBe(false);
    expect(rateLimitFromEnv({ LEADGLOW_RATE_LIMIT: 'perKey=600/300' })).toEqual({ perKey: { capacity: 600, refillPerSecond: 300 } });
    expect(rateLimitFromEnv({ LEADGLOW_RATE_LIMIT: ' perKey = 600/300 , perAddress=100/33.3' })).toEqual({
      perKey: { capacity: 600, refillPerSecond: 300 },
      perAddress: { capacity: 100, refillPerSecond: 33.3 },
    });
    expect(() => rateLimitFromEnv({ LEADGLOW_RATE_LIMIT: 'perKey=600' })).toThrow(/LEADGLOW_RATE_LIMIT: .*got "perKey=600"/);
    expect(() => rateLimitFromEnv({ LEADGLOW_RATE_LIMIT: 'perKey=0/1' })).toThrow(/perKey=0\/1/);
    expect(() => rateLimitFromEnv({ LEADGLOW_RATE_LIMIT: 'perUser=1/1' })).toThrow(/perUser/);
  });
});
