import { escapeLabelValue } from './exposition.ts';
import type { Labels, MetricOptions } from './family.ts';

// One metric's values, one per label set. Label sets are keyed by their rendered text
// (`a="x",b="y"` in labelNames order), which is both a stable map key and exactly what the
// output needs.

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export const DEFAULT_MAX_SERIES = 10_000;

export type Series<V> = { labels: string; value: V };

export type SeriesMap<V> = {
  /** The series for these labels, created if new; undefined when over maxSeries. */
  get(labels: Labels | undefined): Series<V> | undefined;
  /** The series for these labels if it exists; never creates one. */
  peek(labels: Labels | undefined): Series<V> | undefined;
  all(): Iterable<Series<V>>;
};

/**
 * Checks the label names (valid, not `__`-reserved, not in `reserved`, not repeated) and
 * starts the map. A metric without labels starts with its one series at its initial value,
 * so it is shown (as 0) before its first use and dashboards see it exists.
 */
export function seriesMap<V>(o: MetricOptions, reserved: readonly string[], init: () => V, onDrop: () => void): SeriesMap<V> {
  const names = o.labelNames ?? [];
  for (const n of names) {
    if (!LABEL_NAME.test(n) || n.startsWith('__') || reserved.includes(n)) throw new RangeError(`invalid label name "${n}" in ${o.name}`);
  }
  if (new Set(names).size !== names.length) throw new RangeError(`repeated label name in ${o.name}`);
  const maxSeries = o.maxSeries ?? DEFAULT_MAX_SERIES;
  const map = new Map<string, Series<V>>();
  if (names.length === 0) map.set('', { labels: '', value: init() });

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
    get(labels) {
      const key = keyOf(labels);
      let s = map.get(key);
      if (!s) {
        if (map.size >= maxSeries) {
          onDrop();
          return undefined;
        }
        s = { labels: key, value: init() };
        map.set(key, s);
      }
      return s;
    },
    peek: (labels) => map.get(keyOf(labels)),
    all: () => map.values(),
  };
}
