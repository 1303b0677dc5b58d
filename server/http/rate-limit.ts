// Token buckets per key (a site key, a token, a hashed client address). Time is a parameter,
// so the limiter is deterministic in tests and costs no timers in production.
//
// Memory stays bounded two ways. A bucket left alone long enough to refill completely is
// indistinguishable from a new one, so dropping it changes no decision; those are swept as
// calls come in. And a hard cap on keys evicts the least recently used bucket, which only
// matters under a flood of distinct keys (where forgetting the quietest key is the best
// we can do).

export type RateLimitOptions = {
  /** Burst size: how many requests a fresh key may make at once. */
  capacity: number;
  /** Sustained rate, tokens per second. */
  refillPerSecond: number;
  /** Most keys kept at once. */
  maxKeys?: number;
};

export type TakeResult = { ok: true; remaining: number } | { ok: false; retryAfterMs: number };

export type RateLimiter = {
  take(key: string, now: number, cost?: number): TakeResult;
  /** Keys currently held; for metrics and tests. */
  size(): number;
};

type Bucket = { tokens: number; at: number };

/** Buckets checked for idleness per call: bounded work per call, and enough to keep up. */
const SWEEP_PER_CALL = 4;

export function createRateLimiter(opts: RateLimitOptions): RateLimiter {
  const { capacity, refillPerSecond } = opts;
  const maxKeys = opts.maxKeys ?? 100_000;
  if (!(capacity > 0) || !(refillPerSecond > 0) || !(maxKeys >= 1)) throw new RangeError('expected positive capacity, refillPerSecond and maxKeys');
  const perMs = refillPerSecond / 1000;
  const fullAfterMs = capacity / perMs;
  // A Map iterates in insertion order; re-inserting on use keeps it least-recently-used first.
  const buckets = new Map<string, Bucket>();

  function sweep(now: number): void {
    let n = 0;
    for (const [key, b] of buckets) {
      if (n++ >= SWEEP_PER_CALL || now - b.at < fullAfterMs) break;
      buckets.delete(key);
    }
  }

  function take(key: string, now: number, cost = 1): TakeResult {
    if (!(cost > 0) || cost > capacity) throw new RangeError(`cost must be in (0, ${capacity}]`);
    sweep(now);
    let b = buckets.get(key);
    if (b) {
      buckets.delete(key);
      // A clock that steps back must not mint tokens (nor take them).
      const elapsed = Math.max(0, now - b.at);
      b.tokens = Math.min(capacity, b.tokens + elapsed * perMs);
      b.at = Math.max(b.at, now);
    } else {
      b = { tokens: capacity, at: now };
      if (buckets.size >= maxKeys) {
        const oldest = buckets.keys().next();
        if (!oldest.done) buckets.delete(oldest.value);
      }
    }
    buckets.set(key, b);
    // The epsilon absorbs float error in the refill (a third of a token per ms, say).
    if (b.tokens + 1e-9 >= cost) {
      b.tokens = Math.max(0, b.tokens - cost);
      return { ok: true, remaining: Math.floor(b.tokens) };
    }
    return { ok: false, retryAfterMs: Math.max(1, Math.ceil((cost - b.tokens) / perMs)) };
  }

  return { take, size: () => buckets.size };
}

/**
 * LEADGLOW_RATE_LIMIT: `off`, or per-key and per-address limits as `capacity/refillPerSecond`,
 * e.g. `perKey=2000/1000,perAddress=300/100` (either may be left out: the default stays).
 * Undefined when unset. Limits are per instance: behind a load balancer with N instances,
 * divide by N, or limit at the balancer (README, "Running several instances").
 */
export function rateLimitFromEnv(env: NodeJS.ProcessEnv = process.env): false | { perKey?: RateLimitOptions; perAddress?: RateLimitOptions } | undefined {
  const raw = env.LEADGLOW_RATE_LIMIT?.trim();
  if (!raw) return undefined;
  if (raw === 'off' || raw === '0' || raw === 'false') return false;
  const out: { perKey?: RateLimitOptions; perAddress?: RateLimitOptions } = {};
  for (const part of raw.split(',')) {
    const m = /^\s*(perKey|perAddress)\s*=\s*(\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)\s*$/.exec(part);
    if (!m || !(Number(m[2]) > 0) || !(Number(m[3]) > 0)) {
      throw new Error(`LEADGLOW_RATE_LIMIT: expected "off" or "perKey=CAPACITY/PER_SECOND,perAddress=CAPACITY/PER_SECOND", got "${part.trim().slice(0, 100)}"`);
    }
    out[m[1] as 'perKey' | 'perAddress'] = { capacity: Number(m[2]), refillPerSecond: Number(m[3]) };
  }
  return out;
}
