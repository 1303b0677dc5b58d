// L2-regularised logistic regression by Newton's method (IRLS) with a backtracking line
// search: deterministic, a handful of iterations on standardised features, and exact enough
// that cross-validation figures do not depend on a learning rate. The intercept is not
// penalised, so the base rate is learned exactly however strong the penalty.

export type LogisticOptions = {
  /** Penalty λ in λ/2·‖w‖² added to the summed log loss. */
  l2?: number;
  maxIterations?: number;
  /** Stop when no coefficient moves more than this. */
  tolerance?: number;
  /**
   * `balanced` weighs each class to half the total. Off by default: it buys nothing for the
   * ranking (AUC) and skews the probabilities the side panel shows.
   */
  classWeight?: 'none' | 'balanced';
};

export type LogisticFit = { intercept: number; weights: number[]; iterations: number; converged: boolean };

export const sigmoid = (t: number): number => (t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t)));

export function linear(fit: Pick<LogisticFit, 'intercept' | 'weights'>, x: ArrayLike<number>): number {
  let t = fit.intercept;
  for (let j = 0; j < fit.weights.length; j++) t += fit.weights[j]! * x[j]!;
  return t;
}

export function predictProbability(fit: Pick<LogisticFit, 'intercept' | 'weights'>, x: ArrayLike<number>): number {
  return sigmoid(linear(fit, x));
}

/** Solves A·x = b for a symmetric positive definite A (row-major, size d×d), in place on copies. */
function choleskySolve(a: Float64Array, b: Float64Array, d: number): Float64Array | undefined {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * d + j]!;
      for (let k = 0; k < j; k++) s -= l[i * d + k]! * l[j * d + k]!;
      if (i === j) {
        if (!(s > 0)) return undefined;
        l[i * d + i] = Math.sqrt(s);
      } else l[i * d + j] = s / l[j * d + j]!;
    }
  }
  const y = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * d + k]! * y[k]!;
    y[i] = s / l[i * d + i]!;
  }
  const x = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < d; k++) s -= l[k * d + i]! * x[k]!;
    x[i] = s / l[i * d + i]!;
  }
  return x;
}

/** Rows as compressed sparse rows: one-hot features are mostly 0, so Newton's Hessian costs nnz² per row, not d². */
export type Csr = { n: number; p: number; indptr: Int32Array; indices: Int32Array; values: Float64Array };

export function toCsr(rows: readonly ArrayLike<number>[]): Csr {
  const n = rows.length;
  const p = n > 0 ? rows[0]!.length : 0;
  let nnz = 0;
  for (const x of rows) for (let j = 0; j < p; j++) if (x[j] !== 0) nnz++;
  const indptr = new Int32Array(n + 1);
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const x = rows[i]!;
    for (let j = 0; j < p; j++) {
      const v = x[j]!;
      if (v !== 0) {
        indices[at] = j;
        values[at++] = v;
      }
    }
    indptr[i + 1] = at;
  }
  return { n, p, indptr, indices, values };
}

function linearCsr(beta: Float64Array, x: Csr, i: number): number {
  let t = beta[0]!;
  for (let k = x.indptr[i]!; k < x.indptr[i + 1]!; k++) t += beta[x.indices[k]! + 1]! * x.values[k]!;
  return t;
}

function objective(beta: Float64Array, x: Csr, y: readonly (0 | 1)[], sw: Float64Array, l2: number): number {
  let loss = 0;
  for (let i = 0; i < x.n; i++) {
    const t = linearCsr(beta, x, i);
    // log(1 + e^t) - y·t, stable for large |t|.
    loss += sw[i]! * ((t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t))) - y[i]! * t);
  }
  let pen = 0;
  for (let j = 1; j < beta.length; j++) pen += beta[j]! * beta[j]!;
  return loss + (l2 / 2) * pen;
}

export function fitLogistic(rows: readonly ArrayLike<number>[] | Csr, y: readonly (0 | 1)[], options: LogisticOptions = {}): LogisticFit {
  const l2 = options.l2 ?? 1;
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-8;
  const x = 'indptr' in rows ? rows : toCsr(rows);
  const n = x.n;
  const p = x.p;
  const d = p + 1;
  const positives = y.reduce<number>((a, b) => a + b, 0);
  const sw = new Float64Array(n).fill(1);
  if (options.classWeight === 'balanced' && positives > 0 && positives < n) {
    for (let i = 0; i < n; i++) sw[i] = y[i] === 1 ? n / (2 * positives) : n / (2 * (n - positives));
  }
  const beta = new Float64Array(d);
  // Start at the base rate: the first Newton step then only has the features to learn.
  const wp = y.reduce<number>((a, v, i) => a + sw[i]! * v, 0);
  const wt = sw.reduce((a, b) => a + b, 0);
  beta[0] = wp > 0 && wp < wt ? Math.log(wp / (wt - wp)) : 0;
  let current = objective(beta, x, y, sw, l2);
  let iterations = 0;
  let converged = false;
  const h = new Float64Array(d * d);
  const g = new Float64Array(d);
  while (iterations < maxIterations) {
    iterations++;
    h.fill(0);
    g.fill(0);
    const { indptr, indices, values } = x;
    for (let i = 0; i < n; i++) {
      const t = linearCsr(beta, x, i);
      const pr = sigmoid(t);
      const r = sw[i]! * (pr - y[i]!);
      const w = sw[i]! * pr * (1 - pr);
      // The intercept (index 0) is a feature of value 1 in every row.
      g[0] = g[0]! + r;
      h[0] = h[0]! + w;
      const from = indptr[i]!;
      const to = indptr[i + 1]!;
      for (let ka = from; ka < to; ka++) {
        const a = indices[ka]! + 1;
        const xa = values[ka]!;
        g[a] = g[a]! + r * xa;
        const wa = w * xa;
        const rowOff = a * d;
        h[rowOff] = h[rowOff]! + wa;
        // Indices rise within a row, so b < a for every earlier entry.
        for (let kb = from; kb <= ka; kb++) h[rowOff + indices[kb]! + 1] = h[rowOff + indices[kb]! + 1]! + wa * values[kb]!;
      }
    }
    for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) h[b * d + a] = h[a * d + b]!;
    for (let j = 1; j < d; j++) {
      g[j] = g[j]! + l2 * beta[j]!;
      h[j * d + j] = h[j * d + j]! + l2;
    }
    // A whisker of ridge on every diagonal keeps the solve defined when a class is separable.
    for (let j = 0; j < d; j++) h[j * d + j] = h[j * d + j]! * (1 + 1e-9) + 1e-9;
    let step = choleskySolve(h, g, d);
    if (!step) {
      for (let j = 0; j < d; j++) h[j * d + j] = h[j * d + j]! + 1e-4;
      step = choleskySolve(h, g, d);
      if (!step) break;
    }
    let scale = 1;
    let next = beta;
    let value = current;
    for (let halving = 0; halving < 30; halving++) {
      const candidate = beta.map((b, j) => b - scale * step[j]!);
      value = objective(candidate, x, y, sw, l2);
      if (value <= current + 1e-12 * Math.abs(current)) {
        next = candidate;
        break;
      }
      scale /= 2;
    }
    if (next === beta) {
      converged = true; // no step lowers the objective: at the optimum within rounding
      break;
    }
    let moved = 0;
    for (let j = 0; j < d; j++) moved = Math.max(moved, Math.abs(next[j]! - beta[j]!));
    beta.set(next);
    current = value;
    if (moved < tolerance) {
      converged = true;
      break;
    }
  }
  return { intercept: beta[0]!, weights: Array.from(beta.subarray(1)), iterations, converged };
}
