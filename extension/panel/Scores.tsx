import type { LeadScore, LeadView } from '../../shared/index.ts';
import { t } from '../i18n.ts';
import { stageLabel } from './format.ts';
import { Trend } from './Trend.tsx';

export function Scores({ score, trend }: { score: LeadScore; trend: LeadView['trend'] }) {
  return (
    <section class="scores">
      <div class="score" data-testid="fit">
        <span class="label">{t('fit')}</span>
        <span class="value">{Math.round(score.fit.score)}</span>
        <span class={`grade grade-${score.fit.grade}`}>{score.fit.grade}</span>
      </div>
      <div class="score" data-testid="interest">
        <span class="label">{t('interest')}</span>
        <span class="value">{Math.round(score.interest.score)}</span>
        <Trend points={trend} />
      </div>
    </section>
  );
}

export function StageLine({ score }: { score: LeadScore }) {
  return (
    <section class="stage" data-testid="stage">
      <span class={`pill stage-${score.stage}`}>{stageLabel(score.stage)}</span> <span class="why">{score.stageReason}</span>
      {score.nextStep ? <p class="next">{t('nextStep', [score.nextStep])}</p> : null}
    </section>
  );
}
