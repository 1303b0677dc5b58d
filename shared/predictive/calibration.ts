import type { ReliabilityBin } from '../contracts/marketing.ts';
import { fitLogistic, sigmoid } from './logistic.ts';

// Probabilities a rep can take at their word: Platt scaling (a logistic regression on the
// model's log-odds) fitted on out-of-fold scores, so the calibration never sees a score the
// model made for a row it was trained on. Platt rather than isotonic: two numbers, smooth,
// and stable with the few hundred outcomes a B2B team has; it keeps the ranking (and AUC).

export type Calibration = { a: number; b: number };

export function fitPlatt(raw: ArrayLike<number>, labels: readonly (0 | 1)[]): Calibration {
  const rows = Array.from(raw, (t) => [t]);
  const fit = fitLogistic(rows, labels, { l2: 1e-3 });
  const a = fit.weights[0] ?? 1;
  // A model that ranks backwards out of fold would be turned around; keep it honest instead.
  return a > 0 ? { a, b: fit.intercept } : { a: 0, b: fit.intercept };
}

export function applyCalibration(c: Calibration, raw: number): number {
  return sigmoid(c.a * raw + c.b);
}

/**
 * Predicted against observed in bands of about equal size (by predicted probability):
 * the points of a reliability plot. Fewer bands when there are few rows, at least 20 per band.
 */
export function reliability(p: ArrayLike<number>, labels: readonly (0 | 1)[], bands = 10): ReliabilityBin[] {
  const n = labels.length;
  const k = Math.max(1, Math.min(bands, Math.floor(n / 20)));
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => p[a]! - p[b]!);
  const out: ReliabilityBin[] = [];
  for (let band = 0; band < k; band++) {
    const from = Math.floor((band * n) / k);
    const to = Math.floor(((band + 1) * n) / k);
    if (to <= from) continue;
    let sp = 0;
    let sy = 0;
    for (let r = from; r < to; r++) {
      sp += p[order[r]!]!;
      sy += labels[order[r]!]!;
    }
    const count = to - from;
    out.push({ predicted: sp / count, observed: sy / count, count });
  }
  return out;
}
