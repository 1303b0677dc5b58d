import { auc, logLoss } from '../analytics/classifier-metrics.ts';
import type { Evaluation, ExcludedColumn, FamilyScore, ModelFamily } from '../contracts/marketing.ts';
import { applyCalibration, fitPlatt, reliability, type Calibration } from './calibration.ts';
import { seededRandom, shuffled } from '../random.ts';
import { stratifiedFolds } from './folds.ts';
import { sigmoid } from './logistic.ts';
import { fitModel, PREDICTIVE_FORMAT, probability, rawScore, type FitOptions, type Fitted, type PredictiveModel } from './predictive-model.ts';
import { detectColumns, typedRows, type ColumnInfo, type Row } from './table.ts';
import { treeLogOddsMany } from './trees.ts';

// Stratified k-fold cross-validation of both model families (our logistic regression and
// boosted trees) and of a reference logistic regression, all on the same folds, so "ours vs
// baseline" and the choice of family come from one run. Every encoder, bin and tree of a
// fold is fitted on that fold's training rows only. The family with the better mean fold
// AUC is chosen (log loss decides near-ties), calibrated on its out-of-fold log-odds, and
// fitted once more on every row.

export const FAMILIES: readonly ModelFamily[] = ['logistic', 'trees'];

export type CvOptions = FitOptions & {
  folds?: number;
  /** Seeds the folds (and the inner folds of target encoding, and the trees' inner split). */
  seed?: number;
  /** Also run the reference logistic regression on the same folds (default on). */
  baseline?: boolean;
  /** Families to try (default both). */
  families?: readonly ModelFamily[];
  /** Called after each fit: done and total fits. */
  onProgress?: (done: number, total: number) => void;
  /** The fold of each row, when the caller fixes them (the bench shares them with scikit-learn). */
  foldOf?: Int32Array;
  /**
   * Cross-validate on a stratified sample of this many rows when the table is larger (the
   * final model is still fitted on every row). A 30,000-row sample measures AUC to about
   * ±0.004, and fitting three models five times on 200,000 rows would take minutes.
   */
  maxRows?: number;
};

export type FoldResult = {
  rows: number;
  positives: number;
  auc: number | null;
  logLoss: number;
  baselineAuc?: number | null;
  baselineLogLoss?: number;
  /** Each family's figures on this fold. */
  logisticAuc?: number | null;
  treesAuc?: number | null;
};

export type CvResult = Omit<Evaluation, 'folds'> & {
  folds: FoldResult[];
  baselineLogLoss?: number;
  columns: ColumnInfo[];
  family: ModelFamily;
  families: FamilyScore[];
  calibration: Calibration;
  /** Each row's calibrated probability from the fold that held it out (chosen family). */
  outOfFold: Float64Array;
  /** Each family's out-of-fold log-odds. */
  outOfFoldRaw: Partial<Record<ModelFamily, Float64Array>>;
  /** Set when the folds were a sample (`maxRows`): the table's row count. Out-of-fold scores are then the sample's. */
  sampledFrom?: number;
};

/**
 * The reference: one-hot categoricals (frequent values), standardised numbers, weekday, and
 * L2 of 1 on the summed log loss, which is scikit-learn's LogisticRegression default (C=1).
 * It converges: Newton's method stops on the coefficients' change, not an iteration cap.
 */
export const REFERENCE: FitOptions = { style: 'reference', l2: 1 };

/** Near-ties in AUC (within this) are decided by log loss. */
export const FAMILY_TIE = 0.001;

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

function meanOrNull(xs: readonly (number | null | undefined)[]): number | null {
  const ok = xs.filter((x): x is number => typeof x === 'number');
  return ok.length ? mean(ok) : null;
}

function rawScores(model: Fitted, rows: readonly Row[]): Float64Array {
  if (model.family === 'trees' && model.trees) return treeLogOddsMany(model.trees, rows);
  return Float64Array.from(rows, (r) => rawScore(model, r));
}

function judge(raw: Float64Array, labels: readonly (0 | 1)[]): { auc: number | null; logLoss: number } {
  const items = labels.map((label, i) => ({ score: raw[i]!, label }));
  return { auc: auc(items), logLoss: logLoss(labels.map((label, i) => ({ p: sigmoid(raw[i]!), label }))) };
}

