import { every, linear, niceMax, px } from './scale.ts';

// Vertical bars with an optional second series drawn over them as a line with dots (the
// draft over the live model). Every bar and dot carries its figure in <title> and aria-label.

/** `missing`: no figure for this bar (a band without outcomes): drawn as a dash, not as zero. */
export type Bar = { key: string; tick: string; value: number; title: string; missing?: boolean };
export type Overlay = { name: string; points: { key: string; value: number; title: string }[] };

type Props = { label: string; bars: readonly Bar[]; overlay?: Overlay | undefined; legend?: string; format?: (v: number) => string; max?: number; testId?: string };

const W = 640;
const H = 220;
const PAD = { top: 12, right: 8, bottom: 28, left: 40 };

export function BarChart({ label, bars, overlay, legend, format = String, max, testId }: Props) {
  const top = max ?? niceMax(Math.max(0, ...bars.map((b) => b.value), ...(overlay?.points.map((p) => p.value) ?? [])));
  const y = linear(0, top, H - PAD.bottom, PAD.top);
  const slot = (W - PAD.left - PAD.right) / Math.max(1, bars.length);
  const x = (i: number) => PAD.left + i * slot;
  const tickEvery = every(bars.length, 10);
  // Figures on top of the bars while there is room for them.
  const labelled = bars.length <= 12;
  const byKey = new Map(bars.map((b, i) => [b.key, i]));
  const dots = (overlay?.points ?? []).filter((p) => byKey.has(p.key)).map((p) => ({ ...p, cx: x(byKey.get(p.key)!) + slot / 2, cy: y(p.value) }));
  return (
    <figure class="chart" data-testid={testId}>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={label}>
        <title>{label}</title>
        <line class="axis" x1={PAD.left} x2={W - PAD.right} y1={y(0)} y2={y(0)} />
        <text class="tick" x={PAD.left - 4} y={y(top) + 4} text-anchor="end">{format(top)}</text>
        <text class="tick" x={PAD.left - 4} y={y(0)} text-anchor="end">0</text>
        {bars.map((b, i) => (
          <g key={b.key}>
            <rect class="bar series-0" x={px(x(i) + slot * 0.15)} width={px(slot * 0.7)} y={px(y(b.value))} height={px(Math.max(0, y(0) - y(b.value)))} aria-label={b.title}>
              <title>{b.title}</title>
            </rect>
            {labelled || b.missing ? (
              <text class="tick value" x={px(x(i) + slot / 2)} y={px(y(b.value) - 4)} text-anchor="middle">
                {b.missing ? '–' : format(b.value)}
              </text>
            ) : null}
            {i % tickEvery === 0 ? (
              <text class="tick" x={px(x(i) + slot / 2)} y={H - 10} text-anchor="middle">
                {b.tick}
              </text>
            ) : null}
          </g>
        ))}
        {dots.length ? <polyline class="overlay series-1" fill="none" points={dots.map((d) => `${px(d.cx)},${px(d.cy)}`).join(' ')} /> : null}
        {dots.map((d) => (
          <circle key={d.key} class="dot series-1" cx={px(d.cx)} cy={px(d.cy)} r={3.5} aria-label={d.title}>
            <title>{d.title}</title>
          </circle>
        ))}
      </svg>
      {legend ? <figcaption class="small muted">{legend}</figcaption> : null}
    </figure>
  );
}
