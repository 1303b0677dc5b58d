import { describe, expect, it } from 'vitest';
import { auc } from '../../../shared/analytics/metrics.ts';
import { aucOfScores } from '../../../shared/predictive/leakage.ts';
import { seededRandom } from '../../../shared/random.ts';

describe('the leakage guard', () => {
  it('measures AUC over typed arrays exactly as the metrics module does, ties included', () => {
    const random = seededRandom(4);
    for (const levels of [3, 50, 100_000]) {
      const scores = Float64Array.from({ length: 2_000 }, () => Math.floor(random() * levels));
      const labels = Array.from(scores, (s) => (random() < 0.2 + (0.6 * s) / levels ? 1 : 0) as 0 | 1);
      expect(aucOfScores(scores, labels)).toBeCloseTo(auc(Array.from(scores, (score, i) => ({ score, label: labels[i]! })))!, 12);
    }
    expect(aucOfScores(Float64Array.of(1, 2), [1, 1])).toBeNull();
  });
});
