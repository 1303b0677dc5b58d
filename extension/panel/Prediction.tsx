import type { Prediction as PredictionData, PredictionFactor, PredictionWithheld } from '../../shared/contracts/lead.ts';
import { t, uiLanguage, type MessageKey } from '../i18n.ts';

// The predictive model's view of the lead, beside the point scores: the calibrated chance
// that it is won and the factors that move it most, each in words ("pricing tag: 3 times —
// raises"). When the model has not earned a probability (too few closed deals, or no better
// than chance) the server says why as data, and this says it in the rep's language.
const TOP = 5;

const number = (v: number) => new Intl.NumberFormat(uiLanguage(), { maximumFractionDigits: 2 }).format(v);

const PROFILE: Record<string, MessageKey> = {
  seniority: 'pfSeniority',
  job_title: 'pfJobTitle',
  country: 'pfCountry',
  company_industry: 'pfIndustry',
  company_size: 'pfCompanySize',
  company_revenue: 'pfRevenue',
  email_domain: 'pfEmailDomain',
  visits: 'pfVisits',
  pages_per_visit: 'pfPagesPerVisit',
  minutes_on_site: 'pfMinutes',
  source: 'pfSource',
  days_known: 'pfDaysKnown',
};

const EVENTS = ['page_view', 'engagement', 'download', 'form_submit', 'click', 'identify', 'email_open', 'email_click', 'custom'] as const;

/** What a counted column is about: an event type, a tag or a custom event, in words. */
function subject(key: string): string | undefined {
  if (key.startsWith('tag_')) return t('pfTag', [key.slice(4).replace(/_/g, ' ')]);
  if (key.startsWith('custom_')) return t('pfCustom', [key.slice(7).replace(/_/g, ' ')]);
  const type = EVENTS.find((e) => e === key);
  return type ? t(`pfEvent_${type}` as MessageKey) : undefined;
}

/** A factor in the reader's language, from its column and value; the English label for columns this does not know. */
export function factorWords(f: PredictionFactor): string {
  const col = f.column;
  if (!col) return f.feature;
  const value = f.value === null || f.value === undefined ? undefined : typeof f.value === 'number' ? number(f.value) : f.value;
  const profile = PROFILE[col];
  if (profile) return t(profile, [value ?? t('pfUnknown')]);
  const counted = /^(count|days_since)_(.+)$/.exec(col);
  const what = counted ? subject(counted[2]!) : undefined;
  if (counted && what) {
    if (counted[1] === 'count') return t('pfCount', [value ?? '0', what]);
    return value === undefined ? t('pfNever', [what]) : t('pfDaysSince', [value, what]);
  }
  return f.feature;
}

/** Why no probability is shown, in words. */
export function withheldWords(w: PredictionWithheld): string {
  switch (w.reason) {
    case 'outcomes':
      return t('predictedWithheldOutcomes', [number(w.won), number(w.lost), number(w.needed)]);
    case 'untrained':
      return t('predictedWithheldUntrained', [number(w.won), number(w.lost)]);
    case 'auc':
      return t('predictedWithheldAuc', [w.auc === null ? '–' : new Intl.NumberFormat(uiLanguage(), { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(w.auc), number(w.needed)]);
  }
}

export function Prediction({ predicted, withheld }: { predicted: PredictionData | undefined; withheld?: PredictionWithheld | undefined }) {
  if (!predicted) {
    if (!withheld) return null;
    return (
      <section class="prediction" data-testid="prediction" aria-label={t('predictedTitle')}>
        <p class="muted small" data-testid="prediction-withheld">
          {withheldWords(withheld)}
        </p>
      </section>
    );
  }
  const pct = new Intl.NumberFormat(uiLanguage(), { style: 'percent', maximumFractionDigits: 0 }).format(predicted.probability);
  const factors = [...predicted.factors].sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight)).slice(0, TOP);
  return (
    <section class="prediction" data-testid="prediction" aria-label={t('predictedTitle')}>
      <div class="score">
        <span class="label">{t('predictedTitle')}</span>
        <span class="value" data-testid="probability">
          {pct}
        </span>
        <span class="muted small">{t('predictedHint')}</span>
      </div>
      {factors.length ? (
        <ul class="factors small" aria-label={t('predictedFactors')}>
          {factors.map((f) => (
            <li key={f.feature} class={f.weight < 0 ? 'minus' : 'plus'} title={`${f.weight > 0 ? '+' : f.weight < 0 ? '−' : ''}${number(Math.abs(f.weight))}`}>
              {factorWords(f)} — {f.weight < 0 ? t('predictedLowers') : t('predictedRaises')}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
