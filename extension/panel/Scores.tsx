import type { LeadScore, LeadView } from '../../shared/index.ts';
import { wordNextStep, wordStageReason } from '../../shared/scoring/wording.ts';
import { t, words } from '../i18n.ts';
import { num, stageLabel } from './format.ts';
import { Trend } from './Trend.tsx';

export function Scores({ score, trend }: { score: LeadScore; trend: LeadView['trend'] }) {
  return (
    <section class="scores">
      <div class="score" data-testid="fit">
        <span class="label">{t('fit')}</span>
        <span class="value">{num(score.fit.score)}</span>
        <span class={`grade grade-${score.fit.grade}`}>{score.fit.grade}</span>
      </div>
      <div class="score" data-testid="interest">
        <span class="label">{t('interest')}</span>
        <span class="value">{num(score.interest.score)}</span>
        <Trend points={trend} />
        {score.thresholds ? <InterestScale interest={score.interest.score} mql={score.thresholds.mql} /> : null}
      </div>
    </section>
  );
}

/**
 * Interest on a bar from 0, with the MQL threshold marked, so 46 reads as "close" and 194 as
 * "far past it". The bar ends at one and a half times the threshold, or just past the score.
 */
export function InterestScale({ interest, mql }: { interest: number; mql: number }) {
  const end = Math.max(mql * 1.5, interest * 1.1, 1);
  const pct = (v: number) => `${Math.max(0, Math.min(100, (v / end) * 100)).toFixed(1)}%`;
  const label = t('interestScale', [num(interest), num(mql)]);
  return (
    <div class="scale" data-testid="interest-scale" role="img" aria-label={label} title={label}>
      <div class={`fill${interest >= mql ? ' past' : ''}`} style={{ width: pct(interest) }} />
      <div class="mark" style={{ left: pct(mql) }} />
      <span class="mark-label" style={{ left: pct(mql) }}>{t('mqlMark', [num(mql)])}</span>
    </div>
  );
}

export function StageLine({ score }: { score: LeadScore }) {
  return (
    <section class="stage" data-testid="stage">
      <span class={`pill stage-${score.stage}`}>{stageLabel(score.stage)}</span> <span class="why">{wordStageReason(score.stageReason, words)}</span>
      {score.nextStep ? <p class="next">{t('nextStep', [wordNextStep(score.nextStep, words)])}</p> : null}
    </section>
  );
}
