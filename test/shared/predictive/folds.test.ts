import { describe, expect, it } from 'vitest';
import { stratifiedFolds } from '../../../shared/predictive/folds.ts';
import { seededRandom } from '../../../shared/random.ts';

describe('stratified folds', () => {
  const random = seededRandom(7);
  const labels = Array.from({ length: 1003 }, () => (random() < 0.11 ? 1 : 0) as 0 | 1);
  const positives = labels.filter((y) => y === 1).length;

  it('gives every fold the class shares of the whole, within one row', () => {
    const k = 5;
    const fold = stratifiedFolds(labels, k, 0);
    for (let f = 0; f < k; f++) {
      const rows = labels.filter((_, i) => fold[i] === f);
      const pos = rows.filter((y) => y === 1).length;
      expect(Math.abs(pos - positives / k)).toBeLessThanOrEqual(1);
      expect(Math.abs(rows.length - labels.length / k)).toBeLessThanOrEqual(1);
    }
  });

  it('is the same for the same seed and differs for another', () => {
    expect(stratifiedFolds(labels, 5, 3)).toEqual(stratifiedFolds(labels, 5, 3));
    expect(stratifiedFolds(labels, 5, 3)).not.toEqual(stratifiedFolds(labels, 5, 4));
  });

  it('refuses fewer than two folds', () => {
    expect(() => stratifiedFolds(labels, 1, 0)).toThrow(RangeError);
  });
});
