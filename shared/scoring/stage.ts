import type { FitScore, Feedback, Grade, NextStep, Outcome, Stage, StageReason } from '../contracts/lead.ts';
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

export type StageResult = { stage: Stage; reason: StageReason; nextStep?: NextStep };

const rank = (g: Grade) => GRADES.indexOf(g);

/**
 * Stage from scores and facts. A hand-raise makes a lead sales-ready whatever its score; an
 * excluded lead is never an MQL. A sales rejection or a lost deal sends the lead back to
 * nurture: only a hand-raise after it counts again. Reasons and next steps are data; the
 * reader's words come from `english.ts` or the extension.
 */
export function stageOf(model: Model, input: StageInput): StageResult {
  const { fit, interest, feedback, outcome } = input;
  const mql = model.thresholds.mql;
  if (outcome?.result === 'won') return { stage: 'customer', reason: { kind: 'won' } };
  if (fit.excluded) {
    const rule = fit.reasons.find((r) => r.points <= 0) ?? fit.reasons[0];
    return { stage: 'disqualified', reason: rule ? { kind: 'excluded', rule: rule.label } : { kind: 'excluded' } };
  }
  const resetAt = Math.max(feedback?.verdict === 'rejected' ? feedback.at : -Infinity, outcome?.result === 'lost' ? outcome.at : -Infinity);
  const handRaise = input.handRaise && input.handRaise.at > resetAt ? input.handRaise : undefined;
  if (feedback?.verdict === 'rejected' && !handRaise) {
    return { stage: 'disqualified', reason: feedback.reason ? { kind: 'rejected', note: feedback.reason } : { kind: 'rejected' }, nextStep: { kind: 'next-again' } };
  }
  if (!input.identified) return { stage: 'anonymous', reason: { kind: 'anonymous' }, nextStep: { kind: 'next-identify' } };
  if (handRaise) return { stage: 'sales_ready', reason: { kind: 'hand-raise', rule: handRaise.label, evidence: handRaise.evidence } };
  if (feedback?.verdict === 'accepted') return { stage: 'sales_ready', reason: { kind: 'accepted' } };
  const now = Math.round(interest);
  const fitOk = rank(fit.grade) <= rank(mql.minGrade);
  const toMql: NextStep = { kind: 'next-mql', threshold: mql.interest, interest: now, minFit: mql.minGrade, fit: fit.grade };
  if (interest >= mql.interest && fitOk) {
    return { stage: 'mql', reason: { kind: 'mql', interest: now, threshold: mql.interest, grade: fit.grade }, nextStep: { kind: 'next-sales-ready' } };
  }
  if (interest >= model.thresholds.engaged) return { stage: 'engaged', reason: { kind: 'engaged', interest: now, threshold: model.thresholds.engaged }, nextStep: toMql };
  return { stage: 'known', reason: { kind: 'known' }, nextStep: toMql };
}
