import { describe, expect, it } from 'vitest';
import { MIN_AUC, MIN_LOST, MIN_WON, withheldBecause } from '../../../shared/predictive/gate.ts';

const folds = (aucs: number[]) => aucs.map((auc) => ({ auc, logLoss: 0.5 }));

describe('when a model may show probabilities', () => {
  it('needs 50 won and 50 lost leads, and says how many there are', () => {
    expect(MIN_WON).toBe(50);
    expect(MIN_LOST).toBe(50);
    expect(withheldBecause({ auc: 0.9, folds: folds([0.9, 0.9]), rows: 47, positives: 34 })).toEqual({ reason: 'outcomes', won: 34, lost: 13, needed: 50 });
    expect(withheldBecause({ auc: 0.9, folds: folds([0.9, 0.9]), rows: 149, positives: 100 })).toEqual({ reason: 'outcomes', won: 100, lost: 49, needed: 50 });
  });

  it('needs a cross-validated AUC clearly better than chance, in every fold', () => {
    expect(withheldBecause({ auc: 0.58, folds: folds([0.6, 0.56]), rows: 200, positives: 100 })).toEqual({ reason: 'auc', auc: 0.58, needed: MIN_AUC });
    expect(withheldBecause({ auc: 0.7, folds: folds([0.9, 0.5]), rows: 200, positives: 100 })).toEqual({ reason: 'auc', auc: 0.7, needed: MIN_AUC });
    expect(withheldBecause({ auc: null, folds: folds([]), rows: 200, positives: 100 })).toMatchObject({ reason: 'auc' });
  });

  it('lets an earned model through', () => {
    expect(withheldBecause({ auc: 0.72, folds: folds([0.7, 0.74]), rows: 100, positives: 50 })).toBeUndefined();
  });
});
