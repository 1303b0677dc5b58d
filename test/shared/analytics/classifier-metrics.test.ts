import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../shared/random.ts';
import { auc, curveFigures, lift, logLoss, precisionRecall, roc, type Scored } from '../../../shared/analytics/classifier-metrics.ts';

const s = (pairs: [number, 0 | 1][]): Scored[] => pairs.map(([score, label]) => ({ score, label }));

describe('auc', () => {
  it('is 1 for a perfect ranking and 0 for a reversed one', () => {
    expect(auc(s([[0.9, 1], [0.8, 1], [0.3, 0], [0.1, 0]]))).toBe(1);
    expect(auc(s([[0.1, 1], [0.2, 1], [0.3, 0], [0.9, 0]]))).toBe(0);
  });

  it('matches a hand count of ordered pairs', () => {
    // Positives 0.8, 0.4; negatives 0.6, 0.2, 0.1. Pairs won: 0.8 beats 3, 0.4 beats 2 -> 5 of 6.
    expect(auc(s([[0.8, 1], [0.4, 1], [0.6, 0], [0.2, 0], [0.1, 0]]))).toBeCloseTo(5 / 6, 12);
  });

  it('counts a tie as half a pair, whatever the input order', () => {
    expect(auc(s([[1, 1], [1, 0]]))).toBe(0.5);
    expect(auc(s([[1, 0], [1, 1], [1, 0], [1, 1]]))).toBe(0.5);
    // Positives 2, 1; negatives 1, 0: pairs (2>1) (2>0) (1=1: half) (1>0) -> 3.5 of 4.
    expect(auc(s([[1, 0], [2, 1], [0, 0], [1, 1]]))).toBe(3.5 / 4);
  });

  it('is null without both classes', () => {
    expect(auc(s([[1, 1], [2, 1]]))).toBeNull();
    expect(auc([])).toBeNull();
  });
});

describe('roc', () => {
  it('steps through each distinct score from (0,0) to (1,1)', () => {
    expect(roc(s([[0.9, 1], [0.5, 0], [0.5, 1], [0.1, 0]]))).toEqual([
      { fpr: 0, tpr: 0 },
      { fpr: 0, tpr: 0.5 },
      { fpr: 0.5, tpr: 1 },
      { fpr: 1, tpr: 1 },
    ]);
  });
});

describe('lift', () => {
  it('is conversion among the top share over overall conversion', () => {
    // 10 leads, 2 won, both scored highest: the top 20% convert at 100% vs 20% overall -> lift 5.
    const items = s([[10, 1], [9, 1], [8, 0], [7, 0], [6, 0], [5, 0], [4, 0], [3, 0], [2, 0], [1, 0]]);
    expect(lift(items, [0.1, 0.2, 0.5, 1])).toEqual([
      { depth: 0.1, lift: 5 },
      { depth: 0.2, lift: 5 },
      { depth: 0.5, lift: 2 },
      { depth: 1, lift: 1 },
    ]);
  });

  it('takes tied scores at the cut by their share', () => {
    // All tied: any depth converts at the base rate.
    const items = s([[1, 1], [1, 0], [1, 0], [1, 0]]);
    expect(lift(items, [0.25, 0.5])).toEqual([
      { depth: 0.25, lift: 1 },
      { depth: 0.5, lift: 1 },
    ]);
  });
});

describe('precisionRecall', () => {
  it('calls scores at or above the threshold positive', () => {
    // Called: 80 (won), 60 (lost), 60 (won). Missed won: 20. -> precision 2/3, recall 2/3.
    const items = s([[80, 1], [60, 0], [60, 1], [20, 1], [10, 0]]);
    const pr = precisionRecall(items, 60);
    expect(pr.precision).toBeCloseTo(2 / 3, 12);
    expect(pr.recall).toBeCloseTo(2 / 3, 12);
  });

  it('is null where nothing is called or nothing was won', () => {
    expect(precisionRecall(s([[1, 0]]), 5)).toEqual({ precision: null, recall: null });
  });
});

describe('logLoss', () => {
  it('is the mean negative log-likelihood', () => {
    expect(logLoss([{ p: 0.5, label: 1 }, { p: 0.5, label: 0 }])).toBeCloseTo(Math.LN2, 12);
    expect(logLoss([{ p: 0.9, label: 1 }, { p: 0.2, label: 0 }])).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8)) / 2, 12);
  });

  it('stays finite for a sure miss', () => {
    expect(Number.isFinite(logLoss([{ p: 0, label: 1 }]))).toBe(true);
  });
});

describe('curveFigures', () => {
  it('gives exactly what auc, roc and lift give, from one sort, with ties, one class or none', () => {
    const random = seededRandom(21);
    const cases: Scored[][] = [[], [{ score: 1, label: 1 }], [{ score: 1, label: 0 }, { score: 1, label: 0 }]];
    for (let k = 0; k < 30; k++) {
      const n = 1 + Math.floor(random() * 3000);
      // Few distinct scores make many ties; fractional ones make exact comparisons matter.
      const levels = 1 + Math.floor(random() * 200);
      cases.push(Array.from({ length: n }, () => ({ score: (Math.floor(random() * levels) * 7) / 3, label: random() < 0.2 ? 1 : 0 })));
    }
    for (const items of cases) expect(curveFigures(items)).toEqual({ auc: auc(items), roc: roc(items), lift: lift(items) });
    expect(cases.filter((c) => auc(c) !== null).length).toBeGreaterThan(20);
  });
});
