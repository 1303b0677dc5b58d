import { sample } from './exposition.ts';
import type { Family, Labels, MetricOptions } from './family.ts';
import { seriesMap } from './series.ts';

export type Gauge = {
  set(value: number, labels?: Labels): void;
  inc(labels?: Labels, by?: number): void;
  dec(labels?: Labels, by?: number): void;
  get(labels?: Labels): number;
};

export type GaugeOptions = MetricOptions & {
  /** Sets the gauge from its source each time /metrics is read (a queue's depth). */
  collect?: (gauge: Gauge) => void;
};

/** A value that goes up and down. */
export function createGauge(o: GaugeOptions, onDrop: () => void): { gauge: Gauge; family: Family } {
  const series = seriesMap(o, [], () => 0, onDrop);
  const add = (labels: Labels | undefined, by: number) => {
    const s = series.get(labels);
    if (s) s.value += by;
  };
  const gauge: Gauge = {
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
    lines: () => {
      const out: string[] = [];
      for (const s of series.all()) out.push(sample(o.name, s.labels, s.value));
      return out;
    },
  };
  const collect = o.collect;
  if (collect) family.collect = () => collect(gauge);
  return { gauge, family };
}
