import { short } from '../format.ts';
import { linear, niceMax, px } from './scale.ts';

// Horizontal pairs: for each row, one bar per side (won and lost), with the figure beside it.

export type Pair = { key: string; label: string; a: number; b: number; titleA: string; titleB: string };

type Props = { label: string; rows: readonly Pair[]; format?: (v: number) => string; testId?: string };

const W = 640;
const ROW = 34;
const LABEL = 220;

/**
 * With any negative value the axis sits in the middle: negatives grow to the left of it,
 * positives to the right, each figure at its bar's end.
 */
export function PairedBars({ label, rows, format = short, testId }: Props) {
  const values = rows.flatMap((r) => [r.a, r.b]);
  const max = niceMax(Math.max(0, ...values.map(Math.abs)));
  const negative = values.some((v) => v < 0);
  const span = W - LABEL - 60;
  const zero = LABEL + (negative ? span / 2 : 0);
  const w = linear(0, max, 0, negative ? span / 2 : span);
  const bar = (v: number) => ({ x: px(v < 0 ? zero - w(-v) : zero), width: px(w(Math.abs(v))) });
  const figure = (v: number) => (v < 0 ? { x: px(zero - w(-v) - 4), anchor: 'end' } : { x: px(zero + w(v) + 4), anchor: 'start' });
  const H = rows.length * ROW + 8;
  return (
    <figure class="chart" data-testid={testId}>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={label}>
        <title>{label}</title>
        {rows.map((r, i) => {
          const top = 4 + i * ROW;
          return (
            <g key={r.key}>
              <text class="tick" x={LABEL - 6} y={top + 18} text-anchor="end">
                {r.label.length > 34 ? `${r.label.slice(0, 33)}…` : r.label}
              </text>
              <rect class="bar series-0" {...bar(r.a)} y={top} height={12} aria-label={r.titleA}>
                <title>{r.titleA}</title>
              </rect>
              <text class="tick" x={figure(r.a).x} text-anchor={figure(r.a).anchor} y={top + 10}>{format(r.a)}</text>
              <rect class="bar series-1" {...bar(r.b)} y={top + 14} height={12} aria-label={r.titleB}>
                <title>{r.titleB}</title>
              </rect>
              <text class="tick" x={figure(r.b).x} text-anchor={figure(r.b).anchor} y={top + 24}>{format(r.b)}</text>
            </g>
          );
        })}
        {negative ? <line class="axis" x1={px(zero)} x2={px(zero)} y1={0} y2={H} stroke="currentColor" stroke-opacity="0.4" /> : null}
      </svg>
    </figure>
  );
}
