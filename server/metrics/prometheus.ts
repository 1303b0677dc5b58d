// A small Prometheus registry in the text exposition format (version 0.0.4): counters, gauges
// and histograms with labels. Enough for /metrics without a dependency; no summaries, no
// exemplars, no OpenMetrics.

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export type Labels = Record<string, string | number>;

export type Counter = {
  inc(labels?: Labels, by?: number): void;
  get(labels?: Labels): number;
};

export type Gauge = {
  set(value: number, labels?: Labels): void;
  inc(labels?: Labels, by?: number): void;
  dec(labels?: Labels, by?: number): void;
  get(labels?: Labels): number;
};

export type Histogram = {
  observe(value: number, labels?: Labels): void;
  /** Starts a timer; calling the result observes the seconds elapsed. */
  startTimer(labels?: Labels): () => number;
};

type MetricOptions = {
  name: string;
  help: string;
  labelNames?: readonly string[];
  /**
   * Keeps one metric from eating the heap when a label is fed something unbounded (a URL, an
   * email address). Past the limit, new label sets are dropped and counted in
   * `leadglow_metrics_dropped_series_total`.
   */
  maxSeries?: number;
};

export type Registry = {
  counter(opts: MetricOptions): Counter;
  gauge(opts: MetricOptions & { collect?: (gauge: Gauge) => void }): Gauge;
  histogram(opts: MetricOptions & { buckets?: readonly number[] }): Histogram;
  /** The exposition text; runs gauge `collect` callbacks first. */
  render(): string;
};

/** Prometheus' default buckets, in seconds: suits request latencies from 5 ms to 10 s. */
export const DEFAULT_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

type Series<V> = { labels: string; value: V };
type Family = { name: string; help: string; type: 'counter' | 'gauge' | 'histogram'; lines(): string[]; collect?: () => void };

