import { describe, expect, it } from 'vitest';
import { aucOfScores } from '../../../shared/analytics/classifier-metrics.ts';
import { seededRandom } from '../../../shared/random.ts';

// AUC by its definition, pair by pair (a tied positive/negative pair counts one half): slow,
// and obviously right, against the rank-sum the leakage guard and the reports use.
function pairwise(scores: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++) {
    if (labels[i] !== 1) continue;
    for (let j = 0; j < scores.length; j++) {
      if (labels[j] !== 0) continue;
      pairs++;
      wins += scores[i]! > scores[j]! ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    }
  }
  return pairs === 0 ? null : wins / pairs;
}

describe('AUC over arrays', () => {
  it('equals the pairwise definition, ties included', () => {
    const random = seededRandom(4);
    for (const levels of [3, 50, 100_000]) {
      const scores = Float64Array.from({ length: 600 }, () => Math.floor(random() * levels));
      const labels = Array.from(scores, (s) => (random() < 0.2 + (0.6 * s) / levels ? 1 : 0) as 0 | 1);
      expect(aucOfScores(scores, labels)).toBeCloseTo(pairwise(scores, labels)!, 12);
    }
    expect(aucOfScores(Float64Array.of(1, 2), [1, 1])).toBeNull();
  });
});
