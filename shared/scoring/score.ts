import type { Event } from '../contracts/event.ts';
import type { Feedback, FitScore, LeadProfile, LeadScore, Outcome } from '../contracts/lead.ts';
import type { Model } from '../contracts/model.ts';
import type { ScoreState } from '../contracts/score-state.ts';
import { fitForStage, scoreFit } from './fit.ts';
import { readInterest, stateFromHistory, applyEventsInPlace, emptyState, compareEvents, interestAt } from './interest.ts';
import { stageOf } from './stage.ts';

export type LeadFacts = {
  profile: LeadProfile;
  feedback?: Feedback | undefined;
  outcome?: Outcome | undefined;
};

/**
 * A lead's scores at `at` from its kept state: O(1) for the scores, O(rules) for the reasons.
 * `fit` is scoreFit(model, facts.profile) when the caller has it already (fit depends on nothing else).
 */
export function readScore(model: Model, facts: LeadFacts, state: ScoreState, at: number, fit: FitScore = scoreFit(model, facts.profile)): LeadScore {
  const interest = readInterest(model, state, at);
  const stage = stageOf(model, {
    identified: Boolean(facts.profile.email),
    fit,
    interest: interest.score,
    handRaise: state.handRaise,
    feedback: facts.feedback,
    outcome: facts.outcome,
  });
  return {
    modelId: model.id,
    modelVersion: model.version,
    fit,
    interest,
    stage: stage.stage,
    stageReason: stage.reason,
    ...(stage.nextStep ? { nextStep: stage.nextStep } : {}),
    thresholds: { engaged: model.thresholds.engaged, mql: model.thresholds.mql.interest, minGrade: model.thresholds.mql.minGrade },
    ...(state.handRaise ? { handRaisedAt: state.handRaise.at } : {}),
  };
}

/** What a stored score row keeps of a LeadScore: the stage and why, the fit and interest scores. */
export type ScoreFigures = Pick<LeadScore, 'stage' | 'stageReason'> & { fit: number; interest: number };

/**
 * readScore's stage, stage reason, fit score and interest score, without the fit's and the
 * interest's reasons (their evidence, labels and sorting were about half of a read): for a
 * rescore, which stores only these and words a stage change from the stage reason. The same
 * computations as readScore: the fit without its reasons (fitForStage), interestAt, and stageOf.
 */
export function readScoreFigures(model: Model, facts: LeadFacts, state: ScoreState, at: number): ScoreFigures {
  const fit = fitForStage(model, facts.profile);
  const interest = interestAt(model, state, at);
  const stage = stageOf(model, {
    identified: Boolean(facts.profile.email),
    fit,
    interest,
    handRaise: state.handRaise,
    feedback: facts.feedback,
    outcome: facts.outcome,
  });
  return { stage: stage.stage, stageReason: stage.reason, fit: fit.score, interest };
}

/** Scores a lead from its full history: the batch path, used for rescoring and backtests. */
export function scoreLead(model: Model, facts: LeadFacts, events: readonly Event[], at: number): LeadScore {
  return readScore(model, facts, stateFromHistory(model, events.filter((e) => e.ts <= at)), at);
}

/** Several models side by side over the same lead and history. */
export function scoreLeadWithModels(models: readonly Model[], facts: LeadFacts, events: readonly Event[], at: number): LeadScore[] {
  const sorted = events.filter((e) => e.ts <= at).sort(compareEvents);
  return models.map((m) => readScore(m, facts, applyEventsInPlace(m, emptyState(m), sorted), at));
}

/** Interest at each of `times` (ascending), in one pass over the history: for trend lines. */
export function interestSeries(model: Model, events: readonly Event[], times: readonly number[]): number[] {
  const sorted = [...events].sort(compareEvents);
  // This function's own state from start to end: folded in place.
  let state = emptyState(model);
  let i = 0;
  return times.map((t) => {
    const upTo: Event[] = [];
    while (i < sorted.length && sorted[i]!.ts <= t) upTo.push(sorted[i++]!);
    if (upTo.length > 0) state = applyEventsInPlace(model, state, upTo);
    return interestAt(model, state, t);
  });
}
