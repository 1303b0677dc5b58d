import { auc, logLoss } from '../analytics/metrics.ts';
import type { Evaluation } from '../contracts/marketing.ts';
import { encodeRows } from './encode.ts';
import { stratifiedFolds } from './folds.ts';
import { fitModel, PREDICTIVE_FORMAT, probability, type FitOptions, type Fitted, type PredictiveModel } from './model.ts';
import { predictProbability } from './logistic.ts';
import { detectColumns, type ColumnInfo, type Row } from './table.ts';

// Stratified k-fold cross-validation of our pipeline and of a reference logistic regression
// on the same folds, so "ours vs baseline" comes from one run. Every encoder of a fold is
// fitted on that fold's training rows only.

export type CvOptions = FitOptions & {
  folds?: number;
  /** Seeds the folds (and the inner folds of target encoding). */
  seed?: number;
  /** Also run the reference logistic regression on the same folds (default on). */
  baseline?: boolean;
  /** Called after each fit: done and total fits. */
  onProgress?: (done: number, total: number) => void;
};

export type FoldResult = {
  rows: number;
  positives: number;
  auc: number | null;
  logLoss: number;
  baselineAuc?: number | null;
  baselineLogLoss?: number;
};

export type CvResult = Omit<Evaluation, 'folds'> & {
  folds: FoldResult[];
  baselineLogLoss?: number;
  columns: ColumnInfo[];
  /** Each row's probability from the fold that held it out. */
  outOfFold: Float64Array;
};

/** The reference: one-hot categoricals, frequency-encoded high-cardinality columns, weekday; (almost) no penalty. */
export const REFERENCE: FitOptions = { style: 'reference', l2: 1e-6 };

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

function meanOrNull(xs: readonly (number | null | undefined)[]): number | null {
  const ok = xs.filter((x): x is number => typeof x === 'number');
  return ok.length ? mean(ok) : null;
}

function score(model: Fitted, rows: readonly Row[], labels: readonly (0 | 1)[]): { auc: number | null; logLoss: number; p: number[] } {
  const x = encodeRows(model, rows);
  const p = x.map((v) => predictProbability(model, v));
  return { auc: auc(p.map((s, i) => ({ score: s, label: labels[i]! }))), logLoss: logLoss(p.map((q, i) => ({ p: q, label: labels[i]! }))), p };
}

/** How many folds a table allows: the request, but never more than the rarer class has rows. */
export function foldCount(labels: readonly (0 | 1)[], wanted: number): number {
  const pos = labels.reduce<number>((a, b) => a + b, 0);
  return Math.min(wanted, pos, labels.length - pos);
}

export function crossValidate(rows: readonly Row[], labels: readonly (0 | 1)[], options: CvOptions = {}, columns = detectColumns(rows)): CvResult {
  const k = foldCount(labels, options.folds ?? 5);
  if (k < 2) throw new RangeError('cross-validation needs at least 2 rows of each class');
  const seed = options.seed ?? 0;
  const fold = stratifiedFolds(labels, k, seed);
  const withBaseline = options.baseline ?? true;
  const total = k * (withBaseline ? 2 : 1);
  let done = 0;
  const folds: FoldResult[] = [];
  const outOfFold = new Float64Array(rows.length);
  for (let f = 0; f < k; f++) {
    const trainIdx = [...rows.keys()].filter((i) => fold[i] !== f);
    const testIdx = [...rows.keys()].filter((i) => fold[i] === f);
    const pick = <T>(xs: readonly T[], idx: number[]): T[] => idx.map((i) => xs[i]!);
    const [trainRows, trainLabels, testRows, testLabels] = [pick(rows, trainIdx), pick(labels, trainIdx), pick(rows, testIdx), pick(labels, testIdx)];
    const ours = score(fitModel(columns, trainRows, trainLabels, { ...options, seed }), testRows, testLabels);
    testIdx.forEach((row, j) => (outOfFold[row] = ours.p[j]!));
    options.onProgress?.(++done, total);
    const result: FoldResult = { rows: testIdx.length, positives: testLabels.reduce<number>((a, b) => a + b, 0), auc: ours.auc, logLoss: ours.logLoss };
    if (withBaseline) {
      const base = score(fitModel(columns, trainRows, trainLabels, { ...options, ...REFERENCE, seed }), testRows, testLabels);
      options.onProgress?.(++done, total);
      result.baselineAuc = base.auc;
      result.baselineLogLoss = base.logLoss;
    }
    folds.push(result);
  }
  const out: CvResult = {
    auc: meanOrNull(folds.map((f) => f.auc)),
    logLoss: mean(folds.map((f) => f.logLoss)),
    folds,
    rows: rows.length,
    positives: labels.reduce<number>((a, b) => a + b, 0),
    columns,
    outOfFold,
  };
  if (withBaseline) {
    out.baselineAuc = meanOrNull(folds.map((f) => f.baselineAuc));
    out.baselineLogLoss = mean(folds.map((f) => f.baselineLogLoss ?? 0));
  }
  return out;
}

/** The evaluation as the contract has it (no column list, folds as AUC and log loss plus their extras). */
export function toEvaluation(cv: CvResult): Evaluation {
  const { columns: _columns, outOfFold: _outOfFold, ...evaluation } = cv;
  return evaluation;
}

export type TrainInput = { id: string; trainedAt: number; label: string; rows: readonly Row[]; labels: readonly (0 | 1)[] };

/** Cross-validates, then fits on every row: the model a server or a file keeps. */
export function train(input: TrainInput, options: CvOptions = {}): { model: PredictiveModel; cv: CvResult } {
  const columns = detectColumns(input.rows);
  const report = options.onProgress;
  // The final fit is one more step after the cross-validation's.
  const cv = crossValidate(input.rows, input.labels, { ...options, ...(report ? { onProgress: (d, t) => report(d, t + 1) } : {}) }, columns);
  const fitted = fitModel(columns, input.rows, input.labels, { ...options, seed: options.seed ?? 0 });
  const steps = cv.folds.length * (options.baseline === false ? 1 : 2) + 1;
  report?.(steps, steps);
  return { model: { format: PREDICTIVE_FORMAT, id: input.id, trainedAt: input.trainedAt, label: input.label, ...fitted, evaluation: toEvaluation(cv) }, cv };
}

/** A model's AUC on rows it may have been trained on: the bar a new model must reach to replace it. */
export function aucOn(model: Fitted, rows: readonly Row[], labels: readonly (0 | 1)[]): number | null {
  return auc(rows.map((r, i) => ({ score: probability(model, r), label: labels[i]! })));
}
