import { seededRandom, shuffled } from '../random.ts';

/**
 * Stratified k-fold assignment: each class is shuffled with the seed and dealt round-robin,
 * so every fold gets the class shares of the whole (within one row) and sizes differ by at
 * most one. Returns the fold of each row.
 */
export function stratifiedFolds(labels: readonly (0 | 1)[], k: number, seed: number): Int32Array {
  if (!Number.isInteger(k) || k < 2) throw new RangeError('expected at least 2 folds');
  const random = seededRandom(seed);
  const pos = shuffled([...labels.keys()].filter((i) => labels[i] === 1), random);
  const neg = shuffled([...labels.keys()].filter((i) => labels[i] === 0), random);
  const fold = new Int32Array(labels.length);
  // Negatives continue where positives stopped, so the first folds do not all get one row more.
  [...pos, ...neg].forEach((row, i) => (fold[row] = i % k));
  return fold;
}
