import type { Csr } from './logistic.ts';
import { logit, meanStd, skewness, z } from './stats.ts';
import { fitTarget, targetRate } from './target.ts';
import { toDateParts, toLevel, toNumber, type ColumnInfo, type Row } from './table.ts';

// Columns to numbers. Every encoder is fitted on training rows only and is plain data, so a
// trained model is JSON and predicting needs nothing but the row. A high-cardinality column's
// target encoding is computed out-of-fold inside the training rows: a row never sees its own
// label through its encoding, which would otherwise make rare levels look perfectly predictive.

export type EncodeOptions = {
  /** Month and year of dates. Off: on real data they mostly say when the data starts, not who converts. */
  absoluteTime?: boolean;
  /** More distinct values than this make a categorical column high-cardinality. */
  maxOneHot?: number;
  /** Levels seen fewer times than this in training become "other". */
  minLevelCount?: number;
  /** Prior weight (in rows) of the smoothed target encoding. */
  smoothing?: number;
  /** Inner folds for the out-of-fold target encoding. */
  innerFolds?: number;
  seed?: number;
  /**
   * `reference`: the baseline's features (one-hot categoricals, frequency for high-cardinality
   * columns, weekday, plain standardised numbers): what a standard logistic regression gets.
   */
  style?: 'ours' | 'reference';
};

export type Encoder =
  | { type: 'numeric'; column: string; log: boolean; mean: number; std: number; indicator: boolean }
  | { type: 'onehot'; column: string; levels: string[]; other: boolean; missing: boolean }
  | {
      type: 'target';
      column: string;
      prior: number;
      smoothing: number;
      /** [level, rows, positives] in training. */
      stats: [string, number, number][];
      enc: { mean: number; std: number };
      freq: { mean: number; std: number };
    }
  | { type: 'frequency'; column: string; counts: [string, number][]; mean: number; std: number }
  | { type: 'date'; column: string; hour: boolean; month: boolean; year: { mean: number; std: number } | null; missing: boolean };

export const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
export const HOURS = ['00-06', '06-12', '12-18', '18-24'] as const;
export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** Feature names of an encoder, in the order `encodeRow` writes them. */
export function featureNames(e: Encoder): string[] {
  switch (e.type) {
    case 'numeric':
      return e.indicator ? [e.column, `${e.column} missing`] : [e.column];
    case 'onehot':
      return [...e.levels.map((l) => `${e.column} = ${l}`), ...(e.other ? [`${e.column} = other`] : []), ...(e.missing ? [`${e.column} missing`] : [])];
    case 'target':
      return [`${e.column} (conversion of its value)`, `${e.column} (frequency)`];
    case 'frequency':
      return [`${e.column} (frequency)`];
    case 'date':
      return [
        ...WEEKDAYS.map((d) => `${e.column} weekday = ${d}`),
        ...(e.hour ? HOURS.map((h) => `${e.column} hour = ${h}`) : []),
        ...(e.month ? MONTHS.map((m) => `${e.column} month = ${m}`) : []),
        ...(e.year ? [`${e.column} year`] : []),
        ...(e.missing ? [`${e.column} missing`] : []),
      ];
  }
}

