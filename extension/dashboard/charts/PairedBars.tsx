import { linear, niceMax, px } from './scale.ts';

// Horizontal pairs: for each row, one bar per side (won and lost), with the figure beside it.

export type Pair = { key: string; label: string; a: number; b: number; titleA: string; titleB: string };

type Props = { label: string; rows: readonly Pair[]; format?: (v: number) => string; testId?: string };

const W = 640;
const ROW = 34;
const LABEL = 220;

export function PairedBars({ label, rows, format = (v) => v.toFixed(1), testId }: Props) {
  const max = niceMax(Math.max(0, ...rows.flatMap((r) => [Math.abs(r.a), Math.abs(r.b)])));
  const w = linear(0, max, 0, W - LABEL - 60);
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
              <rect class="bar series-0" x={LABEL} y={top} height={12} width={px(w(Math.abs(r.a)))} aria-label={r.titleA}>
                <title>{r.titleA}</title>
              </rect>
              <text class="tick" x={px(LABEL + w(Math.abs(r.a)) + 4)} y={top + 10}>{format(r.a)}</text>
              <rect class="bar series-1" x={LABEL} y={top + 14} height={12} width={px(w(Math.abs(r.b)))} aria-label={r.titleB}>
                <title>{r.titleB}</title>
              </rect>
              <text class="tick" x={px(LABEL + w(Math.abs(r.b)) + 4)} y={top + 24}>{format(r.b)}</text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
