import type { EncodeOptions, FittedColumn } from './encode.ts';
import { seededRandom, shuffled } from '../random.ts';
import { logit, meanStd, z } from './stats.ts';
import { toLevel, type Row } from './table.ts';

// Smoothed target encoding for columns with many values (landing pages, job titles): the
// logit of the value's conversion rate, pulled towards the base rate by `smoothing` rows,
// plus how often the value occurs. Training rows get out-of-fold values: each one's
// encoding comes from the other inner folds, so it never contains the row's own label.

export function targetRate(stat: { n: number; pos: number } | undefined, prior: number, m: number): number {
  return ((stat?.pos ?? 0) + m * prior) / ((stat?.n ?? 0) + m);
}

function statsOf(rows: readonly Row[], labels: readonly (0 | 1)[], column: string, indices: Iterable<number>): Map<string, { n: number; pos: number }> {
  const stats = new Map<string, { n: number; pos: number }>();
  for (const i of indices) {
    const l = toLevel(rows[i]![column]);
    if (l === undefined) continue;
    const s = stats.get(l) ?? { n: 0, pos: 0 };
    s.n++;
    s.pos += labels[i]!;
    stats.set(l, s);
  }
  return stats;
}

export function fitTarget(column: string, rows: readonly Row[], labels: readonly (0 | 1)[], opts: Required<EncodeOptions>): FittedColumn {
  const n = rows.length;
  const positives = labels.reduce<number>((a, b) => a + b, 0);
  // Clamped so the logit stays finite on a training set of one class.
  const prior = Math.min(1 - 1e-6, Math.max(1e-6, positives / Math.max(1, n)));
  const m = opts.smoothing;
  const full = statsOf(rows, labels, column, rows.keys());
  // Out-of-fold: each training row's encoding comes from the other inner folds' rows.
  const k = Math.max(2, Math.min(opts.innerFolds, n));
  const order = shuffled([...rows.keys()], seededRandom(opts.seed ^ 0x9e3779b9));
  const foldOf = new Int32Array(n);
  order.forEach((row, pos) => (foldOf[row] = pos % k));
  const foldStats = Array.from({ length: k }, (_, f) => statsOf(rows, labels, column, [...rows.keys()].filter((i) => foldOf[i] !== f)));
  const oofEnc = rows.map((r, i) => {
    const l = toLevel(r[column]);
    return logit(targetRate(l === undefined ? undefined : foldStats[foldOf[i]!]!.get(l), prior, m));
  });
  const freq = rows.map((r) => {
    const l = toLevel(r[column]);
    const seen = l === undefined ? 0 : (full.get(l)?.n ?? 0);
    return Math.log1p(seen >= 2 ? seen : 0); // as predictions will see it: one-offs are not kept
  });
  const enc = meanStd(oofEnc);
  const freqStats = meanStd(freq);
  // Values seen once are left out of the stored model: they move an encoding by almost
  // nothing, and a model must not keep a one-off job title after its lead is erased.
  const stats: [string, number, number][] = [...full]
    .filter(([, s]) => s.n >= 2)
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([l, s]) => [l, s.n, s.pos]);
  return {
    encoder: { type: 'target', column, prior, smoothing: m, stats, enc, freq: freqStats },
    training: (i, out, at) => {
      out[at] = z(oofEnc[i]!, enc);
    },
  };
}
