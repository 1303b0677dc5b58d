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
