// Metrics for judging a scorer against outcomes: pure functions over scores and 0/1 labels.
// Ties are handled the standard way (a tied positive/negative pair counts one half), so a
// constant scorer gets AUC 0.5 rather than whatever order the input happened to be in.

export type Scored = { score: number; label: 0 | 1 };

/** Area under the ROC curve (the Mann-Whitney U statistic); null without both classes. */
export function auc(items: readonly Scored[]): number | null {
  return aucOfScores(Float64Array.from(items, (i) => i.score), items.map((i) => i.label));
}

/**
 * `auc` over parallel arrays: the leakage guard scores every column of a table this way, where
 * an object per row per column was most of the memory a 200,000-row training peaked at.
 */
export function aucOfScores(scores: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  const order = new Uint32Array(scores.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => scores[a]! - scores[b]!);
  let pos = 0;
  let neg = 0;
  let rankSum = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && scores[order[j]!] === scores[order[i]!]) j++;
    const midRank = (i + 1 + j) / 2; // ranks i+1..j share their mean
    for (let k = i; k < j; k++) {
      if (labels[order[k]!] === 1) {
        pos++;
        rankSum += midRank;
      } else neg++;
    }
    i = j;
  }
  if (pos === 0 || neg === 0) return null;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Best scores first; a stable sort, so equal scores keep their order (which no figure below depends on). */
function bestFirst(items: readonly Scored[]): Scored[] {
  return [...items].sort((a, b) => b.score - a.score);
}

/** The ROC curve from (0,0) to (1,1), one point per distinct score, best scores first. */
export function roc(items: readonly Scored[]): { fpr: number; tpr: number }[] {
  return rocOfSorted(bestFirst(items));
}

function rocOfSorted(sorted: readonly Scored[]): { fpr: number; tpr: number }[] {
  const pos = sorted.filter((s) => s.label === 1).length;
  const neg = sorted.length - pos;
  const points = [{ fpr: 0, tpr: 0 }];
  if (pos === 0 || neg === 0) return points;
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j]!.score === sorted[i]!.score) {
      if (sorted[j]!.label === 1) tp++;
      else fp++;
      j++;
    }
    points.push({ fpr: fp / neg, tpr: tp / pos });
    i = j;
  }
  return points;
}

const LIFT_DEPTHS = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

/**
 * Lift at each depth (share of leads taken, best scored first): the conversion among them
 * over the overall conversion. Ties at the cut are taken by their share, so order among equal
 * scores does not matter.
 */
export function lift(items: readonly Scored[], depths: readonly number[] = LIFT_DEPTHS): { depth: number; lift: number }[] {
  return liftOfSorted(bestFirst(items), depths);
}

function liftOfSorted(sorted: readonly Scored[], depths: readonly number[]): { depth: number; lift: number }[] {
  const n = sorted.length;
  const pos = sorted.filter((s) => s.label === 1).length;
  if (n === 0 || pos === 0) return [];
  const base = pos / n;
  return depths.map((depth) => {
    const take = depth * n;
    let taken = 0;
    let hits = 0;
    for (let i = 0; i < sorted.length && taken < take; ) {
      let j = i;
      let groupHits = 0;
      while (j < sorted.length && sorted[j]!.score === sorted[i]!.score) groupHits += sorted[j++]!.label;
      const size = j - i;
      const share = Math.min(1, (take - taken) / size);
      taken += size * share;
      hits += groupHits * share;
      i = j;
    }
    return { depth, lift: taken > 0 ? hits / taken / base : 0 };
  });
}

/**
 * auc over items already best first: the same ranks as aucOfScores counts from the lowest
 * score (a tied group at positions i..j-1 from the top holds ranks n-j+1..n-i from the bottom),
 * and sums of half ranks are exact, so the value is aucOfScores's to the bit.
 */
function aucOfSorted(sorted: readonly Scored[]): number | null {
  const n = sorted.length;
  let pos = 0;
  let neg = 0;
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j < n && sorted[j]!.score === sorted[i]!.score) j++;
    const midRank = (n - j + 1 + (n - i)) / 2;
    for (let k = i; k < j; k++) {
      if (sorted[k]!.label === 1) {
        pos++;
        rankSum += midRank;
      } else neg++;
    }
    i = j;
  }
  if (pos === 0 || neg === 0) return null;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/**
 * AUC, ROC and lift of one scorer from one sort, as auc, roc and lift give them: a report's last
 * step runs on the event loop, and three sorts of 10k outcomes per curve were most of it.
 */
export function curveFigures(items: readonly Scored[]): { auc: number | null; roc: { fpr: number; tpr: number }[]; lift: { depth: number; lift: number }[] } {
  const sorted = bestFirst(items);
  return { auc: aucOfSorted(sorted), roc: rocOfSorted(sorted), lift: liftOfSorted(sorted, LIFT_DEPTHS) };
}

/** Precision and recall when every score at or above `threshold` is called positive. */
export function precisionRecall(items: readonly Scored[], threshold: number): { precision: number | null; recall: number | null } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const s of items) {
    const called = s.score >= threshold;
    if (called && s.label === 1) tp++;
    else if (called) fp++;
    else if (s.label === 1) fn++;
  }
  return { precision: tp + fp ? tp / (tp + fp) : null, recall: tp + fn ? tp / (tp + fn) : null };
}

/** Mean negative log-likelihood of probabilities, clipped away from 0 and 1 so one sure miss stays finite. */
export function logLoss(items: readonly { p: number; label: 0 | 1 }[]): number {
  if (items.length === 0) return 0;
  let sum = 0;
  for (const { p, label } of items) {
    const q = Math.min(1 - 1e-15, Math.max(1e-15, p));
    sum -= label === 1 ? Math.log(q) : Math.log(1 - q);
  }
  return sum / items.length;
}