/** Writes one encoder's features for a row into `out` at `at`; returns the next offset. */
function write(e: Encoder, row: Row, out: Float64Array, at: number, lookup: Lookup): number {
  switch (e.type) {
    case 'numeric': {
      const v = toNumber(row[e.column]);
      // Mean imputation is 0 after standardising; the indicator says the value was missing.
      out[at] = v === undefined ? 0 : z(e.log ? Math.log1p(Math.max(0, v)) : v, e);
      if (e.indicator) out[at + 1] = v === undefined ? 1 : 0;
      return at + (e.indicator ? 2 : 1);
    }
    case 'onehot': {
      const level = toLevel(row[e.column]);
      const width = e.levels.length + (e.other ? 1 : 0) + (e.missing ? 1 : 0);
      if (level === undefined) {
        if (e.missing) out[at + width - 1] = 1;
      } else {
        const i = lookup.levels(e).get(level);
        if (i !== undefined) out[at + i] = 1;
        else if (e.other) out[at + e.levels.length] = 1;
      }
      return at + width;
    }
    case 'target': {
      const level = toLevel(row[e.column]);
      const stat = level === undefined ? undefined : lookup.stats(e).get(level);
      out[at] = z(logit(targetRate(stat, e.prior, e.smoothing)), e.enc);
      out[at + 1] = z(Math.log1p(stat?.n ?? 0), e.freq);
      return at + 2;
    }
    case 'frequency': {
      const level = toLevel(row[e.column]);
      out[at] = z(Math.log1p(level === undefined ? 0 : (lookup.counts(e).get(level) ?? 0)), e);
      return at + 1;
    }
    case 'date': {
      const d = toDateParts(row[e.column]);
      let i = at;
      if (d) out[i + d.weekday] = 1;
      i += 7;
      if (e.hour) {
        if (d) out[i + Math.floor(d.hour / 6)] = 1;
        i += 4;
      }
      if (e.month) {
        if (d) out[i + d.month - 1] = 1;
        i += 12;
      }
      if (e.year) out[i++] = d ? z(d.year, e.year) : 0;
      if (e.missing) out[i++] = d ? 0 : 1;
      return i;
    }
  }
}

/** Maps built once per encoder object, so encoding a row is a few hash lookups. */
type Lookup = {
  levels(e: Extract<Encoder, { type: 'onehot' }>): Map<string, number>;
  stats(e: Extract<Encoder, { type: 'target' }>): Map<string, { n: number; pos: number }>;
  counts(e: Extract<Encoder, { type: 'frequency' }>): Map<string, number>;
};

const cache = new WeakMap<object, unknown>();
function memo<V>(key: object, build: () => V): V {
  if (!cache.has(key)) cache.set(key, build());
  return cache.get(key) as V;
}

const LOOKUP: Lookup = {
  levels: (e) => memo(e, () => new Map(e.levels.map((l, i) => [l, i]))),
  stats: (e) => memo(e, () => new Map(e.stats.map(([l, n, pos]) => [l, { n, pos }]))),
  counts: (e) => memo(e, () => new Map(e.counts)),
};

export type Features = { encoders: Encoder[]; names: string[] };

/** One row as a feature vector. */
export function encodeRow(f: Features, row: Row): Float64Array {
  const out = new Float64Array(f.names.length);
  let at = 0;
  for (const e of f.encoders) at = write(e, row, out, at, LOOKUP);
  return out;
}

export function encodeRows(f: Features, rows: readonly Row[]): Float64Array[] {
  return rows.map((r) => encodeRow(f, r));
}

export type FittedColumn = { encoder: Encoder; /** Out-of-fold replacement values for training rows (target encoding). */ training?: (i: number, out: Float64Array, at: number) => void };

function levelCounts(rows: readonly Row[], column: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of rows) {
    const l = toLevel(r[column]);
    if (l !== undefined) counts.set(l, (counts.get(l) ?? 0) + 1);
  }
  return counts;
}

function fitColumn(col: ColumnInfo, rows: readonly Row[], labels: readonly (0 | 1)[], opts: Required<EncodeOptions>): FittedColumn | undefined {
  const name = col.name;
  if (col.kind === 'numeric') {
    const values = rows.map((r) => toNumber(r[name])).filter((v): v is number => v !== undefined);
    if (values.length === 0) return undefined;
    // Counts and amounts are heavy-tailed; their logarithm keeps one outlier from owning the weight.
    const log = opts.style === 'ours' && values.every((v) => v >= 0) && skewness(values) > 2;
    const s = meanStd(log ? values.map((v) => Math.log1p(v)) : values);
    return { encoder: { type: 'numeric', column: name, log, mean: s.mean, std: s.std, indicator: values.length < rows.length } };
  }
  if (col.kind === 'date') {
    const parts = rows.map((r) => toDateParts(r[name]));
    const present = parts.filter((p) => p !== undefined);
    if (present.length === 0) return undefined;
    const hour = opts.style === 'ours' && present.some((p) => p.hasTime);
    const absolute = opts.absoluteTime;
    return {
      encoder: {
        type: 'date',
        column: name,
        hour,
        month: absolute,
        year: absolute ? meanStd(present.map((p) => p.year)) : null,
        missing: present.length < rows.length,
      },
    };
  }
  if (col.kind !== 'categorical') return undefined;
  const counts = levelCounts(rows, name);
  const kept = [...counts].filter(([, n]) => n >= opts.minLevelCount).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const missing = rows.some((r) => toLevel(r[name]) === undefined);
  // Many distinct values (pages, titles) go to a target or frequency encoding even when each
  // is rare, since one-hot would then send nearly all of them to "other".
  if (counts.size <= opts.maxOneHot) {
    return {
      encoder: { type: 'onehot', column: name, levels: kept.map(([l]) => l), other: kept.length < counts.size, missing },
    };
  }
  if (opts.style === 'reference') {
    // What scikit-learn's OneHotEncoder(min_frequency) gives a plain regression: the frequent
    // values one-hot (the 100 most frequent at most), the rest as "other".
    const top = kept.slice(0, 100);
    return { encoder: { type: 'onehot', column: name, levels: top.map(([l]) => l), other: top.length < counts.size, missing } };
  }
  return fitTarget(name, rows, labels, opts);
}

