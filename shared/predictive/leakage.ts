import { toLevel, toNumber, type ColumnInfo, type Row } from './table.ts';
import { aucOfScores } from '../analytics/classifier-metrics.ts';

// Columns that would make a model look good for the wrong reason: identifiers and sequence
// numbers (a lead number grows with time, and time says when the data starts, not who
// converts), and columns that predict the outcome almost perfectly on their own, which in a
// CRM export nearly always means they were filled in by sales after the fact ("Tags",
// "Lead Quality", "Closed reason"). They are left out by default and named; `keep` overrides.

export type Suspect = { column: string; why: 'identifier' | 'sequence' | 'too-predictive'; auc?: number };

/** A single column's AUC above this is treated as filled in after the outcome. */
export const LEAKY_AUC = 0.95;

/** Whole numbers almost all different: a lead number, a row number, a timestamp. */
function isSequence(rows: readonly Row[], column: string): boolean {
  let present = 0;
  let integers = 0;
  const distinct = new Set<number>();
  for (const r of rows) {
    const v = toNumber(r[column]);
    if (v === undefined) continue;
    present++;
    if (Number.isInteger(v)) integers++;
    distinct.add(v);
  }
  return present >= 20 && integers === present && distinct.size >= 0.95 * present;
}

/**
 * AUC of one column alone, at its better orientation: numbers by value (missing lowest),
 * categories by their conversion rate measured on the other half of the rows, so a column
 * of unique values scores 0.5 rather than 1.
 */
export function singleColumnAuc(rows: readonly Row[], labels: readonly (0 | 1)[], col: ColumnInfo): number | null {
  let scores: Float64Array;
  if (col.kind === 'numeric') {
    scores = Float64Array.from(rows, (r) => toNumber(r[col.name]) ?? -Infinity);
  } else {
    const halves = [new Map<string, [number, number]>(), new Map<string, [number, number]>()];
    rows.forEach((r, i) => {
      const l = toLevel(r[col.name]) ?? '\u0000missing';
      const m = halves[i % 2]!;
      const s = m.get(l) ?? [0, 0];
      s[0]++;
      s[1] += labels[i]!;
      m.set(l, s);
    });
    const prior = labels.reduce<number>((a, b) => a + b, 0) / Math.max(1, labels.length);
    scores = Float64Array.from(rows, (r, i) => {
      const s = halves[1 - (i % 2)]!.get(toLevel(r[col.name]) ?? '\u0000missing');
      return ((s?.[1] ?? 0) + prior) / ((s?.[0] ?? 0) + 1);
    });
  }
  const a = aucOfScores(scores, labels);
  return a === null ? null : Math.max(a, 1 - a);
}

/** The columns to leave out, with why; `keep` names columns the user vouches for. */
export function findSuspects(rows: readonly Row[], labels: readonly (0 | 1)[], columns: readonly ColumnInfo[], keep: readonly string[] = []): Suspect[] {
  const kept = new Set(keep.map((k) => k.toLowerCase()));
  const out: Suspect[] = [];
  for (const col of columns) {
    if (kept.has(col.name.toLowerCase()) || col.kind === 'constant') continue;
    if (col.kind === 'id') {
      out.push({ column: col.name, why: 'identifier' });
      continue;
    }
    if (col.kind === 'numeric' && isSequence(rows, col.name)) {
      out.push({ column: col.name, why: 'sequence' });
      continue;
    }
    const a = singleColumnAuc(rows, labels, col);
    if (a !== null && a > LEAKY_AUC) out.push({ column: col.name, why: 'too-predictive', auc: a });
  }
  return out;
}

/** One line per suspect, for the CLI. */
export function describeSuspect(s: Suspect): string {
  switch (s.why) {
    case 'identifier':
      return `"${s.column}" looks like an identifier (almost every value different)`;
    case 'sequence':
      return `"${s.column}" looks like a sequence number (whole numbers, almost all different)`;
    case 'too-predictive':
      return `"${s.column}" alone has AUC ${s.auc!.toFixed(3)} (over ${LEAKY_AUC}): probably filled in after the outcome`;
  }
}

/**
 * Columns to use: every column but the suspects, except that a kept identifier becomes a
 * category and a kept sequence stays a number.
 */
export function withoutSuspects(columns: readonly ColumnInfo[], suspects: readonly Suspect[], keep: readonly string[] = []): ColumnInfo[] {
  const out = new Set(suspects.map((s) => s.column));
  const kept = new Set(keep.map((k) => k.toLowerCase()));
  return columns.filter((c) => !out.has(c.name)).map((c) => (c.kind === 'id' && kept.has(c.name.toLowerCase()) ? { ...c, kind: 'categorical' as const } : c));
}
