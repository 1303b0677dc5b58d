// Exponential decay with a half-life: a value S at time t0 is worth S·2^(−(t−t0)/h) at t.
// Keeping (S, t0) and folding new points in as S(t)+w makes each event and each read O(1).

export const DAY_MS = 86_400_000;

/** The factor by which a value fades over `elapsedMs`. */
export function decayFactor(elapsedMs: number, halfLifeMs: number): number {
  return elapsedMs === 0 ? 1 : Math.pow(2, -elapsedMs / halfLifeMs);
}

/** `value` given at `from`, as worth at `to`. */
export function decayed(value: number, from: number, to: number, halfLifeMs: number): number {
  return value === 0 ? 0 : value * decayFactor(to - from, halfLifeMs);
}

/**
 * decayFactor with the factors already computed kept in a small table indexed by the low bits
 * of the elapsed time. Math.pow is the dearest step of an award, and a backtest folds each
 * lead's events under two models, usually with the same half-life, so the second fold asks for
 * the elapsed times the first just did. A hit returns the bits Math.pow gave for the same
 * arguments, so nothing changes but the time. A single fold gains nothing (its own last factor
 * covers its repeats), so only a caller folding one history twice makes one.
 */
export class DecayMemo {
  private static readonly SLOTS = 4096;
  private readonly elapsed = new Float64Array(DecayMemo.SLOTS);
  /** 0 in an empty slot: no model has that half-life, so an empty slot never answers. */
  private readonly halfLife = new Float64Array(DecayMemo.SLOTS);
  private readonly factors = new Float64Array(DecayMemo.SLOTS);

  factor(elapsedMs: number, halfLifeMs: number): number {
    if (elapsedMs === 0) return 1;
    const i = (elapsedMs | 0) & (DecayMemo.SLOTS - 1);
    if (this.elapsed[i] === elapsedMs && this.halfLife[i] === halfLifeMs) return this.factors[i]!;
    const factor = Math.pow(2, -elapsedMs / halfLifeMs);
    this.elapsed[i] = elapsedMs;
    this.halfLife[i] = halfLifeMs;
    this.factors[i] = factor;
    return factor;
  }
}
