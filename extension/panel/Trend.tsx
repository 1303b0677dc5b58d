import type { LeadView } from '../../shared/index.ts';
import { t } from '../i18n.ts';

// Interest over 30 days as a small line. The y axis starts at 0 so a flat low line looks low.
const W = 120;
const H = 32;

export function Trend({ points }: { points: LeadView['trend'] }) {
  if (points.length < 2) return null;
  const max = Math.max(1, ...points.map((p) => p.interest));
  const first = points[0]!.at;
  const span = Math.max(1, points[points.length - 1]!.at - first);
  const xy = points.map((p) => `${(((p.at - first) / span) * W).toFixed(1)},${(H - 2 - (p.interest / max) * (H - 4)).toFixed(1)}`);
  return (
    <svg class="trend" width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('trendLabel')}>
      <title>{t('trendLabel')}</title>
      <polyline points={xy.join(' ')} fill="none" stroke="currentColor" stroke-width="1.5" />
    </svg>
  );
}
