import { describe, expect, it } from 'vitest';
import { fitLogistic, predictProbability } from '../../../shared/predictive/logistic.ts';
import { seededRandom } from '../../../shared/random.ts';

function simulate(n: number, seed: number, beta: number[], intercept: number): { x: number[][]; y: (0 | 1)[] } {
  const random = seededRandom(seed);
  const x: number[][] = [];
  const y: (0 | 1)[] = [];
  for (let i = 0; i < n; i++) {
    const row = beta.map(() => random() * 2 - 1);
    const t = intercept + row.reduce((a, v, j) => a + v * beta[j]!, 0);
    x.push(row);
    y.push(random() < 1 / (1 + Math.exp(-t)) ? 1 : 0);
  }
  return { x, y };
}

describe('logistic regression', () => {
  it('recovers the coefficients that made the data', () => {
    const truth = [2, -1, 0];
    const { x, y } = simulate(20_000, 1, truth, -0.5);
    const fit = fitLogistic(x, y, { l2: 1e-6 });
    expect(fit.converged).toBe(true);
    expect(fit.intercept).toBeCloseTo(-0.5, 1);
    fit.weights.forEach((w, j) => expect(Math.abs(w - truth[j]!), `weight ${j}`).toBeLessThan(0.1));
  });

  it('shrinks weights but never the intercept: under a huge penalty it is the base rate', () => {
    const { x, y } = simulate(2_000, 2, [3, 3], 1);
    const fit = fitLogistic(x, y, { l2: 1e9 });
    const rate = y.filter((v) => v === 1).length / y.length;
    expect(predictProbability(fit, [0, 0])).toBeCloseTo(rate, 3);
    for (const w of fit.weights) expect(Math.abs(w)).toBeLessThan(1e-4);
  });

  it('stays finite on separable data and ranks it perfectly', () => {
    const x = [[-2], [-1], [-0.5], [0.5], [1], [2]];
    const y: (0 | 1)[] = [0, 0, 0, 1, 1, 1];
    const fit = fitLogistic(x, y, { l2: 0.01 });
    expect(Number.isFinite(fit.weights[0]!)).toBe(true);
    const p = x.map((r) => predictProbability(fit, r));
    expect(Math.max(...p.slice(0, 3))).toBeLessThan(Math.min(...p.slice(3)));
  });

  it('is deterministic', () => {
    const { x, y } = simulate(500, 3, [1, -1], 0);
    expect(fitLogistic(x, y)).toEqual(fitLogistic(x, y));
  });

  it('with balanced class weights, predicts about one half on average for a rare class', () => {
    const { x, y } = simulate(4_000, 4, [1], -3);
    const plain = fitLogistic(x, y);
    const balanced = fitLogistic(x, y, { classWeight: 'balanced' });
    const mean = (f: typeof plain) => x.reduce((a, r) => a + predictProbability(f, r), 0) / x.length;
    expect(mean(plain)).toBeCloseTo(y.filter((v) => v === 1).length / y.length, 2);
    expect(mean(balanced)).toBeGreaterThan(0.4);
  });
});
