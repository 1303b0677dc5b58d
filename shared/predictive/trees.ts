import { seededRandom, shuffled } from '../random.ts';
import { toDateParts, toLevel, toNumber, type ColumnInfo, type Row } from './table.ts';

// Histogram gradient-boosted trees for log loss, in the manner of LightGBM and scikit-learn's
// HistGradientBoostingClassifier: each column is cut into at most 255 bins on the training
// rows (numbers at quantiles, categories by level, with bin 0 for missing), trees grow
// best-first to `maxLeaves` leaves from gradient/hessian histograms (a child's histogram is its
// parent's minus its sibling's), categories split natively (levels ordered by gradient
// ratio, as LightGBM does), and boosting stops early when the loss on an inner validation
// split has not improved for `patience` rounds. Every node keeps its value, so a prediction
// can be split into per-column contributions along its path (Saabas path attribution:
// the contributions and the bias add up to the log-odds exactly).

export type TreeFeature =
  | { type: 'number'; column: string; edges: number[] }
  | { type: 'level'; column: string; levels: string[] }
  | { type: 'weekday'; column: string }
  | { type: 'hour'; column: string };

/** One tree as parallel arrays; a leaf has feature -1. `cats[i]` lists the bins that go left at a category split. */
export type Tree = {
  feature: number[];
  threshold: number[];
  missingLeft: number[];
  cats: number[][];
  left: number[];
  right: number[];
  value: number[];
};

export type TreeModel = { features: TreeFeature[]; init: number; trees: Tree[] };

export type TreeOptions = {
  learningRate?: number;
  maxIterations?: number;
  maxLeaves?: number;
  minSamplesLeaf?: number;
  l2?: number;
  /** Share of the rows held out to decide when to stop. */
  validationShare?: number;
  patience?: number;
  maxBins?: number;
  seed?: number;
  /**
   * Gradient-based one-side sampling (LightGBM's GOSS) once there are more training rows than
   * `above`: each tree is grown on the `top` share of rows with the largest gradients plus a
   * random `other` share of the rest, whose gradients count (1 − top) / other times. Below
   * that, every tree sees every row.
   */
  goss?: { above: number; top: number; other: number };
};

export const TREE_DEFAULTS: Required<TreeOptions> = {
  learningRate: 0.1,
  // Twice scikit-learn's max_iter; on the real datasets early stopping ends at 25 to 65.
  maxIterations: 200,
  maxLeaves: 31,
  minSamplesLeaf: 20,
  l2: 1,
  validationShare: 0.1,
  patience: 15,
  maxBins: 255,
  seed: 0,
  goss: { above: 50_000, top: 0.2, other: 0.1 },
};

const CAT_SMOOTH = 10;

function binCount(f: TreeFeature): number {
  switch (f.type) {
    case 'number':
      return f.edges.length + 2;
    case 'level':
      return f.levels.length + 2;
    case 'weekday':
      return 8;
    case 'hour':
      return 25;
  }
}

const ordered = (f: TreeFeature): boolean => f.type === 'number' || f.type === 'hour';

/** Bin of a cell: 0 missing, then 1.. in order (numbers, hours) or by level (categories, weekdays). */
export function binOf(f: TreeFeature, cell: Row[string], levelIndex?: Map<string, number>): number {
  switch (f.type) {
    case 'number': {
      const v = toNumber(cell);
      if (v === undefined) return 0;
      const e = f.edges;
      let lo = 0;
      let hi = e.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (e[mid]! < v) lo = mid + 1;
        else hi = mid;
      }
      return lo + 1;
    }
    case 'level': {
      const l = toLevel(cell);
      if (l === undefined) return 0;
      const i = levelIndex ? levelIndex.get(l) : f.levels.indexOf(l);
      return i === undefined || i < 0 ? f.levels.length + 1 : i + 1;
    }
    case 'weekday': {
      const d = toDateParts(cell);
      return d ? d.weekday + 1 : 0;
    }
    case 'hour': {
      const d = toDateParts(cell);
      return d ? d.hour + 1 : 0;
    }
  }
}

