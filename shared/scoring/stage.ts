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

/** Which of stageOf's rules decides a lead's stage, in the order they are tried. */
type Decision = 'won' | 'excluded' | 'rejected' | 'anonymous' | 'hand-raise' | 'accepted' | 'mql' | 'engaged' | 'known';

const STAGE_OF: Record<Decision, Stage> = {
  won: 'customer',
  excluded: 'disqualified',
  rejected: 'disqualified',
  anonymous: 'anonymous',
  'hand-raise': 'sales_ready',
  accepted: 'sales_ready',
  mql: 'mql',
  engaged: 'engaged',
  known: 'known',
};

/** The hand-raise that counts: one after the last rejection or lost deal. */
function liveHandRaise({ handRaise, feedback, outcome }: StageInput): ScoreState['handRaise'] {
  const resetAt = Math.max(feedback?.verdict === 'rejected' ? feedback.at : -Infinity, outcome?.result === 'lost' ? outcome.at : -Infinity);
  return handRaise && handRaise.at > resetAt ? handRaise : undefined;
}

function decide(model: Model, input: StageInput): Decision {
  const { fit, interest, feedback, outcome } = input;
  if (outcome?.result === 'won') return 'won';
  if (fit.excluded) return 'excluded';
  const handRaise = liveHandRaise(input);
  if (feedback?.verdict === 'rejected' && !handRaise) return 'rejected';
  if (!input.identified) return 'anonymous';
  if (handRaise) return 'hand-raise';
  if (feedback?.verdict === 'accepted') return 'accepted';
  const mql = model.thresholds.mql;
  if (interest >= mql.interest && rank(fit.grade) <= rank(mql.minGrade)) return 'mql';
  if (interest >= model.thresholds.engaged) return 'engaged';
  return 'known';
}

/**
 * stageOf(model, input).stage without the reason and next step: reports and backtests ask at
 * every event of every lead and read only the stage, and building the reasons was most of it.
 */
export function stageOnly(model: Model, input: StageInput): Stage {
  return STAGE_OF[decide(model, input)];
}

/**
 * Stage from scores and facts. A hand-raise makes a lead sales-ready whatever its score; an
 * excluded lead is never an MQL. A sales rejection or a lost deal sends the lead back to
 * nurture: only a hand-raise after it counts again. Reasons and next steps are data; the
 * reader's words come from `english.ts` or the extension.
 */
export function stageOf(model: Model, input: StageInput): StageResult {
  const { fit, interest, feedback } = input;
  const mql = model.thresholds.mql;
  const now = Math.round(interest);
  const toMql = (): NextStep => ({ kind: 'next-mql', threshold: mql.interest, interest: now, minFit: mql.minGrade, fit: fit.grade });
  switch (decide(model, input)) {
    case 'won':
      return { stage: 'customer', reason: { kind: 'won' } };
    case 'excluded': {
      const rule = fit.reasons.find((r) => r.points <= 0) ?? fit.reasons[0];
      return { stage: 'disqualified', reason: rule ? { kind: 'excluded', rule: rule.label } : { kind: 'excluded' } };
    }
    case 'rejected':
      return { stage: 'disqualified', reason: feedback?.reason ? { kind: 'rejected', note: feedback.reason } : { kind: 'rejected' }, nextStep: { kind: 'next-again' } };
    case 'anonymous':
      return { stage: 'anonymous', reason: { kind: 'anonymous' }, nextStep: { kind: 'next-identify' } };
    case 'hand-raise': {
      const handRaise = liveHandRaise(input)!;
      return { stage: 'sales_ready', reason: { kind: 'hand-raise', rule: handRaise.label, evidence: handRaise.evidence } };
    }
    case 'accepted':
      return { stage: 'sales_ready', reason: { kind: 'accepted' } };
    case 'mql':
      return { stage: 'mql', reason: { kind: 'mql', interest: now, threshold: mql.interest, grade: fit.grade }, nextStep: { kind: 'next-sales-ready' } };
    case 'engaged':
      return { stage: 'engaged', reason: { kind: 'engaged', interest: now, threshold: model.thresholds.engaged }, nextStep: toMql() };
    case 'known':
      return { stage: 'known', reason: { kind: 'known' }, nextStep: toMql() };
  }
}
