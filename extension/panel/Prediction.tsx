import type { Prediction as PredictionData } from '../../shared/index.ts';
import { t, uiLanguage } from '../i18n.ts';

// The predictive model's view of the lead, beside the point scores: the probability that it
// converts and the features that weigh most in it, for and against.
const TOP = 5;

const signed = (w: number) => {
  const s = new Intl.NumberFormat(uiLanguage(), { maximumFractionDigits: 2, minimumFractionDigits: 2 }).format(Math.abs(w));
  return w > 0 ? `+${s}` : w < 0 ? `−${s}` : s;
};

export function Prediction({ predicted }: { predicted: PredictionData | undefined }) {
  if (!predicted) return null;
  const pct = new Intl.NumberFormat(uiLanguage(), { style: 'percent', maximumFractionDigits: 0 }).format(predicted.probability);
  const factors = [...predicted.factors].sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight)).slice(0, TOP);
  return (
    <section class="prediction" data-testid="prediction" aria-label={t('predictedTitle')}>
      <div class="score">
        <span class="label">{t('predictedTitle')}</span>
        <span class="value" data-testid="probability">{pct}</span>
        <span class="muted small">{t('predictedHint')}</span>
      </div>
      {factors.length ? (
        <ul class="factors small" aria-label={t('predictedFactors')}>
          {factors.map((f) => (
            <li key={f.feature} class={f.weight < 0 ? 'minus' : 'plus'}>
              {signed(f.weight)} {f.feature}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