/** Bins of numbers: between distinct values when there are few, else at quantiles. */
function numberEdges(values: Float64Array, maxBins: number): number[] {
  const sorted = Float64Array.from(values).sort();
  const distinct: number[] = [];
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]!);
  const edges: number[] = [];
  if (distinct.length <= maxBins) {
    for (let i = 1; i < distinct.length; i++) edges.push((distinct[i - 1]! + distinct[i]!) / 2);
    return edges;
  }
  for (let q = 1; q < maxBins; q++) {
    const v = sorted[Math.floor((q * sorted.length) / maxBins)]!;
    if (edges.length === 0 || v > edges[edges.length - 1]!) edges.push(v);
  }
  return edges;
}

/** Tree features for the usable columns, fitted on training rows. */
export function fitTreeFeatures(columns: readonly ColumnInfo[], rows: readonly Row[], maxBins = TREE_DEFAULTS.maxBins): TreeFeature[] {
  const out: TreeFeature[] = [];
  const minLevel = Math.max(2, Math.min(10, Math.ceil(rows.length * 0.001)));
  for (const c of columns) {
    if (c.kind === 'numeric') {
      const values: number[] = [];
      for (const r of rows) {
        const v = toNumber(r[c.name]);
        if (v !== undefined) values.push(v);
      }
      if (values.length) out.push({ type: 'number', column: c.name, edges: numberEdges(Float64Array.from(values), maxBins) });
    } else if (c.kind === 'categorical') {
      const counts = new Map<string, number>();
      for (const r of rows) {
        const l = toLevel(r[c.name]);
        if (l !== undefined) counts.set(l, (counts.get(l) ?? 0) + 1);
      }
      const levels = [...counts]
        .filter(([, n]) => n >= minLevel)
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, maxBins - 2)
        .map(([l]) => l);
      if (levels.length) out.push({ type: 'level', column: c.name, levels });
    } else if (c.kind === 'date') {
      out.push({ type: 'weekday', column: c.name });
      if (c.hasTime) out.push({ type: 'hour', column: c.name });
    }
  }
  return out;
}

const levelMaps = new WeakMap<TreeFeature, Map<string, number>>();
function levelMap(f: TreeFeature): Map<string, number> | undefined {
  if (f.type !== 'level') return undefined;
  let m = levelMaps.get(f);
  if (!m) levelMaps.set(f, (m = new Map(f.levels.map((l, i) => [l, i]))));
  return m;
}

/** Rows as bins, row-major (feature f of row i at i·features + f): a row's bins are read together when building histograms. */
export function binRows(features: readonly TreeFeature[], rows: readonly Row[]): Uint8Array {
  const n = rows.length;
  const nf = features.length;
  const out = new Uint8Array(nf * n);
  features.forEach((f, j) => {
    const map = levelMap(f);
    for (let i = 0; i < n; i++) out[i * nf + j] = binOf(f, rows[i]![f.column], map);
  });
  return out;
}

function rowBins(features: readonly TreeFeature[], row: Row): Uint8Array {
  const out = new Uint8Array(features.length);
  features.forEach((f, j) => (out[j] = binOf(f, row[f.column], levelMap(f))));
  return out;
}

// Category splits as 256-entry masks, built once per tree: a lookup per node on the hot path.
const masks = new WeakMap<Tree, (Uint8Array | undefined)[]>();
function maskOf(tree: Tree): (Uint8Array | undefined)[] {
  let m = masks.get(tree);
  if (!m) {
    m = tree.cats.map((cats) => {
      if (!cats.length) return undefined;
      const mask = new Uint8Array(256);
      for (const c of cats) mask[c] = 1;
      return mask;
    });
    masks.set(tree, m);
  }
  return m;
}

function goesLeft(tree: Tree, mask: (Uint8Array | undefined)[], node: number, bin: number): boolean {
  const cats = mask[node];
  if (cats) return cats[bin] === 1;
  if (bin === 0) return tree.missingLeft[node] === 1;
  return bin <= tree.threshold[node]!;
}

/** The log-odds of a row whose bins start at `base` (`mask`: the tree's category masks, looked up once per tree by the caller). */
function treeValue(tree: Tree, bins: ArrayLike<number>, base: number, mask = maskOf(tree)): number {
  let node = 0;
  while (tree.feature[node]! >= 0) {
    const b = bins[base + tree.feature[node]!]!;
    node = goesLeft(tree, mask, node, b) ? tree.left[node]! : tree.right[node]!;
  }
  return tree.value[node]!;
}

export function treeLogOdds(m: TreeModel, row: Row): number {
  const bins = rowBins(m.features, row);
  let t = m.init;
  for (const tree of m.trees) t += treeValue(tree, bins, 0);
  return t;
}

