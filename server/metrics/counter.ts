import { sample } from './exposition.ts';
import type { Family, Labels, MetricOptions } from './family.ts';
import { seriesMap } from './series.ts';

export type Counter = {
  inc(labels?: Labels, by?: number): void;
  get(labels?: Labels): number;
};

/** A value that only goes up (requests, events stored); Prometheus derives rates from it. */
export function createCounter(o: MetricOptions, onDrop: () => void): { counter: Counter; family: Family } {
  const series = seriesMap(o, [], () => 0, onDrop);
  const counter: Counter = {
    inc(labels, by = 1) {
      // `!(by >= 0)` also refuses NaN.
      if (!(by >= 0)) throw new RangeError(`a counter only goes up; got ${by} for ${o.name}`);
      const s = series.get(labels);
      if (s) s.value += by;
    },
    get: (labels) => series.peek(labels)?.value ?? 0,
  };
  const family: Family = {
    name: o.name,
    help: o.help,
    type: 'counter',
    lines: () => {
      const out: string[] = [];
      for (const s of series.all()) out.push(sample(o.name, s.labels, s.value));
      return out;
    },
  };
  return { counter, family };
}
