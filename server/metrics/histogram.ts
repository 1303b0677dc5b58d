import { formatNumber, sample } from './exposition.ts';
import type { Family, Labels, MetricOptions } from './family.ts';
import { seriesMap } from './series.ts';

export type Histogram = {
  observe(value: number, labels?: Labels): void;
  /** Starts a timer; calling the result observes the seconds elapsed. */
  startTimer(labels?: Labels): () => number;
};

export type HistogramOptions = MetricOptions & { buckets?: readonly number[] };

/** Prometheus' default buckets, in seconds: suits request latencies from 5 ms to 10 s. */
export const DEFAULT_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

type Counts = { counts: number[]; sum: number; count: number };

/** Observations counted into buckets, with their sum and count; `now` is in milliseconds. */
export function createHistogram(o: HistogramOptions, onDrop: () => void, now: () => number): { histogram: Histogram; family: Family } {
  const bounds = [...(o.buckets ?? DEFAULT_BUCKETS)];
  if (bounds.length === 0 || bounds.some((b, i) => !Number.isFinite(b) || (i > 0 && b <= bounds[i - 1]!))) {
    throw new RangeError(`histogram ${o.name}: expected finite, strictly increasing buckets`);
  }
  // `le` is the bucket's own label; a user label of that name would corrupt the output.
  const series = seriesMap<Counts>(o, ['le'], () => ({ counts: bounds.map(() => 0), sum: 0, count: 0 }), onDrop);

  const observe = (value: number, labels?: Labels) => {
    if (Number.isNaN(value)) return; // one NaN would poison the sum forever
    const s = series.get(labels);
    if (!s) return;
    const i = bounds.findIndex((b) => value <= b);
    if (i >= 0) s.value.counts[i]!++;
    s.value.sum += value;
    s.value.count++;
  };
  const histogram: Histogram = {
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

  const family: Family = {
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
  };
  return { histogram, family };
}