/**
 * Each feature's share of the row's log-odds (Saabas path attribution): walking a tree, the
 * change in node value at each split is credited to the split's feature. `bias` plus the
 * contributions is the log-odds.
 */
export function treeContributions(m: TreeModel, row: Row): { bias: number; contributions: Float64Array } {
  const bins = rowBins(m.features, row);
  const contributions = new Float64Array(m.features.length);
  let bias = m.init;
  for (const tree of m.trees) {
    let node = 0;
    const mask = maskOf(tree);
    bias += tree.value[0]!;
    while (tree.feature[node]! >= 0) {
      const f = tree.feature[node]!;
      const next = goesLeft(tree, mask, node, bins[f]!) ? tree.left[node]! : tree.right[node]!;
      contributions[f] = contributions[f]! + tree.value[next]! - tree.value[node]!;
      node = next;
    }
  }
  return { bias, contributions };
}

// --- training ---------------------------------------------------------------------------------

type Split = { gain: number; feature: number; threshold: number; missingLeft: boolean; cats: number[]; gl: number; hl: number; cl: number };

type Leaf = { node: number; start: number; end: number; g: number; h: number; hist: Float64Array; split?: Split | undefined };

const sigmoid = (t: number): number => (t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t)));

class Grower {
  readonly offsets: Int32Array;
  readonly totalBins: number;
  readonly offsets3: Int32Array;
  private pool: Float64Array[] = [];
  private buffer: Uint32Array;
  private ordG: Float64Array;
  private ordH: Float64Array;

  /** The bins column by column as well: a split reads one column of many rows, which row-major scatters over memory. */
  private readonly columns: Uint8Array;

  constructor(
    readonly nBins: readonly number[],
    readonly isOrdered: readonly boolean[],
    readonly binned: Uint8Array,
    readonly n: number,
    readonly opts: Required<TreeOptions>,
  ) {
    const nf = nBins.length;
    this.columns = new Uint8Array(binned.length);
    for (let i = 0; i < n; i++) for (let f = 0; f < nf; f++) this.columns[f * n + i] = binned[i * nf + f]!;
    this.offsets = new Int32Array(nBins.length + 1);
    for (let f = 0; f < nBins.length; f++) this.offsets[f + 1] = this.offsets[f]! + nBins[f]!;
    this.totalBins = this.offsets[nBins.length]!;
    this.offsets3 = this.offsets.map((o) => o * 3);
    this.buffer = new Uint32Array(n);
    this.ordG = new Float64Array(n);
    this.ordH = new Float64Array(n);
  }

  private hist(): Float64Array {
    const h = this.pool.pop();
    if (h) {
      h.fill(0);
      return h;
    }
    return new Float64Array(this.totalBins * 3);
  }

  release(h: Float64Array): void {
    this.pool.push(h);
  }

  build(idx: Uint32Array, start: number, end: number, g: Float64Array, h: Float64Array): Float64Array {
    const out = this.hist();
    const m = end - start;
    const og = this.ordG;
    const oh = this.ordH;
    for (let k = 0; k < m; k++) {
      const i = idx[start + k]!;
      og[k] = g[i]!;
      oh[k] = h[i]!;
    }
    const nf = this.nBins.length;
    const binned = this.binned;
    const off = this.offsets3;
    for (let k = 0; k < m; k++) {
      const base = idx[start + k]! * nf;
      const gk = og[k]!;
      const hk = oh[k]!;
      for (let f = 0; f < nf; f++) {
        const b = off[f]! + binned[base + f]! * 3;
        out[b] = out[b]! + gk;
        out[b + 1] = out[b + 1]! + hk;
        out[b + 2] = out[b + 2]! + 1;
      }
    }
    return out;
  }

  subtract(parent: Float64Array, child: Float64Array): Float64Array {
    // In place on the parent's array: it is not needed once both children have theirs.
    for (let i = 0; i < parent.length; i++) parent[i] = parent[i]! - child[i]!;
    return parent;
  }