/** How many folds a table allows: the request, but never more than the rarer class has rows. */
export function foldCount(labels: readonly (0 | 1)[], wanted: number): number {
  const pos = labels.reduce<number>((a, b) => a + b, 0);
  return Math.min(wanted, pos, labels.length - pos);
}

/** The better family: higher mean fold AUC, or lower log loss when the AUCs are within FAMILY_TIE. */
export function chooseFamily(scores: readonly FamilyScore[]): ModelFamily {
  let best = scores[0]!;
  for (const s of scores.slice(1)) {
    const a = s.auc ?? 0;
    const b = best.auc ?? 0;
    if (a > b + FAMILY_TIE || (Math.abs(a - b) <= FAMILY_TIE && s.logLoss < best.logLoss)) best = s;
  }
  return best.family;
}

export function crossValidate(rows: readonly Row[], labels: readonly (0 | 1)[], options: CvOptions = {}, columns = detectColumns(rows)): CvResult {
  return crossValidateTyped(typedRows(rows, columns), labels, options, columns);
}

/** A stratified sample of `size` row indices, in row order: each class keeps its share. */
export function stratifiedSample(labels: readonly (0 | 1)[], size: number, seed: number): number[] {
  const random = seededRandom(seed ^ 0x68e31da4);
  const out: number[] = [];
  for (const cls of [0, 1] as const) {
    const rows = [...labels.keys()].filter((i) => labels[i] === cls);
    out.push(...shuffled(rows, random).slice(0, Math.round((rows.length * size) / labels.length)));
  }
  return out.sort((a, b) => a - b);
}

/** As `crossValidate`, on rows already through `typedRows`. */
function crossValidateTyped(rows: readonly Row[], labels: readonly (0 | 1)[], options: CvOptions, columns: ColumnInfo[]): CvResult {
  const seed = options.seed ?? 0;
  if (options.maxRows && rows.length > options.maxRows && !options.foldOf) {
    const keep = stratifiedSample(labels, options.maxRows, seed);
    const { maxRows: _maxRows, ...rest } = options;
    const sub = crossValidateTyped(
      keep.map((i) => rows[i]!),
      keep.map((i) => labels[i]!),
      rest,
      columns,
    );
    return { ...sub, sampledFrom: rows.length };
  }
  let fold = options.foldOf;
  let k: number;
  if (fold) k = Math.max(...fold) + 1;
  else {
    k = foldCount(labels, options.folds ?? 5);
    if (k < 2) throw new RangeError('cross-validation needs at least 2 rows of each class');
    fold = stratifiedFolds(labels, k, seed);
  }
  const families = options.families ?? FAMILIES;
  const withBaseline = options.baseline ?? true;
  const total = k * (families.length + (withBaseline ? 1 : 0));
  let done = 0;
  const folds: FoldResult[] = [];
  const oof: Partial<Record<ModelFamily, Float64Array>> = {};
  for (const f of families) oof[f] = new Float64Array(rows.length);
  const perFamily: Record<string, { auc: number | null; logLoss: number }[]> = {};
  for (let f = 0; f < k; f++) {
    const trainIdx: number[] = [];
    const testIdx: number[] = [];
    for (let i = 0; i < rows.length; i++) (fold[i] === f ? testIdx : trainIdx).push(i);
    const pick = <T>(xs: readonly T[], idx: number[]): T[] => idx.map((i) => xs[i]!);
    const [trainRows, trainLabels, testRows, testLabels] = [pick(rows, trainIdx), pick(labels, trainIdx), pick(rows, testIdx), pick(labels, testIdx)];
    const result: FoldResult = { rows: testIdx.length, positives: testLabels.reduce<number>((a, b) => a + b, 0), auc: null, logLoss: 0 };
    for (const family of families) {
      const raw = rawScores(fitModel(columns, trainRows, trainLabels, { ...options, seed }, family), testRows);
      testIdx.forEach((row, j) => (oof[family]![row] = raw[j]!));
      const j = judge(raw, testLabels);
      (perFamily[family] ??= []).push(j);
      result[family === 'trees' ? 'treesAuc' : 'logisticAuc'] = j.auc;
      options.onProgress?.(++done, total);
    }
    if (withBaseline) {
      const base = judge(rawScores(fitModel(columns, trainRows, trainLabels, { ...options, ...REFERENCE, seed }, 'logistic'), testRows), testLabels);
      options.onProgress?.(++done, total);
      result.baselineAuc = base.auc;
      result.baselineLogLoss = base.logLoss;
    }
    folds.push(result);
  }
  const scores: FamilyScore[] = families.map((family) => ({ family, auc: meanOrNull(perFamily[family]!.map((j) => j.auc)), logLoss: mean(perFamily[family]!.map((j) => j.logLoss)) }));
  const family = chooseFamily(scores);
  perFamily[family]!.forEach((j, f) => {
    folds[f]!.auc = j.auc;
    folds[f]!.logLoss = j.logLoss;
  });
  const calibration = fitPlatt(oof[family]!, labels);
  const outOfFold = Float64Array.from(oof[family]!, (t) => applyCalibration(calibration, t));
  const chosen = scores.find((s) => s.family === family)!;
  const out: CvResult = {
    auc: chosen.auc,
    logLoss: chosen.logLoss,
    folds,
    rows: rows.length,
    positives: labels.reduce<number>((a, b) => a + b, 0),
    columns,
    family,
    families: scores,
    calibration,
    reliability: reliability(outOfFold, labels),
    outOfFold,
    outOfFoldRaw: oof,
  };
  if (withBaseline) {
    out.baselineAuc = meanOrNull(folds.map((f) => f.baselineAuc));
    out.baselineLogLoss = mean(folds.map((f) => f.baselineLogLoss ?? 0));
  }
  return out;
}

