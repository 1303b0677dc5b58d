// A benchmark figure with its goal, so `npm run bench` can print one table and
// `npm run bench -- --check` can fail when a figure misses its goal.

export type Figure = {
  /** What is measured, as printed in the table. */
  name: string;
  /** The figure, printed as is (ratios to 3 places, times with their unit). */
  value: string;
  /** The goal, printed beside the figure. */
  goal: string;
  /** Whether the figure meets its goal; undefined when it could not be measured here. */
  ok: boolean | undefined;
};

export function figureTable(figures: readonly Figure[]): string {
  const rows = figures.map((f) => [f.name, f.value, f.goal, f.ok === undefined ? 'not measured' : f.ok ? 'met' : 'MISSED']);
  const head = ['figure', 'this run', 'goal', ''];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => `| ${r.map((v, c) => v.padEnd(widths[c]!)).join(' | ')} |`;
  return [line(head), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}
