import { type Counter, createCounter } from './counter.ts';
import { helpLine, sample, typeLine } from './exposition.ts';
import { type Family, type MetricOptions, ownedNames } from './family.ts';
import { createGauge, type Gauge, type GaugeOptions } from './gauge.ts';
import { createHistogram, type Histogram, type HistogramOptions } from './histogram.ts';

// A small Prometheus registry: counters, gauges and histograms with labels (counter.ts,
// gauge.ts, histogram.ts), rendered in the text format (exposition.ts). Enough for /metrics
// without a dependency: prom-client would add an async render and two dependencies and has no
// cap on label sets, which a hostile label value must not be able to grow without bound.

export type Registry = {
  counter(opts: MetricOptions): Counter;
  gauge(opts: GaugeOptions): Gauge;
  histogram(opts: HistogramOptions): Histogram;
  /** The exposition text; runs gauge `collect` callbacks first. */
  render(): string;
};

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const DROPPED = 'leadglow_metrics_dropped_series_total';

/** `now` (ms, default performance.now) times histograms' `startTimer`; tests inject one. */
export function createRegistry(opts: { now?: () => number } = {}): Registry {
  const now = opts.now ?? (() => performance.now());
  const families = new Map<string, Family>();
  let dropped = 0;
  const onDrop = () => {
    dropped++;
  };

  function register<M>(made: { family: Family } & M): M {
    const { family } = made;
    if (!METRIC_NAME.test(family.name)) throw new RangeError(`invalid metric name "${family.name}"`);
    // A clash, with a name or with a histogram's _bucket, _sum or _count, would corrupt the output.
    for (const existing of families.values()) {
      if (ownedNames(existing).some((n) => ownedNames(family).includes(n))) throw new Error(`metric "${family.name}" clashes with "${existing.name}"`);
    }
    families.set(family.name, family);
    return made;
  }

  function render(): string {
    const out: string[] = [];
    for (const f of families.values()) {
      try {
        f.collect?.();
      } catch {
        // A failing collector must not take /metrics down with it; its gauge keeps its last value.
      }
      out.push(helpLine(f.name, f.help), typeLine(f.name, f.type));
      for (const line of f.lines()) out.push(line);
    }
    if (dropped > 0) out.push(helpLine(DROPPED, 'Label sets dropped because a metric reached its series limit.'), typeLine(DROPPED, 'counter'), sample(DROPPED, '', dropped));
    return out.length ? `${out.join('\n')}\n` : '';
  }

  return {
    counter: (o) => register(createCounter(o, onDrop)).counter,
    gauge: (o) => register(createGauge(o, onDrop)).gauge,
    histogram: (o) => register(createHistogram(o, onDrop, now)).histogram,
    render,
  };
}