  best(hist: Float64Array, gSum: number, hSum: number, count: number): Split | undefined {
    const { l2, minSamplesLeaf } = this.opts;
    const parentScore = (gSum * gSum) / (hSum + l2);
    let best: Split | undefined;
    const consider = (gain: number, f: number, threshold: number, missingLeft: boolean, cats: number[], gl: number, hl: number, cl: number) => {
      if (gain > 1e-9 && (!best || gain > best.gain)) best = { gain, feature: f, threshold, missingLeft, cats, gl, hl, cl };
    };
    for (let f = 0; f < this.nBins.length; f++) {
      const off = this.offsets[f]! * 3;
      const nb = this.nBins[f]!;
      if (this.isOrdered[f]) {
        const gm = hist[off]!;
        const hm = hist[off + 1]!;
        const cm = hist[off + 2]!;
        // Missing to the right (a), or to the left (b) when there are missing rows.
        let gl = 0;
        let hl = 0;
        let cl = 0;
        for (let b = 1; b < nb - 1; b++) {
          const at = off + b * 3;
          gl += hist[at]!;
          hl += hist[at + 1]!;
          cl += hist[at + 2]!;
          if (hist[at + 2]! === 0) continue;
          for (let side = 0; side < (cm > 0 ? 2 : 1); side++) {
            const GL = side ? gl + gm : gl;
            const HL = side ? hl + hm : hl;
            const CL = side ? cl + cm : cl;
            const CR = count - CL;
            if (CL < minSamplesLeaf || CR < minSamplesLeaf) continue;
            const HR = hSum - HL;
            if (HL < 1e-3 || HR < 1e-3) continue;
            const GR = gSum - GL;
            const gain = (GL * GL) / (HL + l2) + (GR * GR) / (HR + l2) - parentScore;
            // Without missing rows here, missing goes with the larger child.
            consider(gain, f, b, side === 1 || (cm === 0 && CL >= CR), [], GL, HL, CL);
          }
        }
      } else {
        const bins: number[] = [];
        for (let b = 0; b < nb; b++) if (hist[off + b * 3 + 2]! > 0) bins.push(b);
        if (bins.length < 2) continue;
        bins.sort((a, b) => hist[off + a * 3]! / (hist[off + a * 3 + 1]! + CAT_SMOOTH) - hist[off + b * 3]! / (hist[off + b * 3 + 1]! + CAT_SMOOTH));
        let gl = 0;
        let hl = 0;
        let cl = 0;
        for (let k = 0; k < bins.length - 1; k++) {
          const at = off + bins[k]! * 3;
          gl += hist[at]!;
          hl += hist[at + 1]!;
          cl += hist[at + 2]!;
          const cr = count - cl;
          if (cl < minSamplesLeaf || cr < minSamplesLeaf) continue;
          const hr = hSum - hl;
          if (hl < 1e-3 || hr < 1e-3) continue;
          const gr = gSum - gl;
          const gain = (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2) - parentScore;
          if (gain > 1e-9 && (!best || gain > best.gain)) consider(gain, f, -1, false, bins.slice(0, k + 1).sort((a, b) => a - b), gl, hl, cl);
        }
      }
    }
    return best;
  }

  /** Moves the rows of [start, end) that go left to the front; returns where the right ones begin. */
  partition(idx: Uint32Array, start: number, end: number, split: Split): number {
    const column = this.columns.subarray(split.feature * this.n, (split.feature + 1) * this.n);
    const set = split.cats.length ? new Uint8Array(256) : undefined;
    if (set) for (const c of split.cats) set[c] = 1;
    let l = start;
    let r = 0;
    const buf = this.buffer;
    for (let k = start; k < end; k++) {
      const i = idx[k]!;
      const b = column[i]!;
      const left = set ? set[b] === 1 : b === 0 ? split.missingLeft : b <= split.threshold;
      if (left) idx[l++] = i;
      else buf[r++] = i;
    }
    for (let k = 0; k < r; k++) idx[l + k] = buf[k]!;
    return l;
  }
}

