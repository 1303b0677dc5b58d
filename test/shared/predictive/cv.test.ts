import { describe, expect, it } from 'vitest';
import { crossValidate, train } from '../../../shared/predictive/cv.ts';
import { PredictiveModel, predict } from '../../../shared/predictive/predictive-model.ts';
import { seededRandom } from '../../../shared/random.ts';
import type { Row } from '../../../shared/predictive/table.ts';
import { syntheticTable } from './make-table.ts';

describe('cross-validation', () => {
  it('gets AUC 1 on a separable toy set', () => {
    const rows: Row[] = [];
    const labels: (0 | 1)[] = [];
    for (let i = 0; i < 60; i++) {
      const y = (i % 2) as 0 | 1;
      rows.push({ score: String(y ? 10 + i : i), channel: y ? 'demo' : 'newsletter' });
      labels.push(y);
    }
    const cv = crossValidate(rows, labels, { folds: 5, seed: 0 });
    expect(cv.auc).toBe(1);
    for (const f of cv.folds) expect(f.auc).toBe(1);
  });

  it('gets about 0.5 when the label is shuffled', () => {
    const { rows, labels } = syntheticTable(3_000, 11);
    const random = seededRandom(99);
    const shuffledLabels = labels.map(() => (random() < 0.3 ? 1 : 0) as 0 | 1);
    const cv = crossValidate(rows, shuffledLabels, { folds: 5, seed: 0 });
    // The seed fixes the folds and labels, so this is one deterministic figure; the band is
    // about three standard errors of an AUC on 600-row folds, far from what signal would give.
    expect(Math.abs(cv.auc! - 0.5)).toBeLessThan(0.04);
    const real = crossValidate(rows, labels, { folds: 5, seed: 0 });
    expect(real.auc!).toBeGreaterThan(0.75);
  });

  it('reports per-fold and mean AUC and log loss, and the baseline on the same folds', () => {
    const { rows, labels } = syntheticTable(1_000, 12);
    const cv = crossValidate(rows, labels, { folds: 4, seed: 1 });
    expect(cv.folds).toHaveLength(4);
    expect(cv.folds.reduce((a, f) => a + f.rows, 0)).toBe(1_000);
    expect(cv.folds.reduce((a, f) => a + f.positives, 0)).toBe(cv.positives);
    const meanAuc = cv.folds.reduce((a, f) => a + f.auc!, 0) / 4;
    expect(cv.auc).toBeCloseTo(meanAuc, 12);
    expect(cv.logLoss).toBeCloseTo(cv.folds.reduce((a, f) => a + f.logLoss, 0) / 4, 12);
    for (const f of cv.folds) expect(typeof f.baselineAuc).toBe('number');
    expect(cv.baselineAuc).toBeGreaterThan(0.6);
  });

  it('gives the same figures for the same seed and others for another', () => {
    const { rows, labels } = syntheticTable(600, 13);
    expect(crossValidate(rows, labels, { seed: 5 }).auc).toBe(crossValidate(rows, labels, { seed: 5 }).auc);
    expect(crossValidate(rows, labels, { seed: 5 }).folds[0]!.auc).not.toBe(crossValidate(rows, labels, { seed: 6 }).folds[0]!.auc);
  });

  it('learns from missing values: a column that is missing for converters carries the signal', () => {
    const random = seededRandom(21);
    const rows: Row[] = [];
    const labels: (0 | 1)[] = [];
    for (let i = 0; i < 800; i++) {
      const y = (random() < 0.3 ? 1 : 0) as 0 | 1;
      const missing = y ? random() < 0.8 : random() < 0.1;
      rows.push({ revenue: missing ? ['NA', '', 'null'][i % 3] : String(Math.round(random() * 1000)), industry: missing && i % 2 ? 'N/A' : ['retail', 'saas'][i % 2] });
      labels.push(y);
    }
    const cv = crossValidate(rows, labels, { seed: 0 });
    expect(cv.auc!).toBeGreaterThan(0.8);
  });

  it('does not let a row see its own label through a high-cardinality column', () => {
    // Noise: 400 levels seen about five times each, labels at random. A target encoding
    // computed with the evaluated rows (or in-fold on training rows) would make it look predictive.
    const random = seededRandom(31);
    const rows: Row[] = [];
    const labels: (0 | 1)[] = [];
    for (let i = 0; i < 2_000; i++) {
      rows.push({ page: `p${Math.floor(random() * 400)}` });
      labels.push(random() < 0.5 ? 1 : 0);
    }
    const cv = crossValidate(rows, labels, { seed: 0 });
    expect(Math.abs(cv.auc! - 0.5)).toBeLessThan(0.04);
    // Log loss no worse than always answering the base rate, by more than a whisker.
    expect(cv.logLoss).toBeLessThan(Math.log(2) + 0.01);
  });
});

describe('a trained model', () => {
  it('is JSON that validates, predicts a probability and names its top factors', () => {
    const { rows, labels } = syntheticTable(1_500, 14);
    const { model } = train({ id: 'm1', trainedAt: 1_700_000_000_000, label: 'won', rows, labels }, { seed: 0 });
    const again = PredictiveModel.parse(JSON.parse(JSON.stringify(model)));
    const lead = { x: '1.9', origin: 'search', noise: '3' };
    const p = predict(again, lead);
    expect(p.modelId).toBe('m1');
    expect(p.probability).toBeGreaterThan(0.8);
    expect(p.factors[0]!.feature).toBe('x = 1.9');
    expect(p.factors[0]!.weight).toBeGreaterThan(0);
    expect(p.factors.map((f) => f.feature)).toContain('origin = search');
    const cold = predict(again, { x: '-1.9', origin: 'ads', noise: '3' });
    expect(cold.probability).toBeLessThan(0.1);
    expect(cold.factors.find((f) => f.feature === 'origin = ads')!.weight).toBeLessThan(0);
  });
});

describe('large tables', () => {
  it('are cross-validated on a stratified sample, and the model is fitted on every row', () => {
    const { rows, labels } = syntheticTable(3_000, 5);
    const { model, cv } = train({ id: 'big', trainedAt: 0, label: 'y', rows, labels }, { folds: 3, seed: 0, maxRows: 1_000, baseline: false, families: ['logistic'] });
    expect(cv.sampledFrom).toBe(3_000);
    expect(cv.rows).toBeGreaterThanOrEqual(999);
    expect(cv.rows).toBeLessThanOrEqual(1_001);
    // Each class keeps its share of the table.
    const share = labels.reduce<number>((a, b) => a + b, 0) / labels.length;
    expect(Math.abs(cv.positives / cv.rows - share)).toBeLessThan(0.002);
    expect(cv.outOfFold).toHaveLength(cv.rows);
    expect(cv.auc).toBeGreaterThan(0.75);
    // Fitted on all 3,000 rows: not the model a 1,000-row fit gives.
    const small = train({ id: 'small', trainedAt: 0, label: 'y', rows: rows.slice(0, 1_000), labels: labels.slice(0, 1_000) }, { folds: 3, seed: 0, baseline: false, families: ['logistic'] });
    expect(model.weights).not.toEqual(small.model.weights);
    expect(crossValidate(rows, labels, { folds: 3, seed: 0, baseline: false }).sampledFrom).toBeUndefined();
  });
});
