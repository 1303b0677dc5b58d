import { z } from 'zod';
import type { Prediction } from '../contracts/lead.ts';
import { Evaluation, ModelFamily } from '../contracts/marketing.ts';
import { encodeRow, fitFeaturesSparse, type EncodeOptions, type Encoder } from './encode.ts';
import { factorGroups } from './factors.ts';
import { fitLogistic, linear, sigmoid, type LogisticOptions } from './logistic.ts';
import { toLevel, toNumber, type ColumnInfo, type Row } from './table.ts';
import { fitTrees, treeContributions, treeLogOdds, type TreeOptions } from './trees.ts';

// A trained predictive model as JSON: the fitted encoders, the coefficients and the mean of
// each feature on the training rows (the "average lead" factors are measured against), or
// the boosted trees; and the calibration fitted on out-of-fold scores.
// Stored in the database by the server and written to a file by `leadglow train --out`.

const Stats = z.object({ mean: z.number(), std: z.number() });
const EncoderSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('numeric'), column: z.string(), log: z.boolean(), mean: z.number(), std: z.number(), indicator: z.boolean() }),
  z.object({ type: z.literal('onehot'), column: z.string(), levels: z.array(z.string()), other: z.boolean(), missing: z.boolean() }),
  z.object({
    type: z.literal('target'),
    column: z.string(),
    prior: z.number(),
    smoothing: z.number(),
    stats: z.array(z.tuple([z.string(), z.number(), z.number()])),
    enc: Stats,
    freq: Stats,
  }),
  z.object({ type: z.literal('frequency'), column: z.string(), counts: z.array(z.tuple([z.string(), z.number()])), mean: z.number(), std: z.number() }),
  z.object({ type: z.literal('date'), column: z.string(), hour: z.boolean(), month: z.boolean(), year: Stats.nullable(), missing: z.boolean() }),
]);

export const PREDICTIVE_FORMAT = 'leadglow-predictive/1';

const TreeFeatureSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('number'), column: z.string(), edges: z.array(z.number()) }),
  z.object({ type: z.literal('level'), column: z.string(), levels: z.array(z.string()) }),
  z.object({ type: z.literal('weekday'), column: z.string() }),
  z.object({ type: z.literal('hour'), column: z.string() }),
]);
const TreeSchema = z.object({
  feature: z.array(z.number().int()),
  threshold: z.array(z.number()),
  missingLeft: z.array(z.number().int()),
  cats: z.array(z.array(z.number().int())),
  left: z.array(z.number().int()),
  right: z.array(z.number().int()),
  value: z.array(z.number()),
});
const TreeModelSchema = z.object({ features: z.array(TreeFeatureSchema), init: z.number(), trees: z.array(TreeSchema) });

export const PredictiveModel = z
  .object({
    format: z.literal(PREDICTIVE_FORMAT),
    id: z.string().min(1).max(100),
    trainedAt: z.number(),
    /** What the label was: a column name, or `outcome` for server leads. */
    label: z.string(),
    /** Models from before families are logistic. */
    family: ModelFamily.default('logistic'),
    /** Logistic family: encoders, one weight and one training mean per feature. Trees: empty. */
    encoders: z.array(EncoderSchema),
    names: z.array(z.string()),
    intercept: z.number(),
    weights: z.array(z.number()),
    center: z.array(z.number()),
    trees: TreeModelSchema.optional(),
    /** Platt scaling fitted on out-of-fold log-odds: p = sigmoid(a·t + b). */
    calibration: z.object({ a: z.number(), b: z.number() }).optional(),
    evaluation: Evaluation,
  })
  .refine((m) => (m.family === 'trees' ? m.trees !== undefined : m.weights.length === m.names.length && m.center.length === m.names.length), {
    error: 'a logistic model needs one weight and centre per feature; a trees model needs its trees',
  });
export type PredictiveModel = z.infer<typeof PredictiveModel>;

export type FitOptions = EncodeOptions & LogisticOptions & { tree?: TreeOptions };

export type Fitted = Pick<PredictiveModel, 'family' | 'encoders' | 'names' | 'intercept' | 'weights' | 'center' | 'trees' | 'calibration'>;