/** The evaluation as the contract has it (folds as AUC and log loss; no columns or per-row scores). */
export function toEvaluation(cv: CvResult, excluded?: readonly ExcludedColumn[]): Evaluation {
  const e: Evaluation = {
    auc: cv.auc,
    logLoss: cv.logLoss,
    folds: cv.folds.map((f) => ({ auc: f.auc, logLoss: f.logLoss })),
    rows: cv.rows,
    positives: cv.positives,
    family: cv.family,
    families: cv.families,
  };
  if (cv.baselineAuc !== undefined) e.baselineAuc = cv.baselineAuc;
  if (cv.reliability) e.reliability = cv.reliability;
  if (excluded?.length) e.excluded = [...excluded];
  return e;
}

export type TrainInput = {
  id: string;
  trainedAt: number;
  label: string;
  rows: readonly Row[];
  /** The rows already went through `typedRows` with these columns (the caller freed the originals). */
  typed?: boolean;
  labels: readonly (0 | 1)[];
  columns?: ColumnInfo[];
  excluded?: readonly ExcludedColumn[];
};

/** Cross-validates both families, then fits the chosen one on every row, calibrated: the model a server or a file keeps. */
export function train(input: TrainInput, options: CvOptions = {}): { model: PredictiveModel; cv: CvResult } {
  const columns = input.columns ?? detectColumns(input.rows);
  const report = options.onProgress;
  // The final fit is one more step after the cross-validation's.
  const rows = input.typed ? input.rows : typedRows(input.rows, columns);
  const cv = crossValidateTyped(rows, input.labels, { ...options, ...(report ? { onProgress: (d, t) => report(d, t + 1) } : {}) }, columns);
  const fitted = fitModel(columns, rows, input.labels, { ...options, seed: options.seed ?? 0 }, cv.family);
  const steps = cv.folds.length * ((options.families ?? FAMILIES).length + (options.baseline === false ? 0 : 1)) + 1;
  report?.(steps, steps);
  return {
    model: { format: PREDICTIVE_FORMAT, id: input.id, trainedAt: input.trainedAt, label: input.label, ...fitted, calibration: cv.calibration, evaluation: toEvaluation(cv, input.excluded) },
    cv,
  };
}

/** A model's AUC on rows it may have been trained on: the bar a new model must reach to replace it. */
export function aucOn(model: Fitted, rows: readonly Row[], labels: readonly (0 | 1)[]): number | null {
  return auc(rows.map((r, i) => ({ score: probability(model, r), label: labels[i]! })));
}
