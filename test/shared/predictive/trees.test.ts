import { describe, expect, it } from 'vitest';
import { auc } from '../../../shared/analytics/classifier-metrics.ts';
import { crossValidate } from '../../../shared/predictive/cv.ts';
import { fitTrees, treeContributions, treeLogOdds, treeLogOddsMany } from '../../../shared/predictive/trees.ts';
import { detectColumns, type Row } from '../../../shared/predictive/table.ts';
import { seededRandom } from '../../../shared/random.ts';

// Boosted trees see what a logistic regression cannot (interactions), handle missing values
// and categories natively, and split every prediction into per-column contributions.

function interaction(n: number, seed: number): { rows: Row[]; labels: (0 | 1)[] } {
  const random = seededRandom(seed);
  const rows: Row[] = [];
  const labels: (0 | 1)[] = [];
  for (let i = 0; i < n; i++) {
    const visits = Math.floor(random() * 10);
    const plan = ['free', 'team', 'enterprise'][Math.floor(random() * 3)]!;
    // Converts when an enterprise lead visits a lot, or a free lead hardly at all: no main effect to find.
    const p = (plan === 'enterprise') === visits >= 5 ? 0.85 : 0.15;
    rows.push({ visits, plan, noise: random() < 0.1 ? 'NA' : String(random()) });
    labels.push(random() < p ? 1 : 0);
  }
  return { rows, labels };
}

describe('gradient-boosted trees', () => {
  const { rows, labels } = interaction(3_000, 1);
  const columns = detectColumns(rows);

  it('learn an interaction the logistic family cannot, and cross-validation chooses them', () => {
    const cv = crossValidate(rows, labels, { folds: 3, seed: 0, baseline: false }, columns);
    const byFamily = Object.fromEntries(cv.families.map((f) => [f.family, f.auc!]));
    expect(byFamily.trees).toBeGreaterThan(0.8);
    expect(byFamily.logistic).toBeLessThan(0.65);
    expect(cv.family).toBe('trees');
    expect(cv.folds.every((f) => f.auc === f.treesAuc)).toBe(true);
  });

  it('stop early on the inner split instead of using every round', () => {
    const m = fitTrees(columns, rows, labels, { maxIterations: 400 });
    expect(m.iterations).toBeGreaterThan(5);
    expect(m.iterations).toBeLessThan(400);
  });

  it('split a prediction into contributions that add up to its log-odds', () => {
    const m = fitTrees(columns, rows, labels);
    for (const row of [rows[0]!, rows[7]!, { visits: 9, plan: 'enterprise' }, { plan: 'unheard-of' }]) {
      const { bias, contributions } = treeContributions(m, row);
      expect(bias + contributions.reduce((a, b) => a + b, 0)).toBeCloseTo(treeLogOdds(m, row), 9);
    }
    // An enterprise lead with many visits is pushed up by both columns together.
    const { contributions } = treeContributions(m, { visits: 9, plan: 'enterprise', noise: '0.5' });
    const byColumn = Object.fromEntries(m.features.map((f, j) => [f.column, contributions[j]!]));
    expect(byColumn.plan! + byColumn.visits!).toBeGreaterThan(1);
  });

  it('score many rows as they score one, and the same data and seed give the same model', () => {
    const m = fitTrees(columns, rows, labels, { seed: 3 });
    const many = treeLogOddsMany(m, rows.slice(0, 50));
    rows.slice(0, 50).forEach((r, i) => expect(many[i]).toBeCloseTo(treeLogOdds(m, r), 12));
    expect(fitTrees(columns, rows, labels, { seed: 3 })).toEqual(m);
  });

  it('learn from missing values: a column missing for converters carries the signal', () => {
    const random = seededRandom(9);
    const data = Array.from({ length: 2_000 }, () => {
      const y = random() < 0.3 ? 1 : 0;
      return { row: { budget: y === 1 && random() < 0.8 ? '' : String(Math.round(random() * 1000)) } as Row, y: y as 0 | 1 };
    });
    const m = fitTrees(detectColumns(data.map((d) => d.row)), data.map((d) => d.row), data.map((d) => d.y));
    const a = auc(data.map((d) => ({ score: treeLogOdds(m, d.row), label: d.y })));
    expect(a).toBeGreaterThan(0.85);
  });

  it('grown on GOSS samples (as above 50,000 rows) learn the interaction almost as well, the same way for the same seed', () => {
    const test = interaction(2_000, 9);
    const score = (m: ReturnType<typeof fitTrees>): number => auc(test.rows.map((r, i) => ({ score: treeLogOdds(m, r), label: test.labels[i]! }))) ?? 0;
    const full = fitTrees(columns, rows, labels);
    const goss = { above: 0, top: 0.2, other: 0.1 };
    const sampled = fitTrees(columns, rows, labels, { goss });
    expect(score(sampled)).toBeGreaterThan(score(full) - 0.01);
    expect(fitTrees(columns, rows, labels, { goss }).trees).toEqual(sampled.trees);
    // A different sample each round, so not the full model's trees.
    expect(sampled.trees).not.toEqual(full.trees);
  });
});