/** Fits encoders and coefficients (or trees) on these rows (the evaluation is cv.ts's job). */
export function fitModel(columns: readonly ColumnInfo[], rows: readonly Row[], labels: readonly (0 | 1)[], options: FitOptions = {}, family: ModelFamily = 'logistic'): Fitted {
  if (family === 'trees') {
    const { iterations: _iterations, ...trees } = fitTrees(columns, rows, labels, { ...options.tree, seed: options.seed ?? 0 });
    return { family, encoders: [], names: [...new Set(trees.features.map((f) => f.column))], intercept: 0, weights: [], center: [], trees };
  }
  const f = fitFeaturesSparse(columns, rows, labels, options);
  const fit = fitLogistic(f.training, labels, options);
  const center = new Float64Array(f.names.length);
  const x = f.training;
  for (let k = 0; k < x.indptr[x.n]!; k++) center[x.indices[k]!] = center[x.indices[k]!]! + x.values[k]!;
  return { family, encoders: f.encoders as Encoder[], names: f.names, intercept: fit.intercept, weights: fit.weights, center: Array.from(center, (v) => v / Math.max(1, x.n)) };
}

/** The model's log-odds before calibration (what cross-validation ranks and calibration maps). */
export function rawScore(m: Fitted, row: Row): number {
  if (m.family === 'trees' && m.trees) return treeLogOdds(m.trees, row);
  return linear(m, encodeRow(m, row));
}

export function calibrated(m: Pick<Fitted, 'calibration'>, raw: number): number {
  return sigmoid(m.calibration ? m.calibration.a * raw + m.calibration.b : raw);
}

export function probability(m: Fitted, row: Row): number {
  return calibrated(m, rawScore(m, row));
}

function shown(cell: Row[string]): string | number | null {
  const v = toNumber(cell);
  if (v !== undefined) return Number(v.toFixed(2));
  const l = toLevel(cell);
  return l === undefined ? null : l.length > 40 ? `${l.slice(0, 39)}…` : l;
}

/** Each column's share of the log-odds against the average training lead. */
function contributions(m: Fitted, row: Row): { feature: string; weight: number; column: string; value: string | number | null }[] {
  if (m.family === 'trees' && m.trees) {
    const { contributions: c } = treeContributions(m.trees, row);
    const byColumn = new Map<string, number>();
    m.trees.features.forEach((f, j) => byColumn.set(f.column, (byColumn.get(f.column) ?? 0) + c[j]!));
    return [...byColumn].map(([column, weight]) => {
      const value = shown(row[column]);
      return { feature: `${column} = ${value ?? 'missing'}`, weight, column, value };
    });
  }
  const x = encodeRow(m, row);
  return factorGroups(m, row).map((g) => ({
    feature: g.label,
    weight: g.indices.reduce((a, j) => a + m.weights[j]! * (x[j]! - m.center[j]!), 0),
    column: g.column,
    value: shown(row[g.column]),
  }));
}

/**
 * The calibrated probability and the factors that move it most: each factor is one column's
 * (or one date part's) contribution to the log-odds, against the average training lead
 * (logistic: weight × distance from the training mean; trees: path contributions).
 */
export function predict(m: Fitted & { id: string }, row: Row, topFactors = 5): Prediction {
  const factors = contributions(m, row)
    .filter((f) => Math.abs(f.weight) >= 0.01)
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight) || (a.feature < b.feature ? -1 : 1))
    .slice(0, topFactors)
    .map((f) => ({ feature: f.feature, weight: Math.round(f.weight * 1000) / 1000, column: f.column, value: f.value }));
  return { probability: probability(m, row), factors, modelId: m.id };
}

/** The features with the largest weights (logistic), or the columns used most (trees), for the CLI. */
export function topWeights(m: Fitted, count = 10): { feature: string; weight: number }[] {
  if (m.family === 'trees' && m.trees) {
    // Total absolute change in node value at each column's splits: how much the trees lean on it.
    const use = new Map<string, number>();
    for (const t of m.trees.trees) {
      t.feature.forEach((f, node) => {
        if (f < 0) return;
        const col = m.trees!.features[f]!.column;
        const gain = Math.abs(t.value[t.left[node]!]! - t.value[node]!) + Math.abs(t.value[t.right[node]!]! - t.value[node]!);
        use.set(col, (use.get(col) ?? 0) + gain);
      });
    }
    return [...use].map(([feature, weight]) => ({ feature, weight })).sort((a, b) => b.weight - a.weight).slice(0, count);
  }
  return m.names
    .map((feature, j) => ({ feature, weight: m.weights[j]! }))
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight))
    .slice(0, count);
}
