import type { Curve } from '../../../shared/contracts/marketing.ts';
import { t } from '../../i18n.ts';
import { LineChart } from '../charts/LineChart.tsx';
import { decimal } from '../format.ts';

// Each scorer (the model, the predictive model) against outcomes: ROC with its AUC, and lift.

/** The server names scorers in English (`predictive (…)`, `model v3 (draft)`): the reader's words here. */
export function scorerLabel(scorer: string): string {
  if (scorer.startsWith('predictive')) return t('dbScorerPredictive');
  return scorer.endsWith(' (draft)') ? t('dbScorerDraft', [scorer.slice(0, -' (draft)'.length)]) : scorer;
}

const aucText = (c: Curve) => t('dbAucOf', [scorerLabel(c.scorer), c.auc === null ? '–' : decimal(c.auc, 3)]);

export function Curves({ curves }: { curves: readonly Curve[] }) {
  if (!curves.length) return null;
  return (
    <section class="report-part">
      <h3>{t('dbCurvesTitle')}</h3>
      <ul class="aucs" data-testid="aucs">
        {curves.map((c) => (
          <li key={c.scorer}>{aucText(c)}</li>
        ))}
      </ul>
      <div class="figures-row">
        <LineChart
          label={t('dbRocTitle')}
          testId="roc"
          xLabel={t('dbFpr')}
          yLabel={t('dbTpr')}
          yMax={1}
          diagonal
          series={curves.map((c) => ({ name: c.scorer, label: aucText(c), points: c.roc.map((p) => ({ x: p.fpr, y: p.tpr })) }))}
        />
        <LineChart
          label={t('dbLiftTitle')}
          testId="lift"
          xLabel={t('dbDepth')}
          yLabel={t('dbLift')}
          reference={1}
          series={curves.map((c) => ({ name: c.scorer, label: scorerLabel(c.scorer), points: c.lift.map((p) => ({ x: p.depth, y: p.lift })) }))}
        />
      </div>
    </section>
  );
}