/** Grows one tree on the rows idx[0..m) with gradients g and hessians h; leaves carry learning-rate-scaled values. */
function growTree(grower: Grower, idx: Uint32Array, m: number, g: Float64Array, h: Float64Array, opts: Required<TreeOptions>): { tree: Tree; leaves: Leaf[] } {
  const done: Leaf[] = [];
  const tree: Tree = { feature: [], threshold: [], missingLeft: [], cats: [], left: [], right: [], value: [] };
  const lr = opts.learningRate;
  const addNode = (gs: number, hs: number): number => {
    tree.feature.push(-1);
    tree.threshold.push(0);
    tree.missingLeft.push(0);
    tree.cats.push([]);
    tree.left.push(-1);
    tree.right.push(-1);
    tree.value.push((-gs / (hs + opts.l2)) * lr);
    return tree.value.length - 1;
  };
  let gs = 0;
  let hs = 0;
  for (let k = 0; k < m; k++) {
    gs += g[idx[k]!]!;
    hs += h[idx[k]!]!;
  }
  const root: Leaf = { node: addNode(gs, hs), start: 0, end: m, g: gs, h: hs, hist: grower.build(idx, 0, m, g, h) };
  root.split = grower.best(root.hist, gs, hs, m);
  const open: Leaf[] = [];
  if (root.split) open.push(root);
  else {
    grower.release(root.hist);
    done.push(root);
  }
  let leaves = 1;
  while (leaves < opts.maxLeaves) {
    let pick = -1;
    for (let i = 0; i < open.length; i++) if (open[i]!.split && (pick < 0 || open[i]!.split!.gain > open[pick]!.split!.gain)) pick = i;
    if (pick < 0) break;
    const leaf = open.splice(pick, 1)[0]!;
    const s = leaf.split!;
    const mid = grower.partition(idx, leaf.start, leaf.end, s);
    const nl = addNode(s.gl, s.hl);
    const nr = addNode(leaf.g - s.gl, leaf.h - s.hl);
    tree.feature[leaf.node] = s.feature;
    tree.threshold[leaf.node] = s.threshold;
    tree.missingLeft[leaf.node] = s.missingLeft ? 1 : 0;
    tree.cats[leaf.node] = s.cats;
    tree.left[leaf.node] = nl;
    tree.right[leaf.node] = nr;
    leaves++;
    const leftCount = mid - leaf.start;
    const rightCount = leaf.end - mid;
    const smallLeft = leftCount <= rightCount;
    const small = smallLeft ? grower.build(idx, leaf.start, mid, g, h) : grower.build(idx, mid, leaf.end, g, h);
    const large = grower.subtract(leaf.hist, small);
    const L: Leaf = { node: nl, start: leaf.start, end: mid, g: s.gl, h: s.hl, hist: smallLeft ? small : large };
    const R: Leaf = { node: nr, start: mid, end: leaf.end, g: leaf.g - s.gl, h: leaf.h - s.hl, hist: smallLeft ? large : small };
    for (const c of [L, R]) {
      const count = c.end - c.start;
      if (count >= 2 * opts.minSamplesLeaf && leaves < opts.maxLeaves) c.split = grower.best(c.hist, c.g, c.h, count);
      if (c.split) open.push(c);
      else {
        grower.release(c.hist);
        done.push(c);
      }
    }
  }
  for (const l of open) {
    grower.release(l.hist);
    done.push(l);
  }
  return { tree, leaves: done };
}

/** Splits off a stratified validation share (at least one row of each class when it can). */
function innerSplit(labels: readonly (0 | 1)[], share: number, seed: number): { train: number[]; valid: number[] } {
  const random = seededRandom(seed ^ 0x5bd1e995);
  const train: number[] = [];
  const valid: number[] = [];
  for (const cls of [0, 1] as const) {
    const rows = shuffled([...labels.keys()].filter((i) => labels[i] === cls), random);
    const take = rows.length >= 10 ? Math.max(1, Math.round(rows.length * share)) : 0;
    rows.forEach((r, k) => (k < take ? valid : train).push(r));
  }
  return { train: train.sort((a, b) => a - b), valid: valid.sort((a, b) => a - b) };
}

/**
 * GOSS: writes the sampled training rows to idx (in row order) and marks them in `sampled`;
 * returns how many. The top share by |gradient| is found from a histogram of |g| (which is
 * |p − y|, within 0..1), so it costs one pass, not a sort.
 */
function gossSample(train: readonly number[], g: Float64Array, h: Float64Array, goss: { top: number; other: number }, random: () => number, idx: Uint32Array, sampled: Uint8Array): number {
  const buckets = new Int32Array(1025);
  for (const i of train) buckets[Math.min(1024, Math.floor(Math.abs(g[i]!) * 1024))]!++;
  let cut = 1024;
  for (let seen = buckets[1024]!; cut > 0 && seen < goss.top * train.length; ) seen += buckets[--cut]!;
  const keep = goss.other / (1 - goss.top);
  const weight = (1 - goss.top) / goss.other;
  let m = 0;
  for (const i of train) {
    let take = Math.min(1024, Math.floor(Math.abs(g[i]!) * 1024)) >= cut;
    if (!take && random() < keep) {
      take = true;
      g[i] = g[i]! * weight;
      h[i] = h[i]! * weight;
    }
    sampled[i] = take ? 1 : 0;
    if (take) idx[m++] = i;
  }
  return m;
}