export function createRegistry(opts: { now?: () => number } = {}): Registry {
  const now = opts.now ?? (() => performance.now());
  const families = new Map<string, Family>();
  let dropped = 0;

  function register(family: Family): void {
    if (!METRIC_NAME.test(family.name)) throw new RangeError(`invalid metric name "${family.name}"`);
    // A histogram owns name_bucket, name_sum and name_count too; a clash would corrupt the output.
    for (const existing of families.values()) {
      if (ownedNames(existing).some((n) => ownedNames(family).includes(n))) throw new Error(`metric "${family.name}" clashes with "${existing.name}"`);
    }
    families.set(family.name, family);
  }

  /**
   * Label sets are keyed by their rendered text (`a="x",b="y"` in labelNames order), which
   * is both a stable map key and exactly what the output needs.
   */
  function seriesMap<V>(o: MetricOptions, reserved: readonly string[], init: () => V) {
    const names = o.labelNames ?? [];
    for (const n of names) {
      if (!LABEL_NAME.test(n) || n.startsWith('__') || reserved.includes(n)) throw new RangeError(`invalid label name "${n}" in ${o.name}`);
    }
    if (new Set(names).size !== names.length) throw new RangeError(`repeated label name in ${o.name}`);
    const maxSeries = o.maxSeries ?? 10_000;
    const map = new Map<string, Series<V>>();
    const keyOf = (labels: Labels | undefined): string => {
      const given = labels ?? {};
      for (const k of Object.keys(given)) if (!names.includes(k)) throw new RangeError(`unknown label "${k}" for ${o.name}`);
      return names
        .map((n) => {
          const v = given[n];
          if (v === undefined) throw new RangeError(`missing label "${n}" for ${o.name}`);
          return `${n}="${escapeLabelValue(String(v))}"`;
        })
        .join(',');
    };
    return {
      /** The series for these labels, created if new; undefined when over maxSeries. */
      get(labels: Labels | undefined): Series<V> | undefined {
        const key = keyOf(labels);
        let s = map.get(key);
        if (!s) {
          if (map.size >= maxSeries) {
            dropped++;
            return undefined;
          }
          s = { labels: key, value: init() };
          map.set(key, s);
        }
        return s;
      },
      peek(labels: Labels | undefined): Series<V> | undefined {
        return map.get(keyOf(labels));
      },
      all: () => map.values(),
      // A metric without labels is shown as 0 before its first use, so dashboards see it exists.
      ensureUnlabelled(): void {
        if (names.length === 0 && map.size === 0) map.set('', { labels: '', value: init() });
      },
    };
  }

  function counter(o: MetricOptions): Counter {
    const series = seriesMap(o, [], () => 0);
    series.ensureUnlabelled();
    register({
      name: o.name,
      help: o.help,
      type: 'counter',
      lines: () => [...series.all()].map((s) => sample(o.name, s.labels, s.value)),
    });
    return {
      inc(labels, by = 1) {
        if (!(by >= 0)) throw new RangeError(`a counter only goes up; got ${by} for ${o.name}`);
        const s = series.get(labels);
        if (s) s.value += by;
      },
      get: (labels) => series.peek(labels)?.value ?? 0,
    };
  }

  function gauge(o: MetricOptions & { collect?: (gauge: Gauge) => void }): Gauge {
    const series = seriesMap(o, [], () => 0);
    series.ensureUnlabelled();
    const add = (labels: Labels | undefined, by: number) => {
      const s = series.get(labels);
      if (s) s.value += by;
    };
    const g: Gauge = {
      set(value, labels) {
        const s = series.get(labels);
        if (s) s.value = value;
      },
      inc: (labels, by = 1) => add(labels, by),
      dec: (labels, by = 1) => add(labels, -by),
      get: (labels) => series.peek(labels)?.value ?? 0,
    };
    const family: Family = {
      name: o.name,
      help: o.help,
      type: 'gauge',
      lines: () => [...series.all()].map((s) => sample(o.name, s.labels, s.value)),
    };
    const collect = o.collect;
    if (collect) family.collect = () => collect(g);
    register(family);
    return g;
  }

  function histogram(o: MetricOptions & { buckets?: readonly number[] }): Histogram {
    const bounds = [...(o.buckets ?? DEFAULT_BUCKETS)];
    if (bounds.length === 0 || bounds.some((b, i) => !Number.isFinite(b) || (i > 0 && b <= bounds[i - 1]!))) {
      throw new RangeError(`histogram ${o.name}: expected finite, strictly increasing buckets`);
    }
    type H = { counts: number[]; sum: number; count: number };
    const series = seriesMap<H>(o, ['le'], () => ({ counts: bounds.map(() => 0), sum: 0, count: 0 }));
    series.ensureUnlabelled();
    register({
      name: o.name,
      help: o.help,
      type: 'histogram',
      lines: () => {
        const out: string[] = [];
        for (const s of series.all()) {
          const sep = s.labels ? ',' : '';
          // Stored per bucket, shown cumulatively, as the format requires.
          let cumulative = 0;
          bounds.forEach((b, i) => {
            cumulative += s.value.counts[i]!;
            out.push(sample(`${o.name}_bucket`, `${s.labels}${sep}le="${formatNumber(b)}"`, cumulative));
          });
          out.push(sample(`${o.name}_bucket`, `${s.labels}${sep}le="+Inf"`, s.value.count));
          out.push(sample(`${o.name}_sum`, s.labels, s.value.sum));
          out.push(sample(`${o.name}_count`, s.labels, s.value.count));
        }
        return out;
      },
    });
    const observe = (value: number, labels?: Labels) => {
      if (Number.isNaN(value)) return; // one NaN would poison the sum forever
      const s = series.get(labels);
      if (!s) return;
      const i = bounds.findIndex((b) => value <= b);
      if (i >= 0) s.value.counts[i]!++;
      s.value.sum += value;
      s.value.count++;
    };
    return {
      observe,
      startTimer(labels) {
        const start = now();
        return () => {
          const seconds = (now() - start) / 1000;
          observe(seconds, labels);
          return seconds;
        };
      },
    };
  }

  function render(): string {
    const out: string[] = [];
    for (const f of families.values()) {
      try {
        f.collect?.();
      } catch {
        // A failing collector must not take /metrics down with it; its gauge keeps its last value.
      }
      out.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`, ...f.lines());
    }
    if (dropped > 0) {
      const name = 'leadglow_metrics_dropped_series_total';
      out.push(`# HELP ${name} Label sets dropped because a metric reached its series limit.`, `# TYPE ${name} counter`, sample(name, '', dropped));
    }
    return out.length ? `${out.join('\n')}\n` : '';
  }

  return { counter, gauge, histogram, render };
}

function ownedNames(f: Family): string[] {
  return f.type === 'histogram' ? [f.name, `${f.name}_bucket`, `${f.name}_sum`, `${f.name}_count`] : [f.name];
}

function sample(name: string, labels: string, value: number): string {
  return `${name}${labels ? `{${labels}}` : ''} ${formatNumber(value)}`;
}

/** Go's float formatting conventions, which Prometheus parses: +Inf, -Inf, NaN. */
export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** In label values: backslash, double quote and line feed. */
export function escapeLabelValue(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** In HELP text: backslash and line feed (quotes are literal there). */
export function escapeHelp(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}
