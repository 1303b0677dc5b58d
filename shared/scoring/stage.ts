import type { FitScore, Feedback, Grade, Outcome, Stage } from '../contracts/lead.ts';
import type { Model } from '../contracts/model.ts';
import type { ScoreState } from '../contracts/score-state.ts';
import { GRADES } from '../contracts/lead.ts';

export type StageInput = {
  identified: boolean;
  fit: FitScore;
  /** Interest after the model's floor and cap. */
  interest: number;
  handRaise: ScoreState['handRaise'];
  feedback?: Feedback | undefined;
  outcome?: Outcome | undefined;
};

export type StageResult = { stage: Stage; reason: string; nextStep?: string };

const rank = (g: Grade) => GRADES.indexOf(g);

/**
 * Stage from scores and facts. A hand-raise makes a lead sales-ready whatever its score; an
 * excluded lead is never an MQL. A sales rejection or a lost deal sends the lead back to
 * nurture: only a hand-raise after it counts again.
 */
export function stageOf(model: Model, input: StageInput): StageResult {
  const { fit, interest, feedback, outcome } = input;
  const mql = model.thresholds.mql;
  if (outcome?.result === 'won') return { stage: 'customer', reason: 'won in the CRM' };
  if (fit.excluded) {
    const rule = fit.reasons.find((r) => r.points <= 0) ?? fit.reasons[0];
    return { stage: 'disqualified', reason: `excluded: ${rule ? rule.label : 'an exclusion rule'}` };
  }
  const resetAt = Math.max(feedback?.verdict === 'rejected' ? feedback.at : -Infinity, outcome?.result === 'lost' ? outcome.at : -Infinity);
  const handRaise = input.handRaise && input.handRaise.at > resetAt ? input.handRaise : undefined;
  if (feedback?.verdict === 'rejected' && !handRaise) {
    return { stage: 'disqualified', reason: `rejected by sales${feedback.reason ? `: ${feedback.reason}` : ''}`, nextStep: 'a new demo or contact request would make the lead sales-ready again' };
  }
  if (!input.identified) {
    return { stage: 'anonymous', reason: 'no email address known yet', nextStep: 'a form with an email field or an email-link click identifies the visitor' };
  }
  if (handRaise) return { stage: 'sales_ready', reason: `${handRaise.label}: ${handRaise.evidence}` };
  if (feedback?.verdict === 'accepted') return { stage: 'sales_ready', reason: 'accepted by sales' };
  const fitOk = rank(fit.grade) <= rank(mql.minGrade);
  const toMql = `MQL at interest ${mql.interest} (now ${Math.round(interest)}) with fit ${mql.minGrade} or better (now ${fit.grade})`;
  if (interest >= mql.interest && fitOk) {
    return { stage: 'mql', reason: `interest ${Math.round(interest)} ≥ ${mql.interest} and fit ${fit.grade}`, nextStep: 'a demo or contact request makes the lead sales-ready' };
  }
  if (interest >= model.thresholds.engaged) return { stage: 'engaged', reason: `interest ${Math.round(interest)} ≥ ${model.thresholds.engaged}`, nextStep: toMql };
  return { stage: 'known', reason: 'identified, little interest yet', nextStep: toMql };
}
