// The Prometheus text exposition format, version 0.0.4: how a sample line is written, how
// numbers are spelled, and what is escaped where. No OpenMetrics, no exemplars.

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** One sample line; `labels` is already rendered (`a="x",b="y"`), empty for none. */
export function sample(name: string, labels: string, value: number): string {
  return `${name}${labels ? `{${labels}}` : ''} ${formatNumber(value)}`;
}

/** The HELP line that opens a metric family. */
export function helpLine(name: string, help: string): string {
  return `# HELP ${name} ${escapeHelp(help)}`;
}

/** The TYPE line after it. */
export function typeLine(name: string, type: 'counter' | 'gauge' | 'histogram'): string {
  return `# TYPE ${name} ${type}`;
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