/** Fits boosted trees on already-binned rows (row-major, `n` rows). */
export function fitTreesBinned(features: TreeFeature[], binned: Uint8Array, n: number, labels: readonly (0 | 1)[], options: TreeOptions = {}): TreeModel & { iterations: number } {
  const opts = { ...TREE_DEFAULTS, ...options };
  const { train, valid } = innerSplit(labels, opts.validationShare, opts.seed);
  const positives = train.reduce((a, i) => a + labels[i]!, 0);
  const rate = Math.min(1 - 1e-6, Math.max(1e-6, positives / Math.max(1, train.length)));
  const init = Math.log(rate / (1 - rate));
  const raw = new Float64Array(n).fill(init);
  const g = new Float64Array(n);
  const h = new Float64Array(n);
  const grower = new Grower(features.map(binCount), features.map(ordered), binned, n, opts);
  const idx = new Uint32Array(train.length);
  const trees: Tree[] = [];
  let bestLoss = Infinity;
  let bestCount = 0;
  const validLoss = (): number => {
    let loss = 0;
    for (const i of valid) {
      const t = raw[i]!;
      loss += (t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t))) - labels[i]! * t;
    }
    return loss / valid.length;
  };
  if (features.length === 0) return { features, init, trees, iterations: 0 };
  const goss = train.length > opts.goss.above ? opts.goss : undefined;
  const sampled = new Uint8Array(goss ? n : 0);
  const random = seededRandom(opts.seed ^ 0x2545f491);
  for (let it = 0; it < opts.maxIterations; it++) {
    for (const i of train) {
      const p = sigmoid(raw[i]!);
      g[i] = p - labels[i]!;
      h[i] = Math.max(p * (1 - p), 1e-16);
    }
    const m = goss ? gossSample(train, g, h, goss, random, idx, sampled) : train.length;
    if (!goss) train.forEach((r, k) => (idx[k] = r));
    const { tree, leaves } = growTree(grower, idx, m, g, h, opts);
    if (tree.feature[0]! < 0) break; // nothing left to split
    trees.push(tree);
    // The tree's rows sit in their leaves' ranges of idx; other rows walk the tree.
    for (const leaf of leaves) {
      const v = tree.value[leaf.node]!;
      for (let k = leaf.start; k < leaf.end; k++) raw[idx[k]!] = raw[idx[k]!]! + v;
    }
    const mask = maskOf(tree);
    if (goss) for (const i of train) if (!sampled[i]) raw[i] = raw[i]! + treeValue(tree, binned, i * features.length, mask);
    for (const i of valid) raw[i] = raw[i]! + treeValue(tree, binned, i * features.length, mask);
    if (valid.length === 0) continue;
    const loss = validLoss();
    if (loss < bestLoss - 1e-7) {
      bestLoss = loss;
      bestCount = trees.length;
    } else if (trees.length - bestCount >= opts.patience) break;
  }
  const kept = valid.length ? trees.slice(0, bestCount) : trees;
  return { features, init, trees: kept, iterations: kept.length };
}

/** Fits binning and boosted trees on rows. */
export function fitTrees(columns: readonly ColumnInfo[], rows: readonly Row[], labels: readonly (0 | 1)[], options: TreeOptions = {}): TreeModel & { iterations: number } {
  const features = fitTreeFeatures(columns, rows, options.maxBins);
  return fitTreesBinned(features, binRows(features, rows), rows.length, labels, options);
}

/** Log-odds of many rows at once (binning each column once). */
export function treeLogOddsMany(m: TreeModel, rows: readonly Row[]): Float64Array {
  const n = rows.length;
  const binned = binRows(m.features, rows);
  const out = new Float64Array(n).fill(m.init);
  const nf = m.features.length;
  for (const tree of m.trees) {
    const mask = maskOf(tree);
    for (let i = 0; i < n; i++) out[i] = out[i]! + treeValue(tree, binned, i * nf, mask);
  }
  return out;
}