export const DEFAULT_ENCODE: Required<EncodeOptions> = {
  absoluteTime: false,
  maxOneHot: 20,
  minLevelCount: 10,
  smoothing: 20,
  innerFolds: 5,
  seed: 0,
  style: 'ours',
};

/**
 * Fits encoders on training rows and encodes those rows, with out-of-fold values where an
 * encoder uses the label. Rows to evaluate or predict go through `encodeRows` afterwards.
 */
export function fitFeatures(
  columns: readonly ColumnInfo[],
  rows: readonly Row[],
  labels: readonly (0 | 1)[],
  options: EncodeOptions = {},
): Features & { training: Float64Array[] } {
  const training: Float64Array[] = [];
  const features = fitEach(columns, rows, labels, options, (_, x) => training.push(x.slice()));
  return { ...features, training };
}

/** As `fitFeatures`, with the training rows as sparse rows: 200,000 dense rows of a few hundred features would not fit in memory. */
export function fitFeaturesSparse(columns: readonly ColumnInfo[], rows: readonly Row[], labels: readonly (0 | 1)[], options: EncodeOptions = {}): Features & { training: Csr } {
  const indptr = new Int32Array(rows.length + 1);
  let indices = new Int32Array(rows.length * 8);
  let values = new Float64Array(rows.length * 8);
  let at = 0;
  const features = fitEach(columns, rows, labels, options, (i, x) => {
    for (let j = 0; j < x.length; j++) {
      if (x[j] === 0) continue;
      if (at === indices.length) {
        const moreIndices = new Int32Array(indices.length * 2);
        moreIndices.set(indices);
        indices = moreIndices;
        const moreValues = new Float64Array(values.length * 2);
        moreValues.set(values);
        values = moreValues;
      }
      indices[at] = j;
      values[at++] = x[j]!;
    }
    indptr[i + 1] = at;
  });
  return { ...features, training: { n: rows.length, p: features.names.length, indptr, indices: indices.slice(0, at), values: values.slice(0, at) } };
}

function fitEach(columns: readonly ColumnInfo[], rows: readonly Row[], labels: readonly (0 | 1)[], options: EncodeOptions, each: (i: number, x: Float64Array) => void): Features {
  const opts = { ...DEFAULT_ENCODE, ...options };
  // A level must be seen a few times to get its own weight, and at least twice whatever the table's size.
  opts.minLevelCount = Math.max(2, Math.min(opts.minLevelCount, Math.ceil(rows.length * 0.01)));
  const fitted = columns.map((c) => fitColumn(c, rows, labels, opts)).filter((f): f is FittedColumn => f !== undefined);
  const encoders = fitted.map((f) => f.encoder);
  const features: Features = { encoders, names: encoders.flatMap(featureNames) };
  const out = new Float64Array(features.names.length);
  rows.forEach((row, i) => {
    out.fill(0);
    let at = 0;
    for (const f of fitted) {
      const next = write(f.encoder, row, out, at, LOOKUP);
      f.training?.(i, out, at);
      at = next;
    }
    each(i, out);
  });
  return features;
}
