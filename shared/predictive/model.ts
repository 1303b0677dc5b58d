import { z } from 'zod';
import type { Prediction } from '../contracts/lead.ts';
import { Evaluation } from '../contracts/marketing.ts';
import { encodeRow, fitFeatures, type EncodeOptions, type Encoder } from './encode.ts';
import { factorGroups } from './factors.ts';
import { fitLogistic, linear, sigmoid, type LogisticOptions } from './logistic.ts';
import type { ColumnInfo, Row } from './table.ts';

// A trained predictive model as JSON: the fitted encoders, the coefficients and the mean of
// each feature on the training rows (the "average lead" factors are measured against).
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

export const PredictiveModel = z
  .object({
    format: z.literal(PREDICTIVE_FORMAT),
    id: z.string().min(1).max(100),
    trainedAt: z.number(),
    /** What the label was: a column name, or `outcome` for server leads. */
    label: z.string(),
    encoders: z.array(EncoderSchema),
    names: z.array(z.string()),
    intercept: z.number(),
    weights: z.array(z.number()),
    center: z.array(z.number()),
    evaluation: Evaluation,
  })
  .refine((m) => m.weights.length === m.names.length && m.center.length === m.names.length, { error: 'weights, center and names must have one entry per feature' });
export type PredictiveModel = z.infer<typeof PredictiveModel>;

export type FitOptions = EncodeOptions & LogisticOptions;

export type Fitted = Pick<PredictiveModel, 'encoders' | 'names' | 'intercept' | 'weights' | 'center'>;

/** Fits encoders and coefficients on these rows (the evaluation is cv.ts's job). */
export function fitModel(columns: readonly ColumnInfo[], rows: readonly Row[], labels: readonly (0 | 1)[], options: FitOptions = {}): Fitted {
  const f = fitFeatures(columns, rows, labels, options);
  const fit = fitLogistic(f.training, labels, options);
  const center = f.names.map((_, j) => f.training.reduce((a, x) => a + x[j]!, 0) / Math.max(1, f.training.length));
  return { encoders: f.encoders as Encoder[], names: f.names, intercept: fit.intercept, weights: fit.weights, center };
}

export function probability(m: Fitted, row: Row): number {
  return sigmoid(linear(m, encodeRow(m, row)));
}

/**
 * The probability and the factors that move it most: each factor is one column's (or one
 * date part's) contribution to the log-odds, against the average training lead.
 */
export function predict(m: Fitted & { id: string }, row: Row, topFactors = 5): Prediction {
  const x = encodeRow(m, row);
  const factors = factorGroups(m, row)
    .map((g) => ({ feature: g.label, weight: g.indices.reduce((a, j) => a + m.weights[j]! * (x[j]! - m.center[j]!), 0) }))
    .filter((f) => Math.abs(f.weight) >= 0.01)
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight) || (a.feature < b.feature ? -1 : 1))
    .slice(0, topFactors)
    .map((f) => ({ feature: f.feature, weight: Math.round(f.weight * 1000) / 1000 }));
  return { probability: sigmoid(linear(m, x)), factors, modelId: m.id };
}

/** The features with the largest weights, for a model's summary (CLI output). */
export function topWeights(m: Fitted, count = 10): { feature: string; weight: number }[] {
  return m.names
    .map((feature, j) => ({ feature, weight: m.weights[j]! }))
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight))
    .slice(0, count);
}
