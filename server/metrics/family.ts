// What every metric kind shares: its options, its labels, and the family the registry renders.

export type Labels = Record<string, string | number>;

export type MetricOptions = {
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

export type MetricType = 'counter' | 'gauge' | 'histogram';

/** A metric as the registry sees it: a name, and the sample lines it renders now. */
export type Family = {
  name: string;
  help: string;
  type: MetricType;
  lines(): string[];
  /** Runs before rendering (a gauge's `collect`). */
  collect?: () => void;
};

/** The sample names a family writes: a histogram owns name_bucket, name_sum and name_count too. */
export function ownedNames(f: Pick<Family, 'name' | 'type'>): string[] {
  return f.type === 'histogram' ? [f.name, `${f.name}_bucket`, `${f.name}_sum`, `${f.name}_count`] : [f.name];
}
