import { linear, niceMax, px } from './scale.ts';

// Curves on a square plot: ROC (0..1 both ways, with the chance diagonal) and lift. Each
// series is one <path> named by its aria-label; the legend says the same in text.

export type Series = { name: string; label: string; points: readonly { x: number; y: number }[] };

type Props = { label: string; series: readonly Series[]; xLabel: string; yLabel: string; yMax?: number; diagonal?: boolean; reference?: number; testId?: string };

const S = 260;
const PAD = 34;

export function LineChart({ label, series, xLabel, yLabel, yMax, diagonal, reference, testId }: Props) {
  const top = yMax ?? niceMax(Math.max(1, ...series.flatMap((s) => s.points.map((p) => p.y))));
  const x = linear(0, 1, PAD, S - 8);
  const y = linear(0, top, S - PAD, 8);
  return (
    <figure class="chart square" data-testid={testId}>
      <svg viewBox={`0 0 ${S} ${S}`} width={S} height={S} role="img" aria-label={label}>
        <title>{label}</title>
        <rect class="frame" x={x(0)} y={y(top)} width={x(1) - x(0)} height={y(0) - y(top)} fill="none" />
        {diagonal ? <line class="reference" x1={x(0)} y1={y(0)} x2={x(1)} y2={y(1)} /> : null}
        {reference !== undefined ? <line class="reference" x1={x(0)} y1={px(y(reference))} x2={x(1)} y2={px(y(reference))} /> : null}
        {series.map((s, i) => (
          <path
            key={s.name}
            class={`curve series-${i % 4}`}
            fill="none"
            aria-label={s.label}
            d={s.points.map((p, j) => `${j ? 'L' : 'M'}${px(x(p.x))},${px(y(p.y))}`).join(' ')}
          >
            <title>{s.label}</title>
          </path>
        ))}
        <text class="tick" x={(x(0) + x(1)) / 2} y={S - 6} text-anchor="middle">{xLabel}</text>
        <text class="tick" x={10} y={(y(0) + y(top)) / 2} text-anchor="middle" transform={`rotate(-90 10 ${(y(0) + y(top)) / 2})`}>{yLabel}</text>
        <text class="tick" x={PAD - 4} y={y(top) + 8} text-anchor="end">{top}</text>
        <text class="tick" x={PAD - 4} y={y(0)} text-anchor="end">0</text>
      </svg>
      <figcaption>
        <ul class="legend">
          {series.map((s, i) => (
            <li key={s.name}>
              <span class={`swatch series-${i % 4}`} aria-hidden="true" /> {s.label}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
