import type { Event } from '../contracts/event.ts';
import type { FitScore, RuleLabel, Stage } from '../contracts/lead.ts';
import type { Model } from '../contracts/model.ts';
import type { ScoreState } from '../contracts/score-state.ts';
import { compileModel } from '../scoring/compile.ts';
import { fitForStage, scoreFit } from '../scoring/fit.ts';
import { compareEvents, OpenFold } from '../scoring/interest.ts';
import { readScore } from '../scoring/score.ts';
import { stageOnly, type StageInput } from '../scoring/stage.ts';
import { changesState, MQL_OR_BEYOND, type HistoryLead } from './replay.ts';

// What reports and backtests keep of one lead under one model, from one replay that builds
// nothing they do not read: replayLead (replay.ts) also records every transition and builds
// the final state and the judged score in full, which was most of a report's garbage. The
// numbers are exactly replayLead's (test/shared/analytics/judge.test.ts compares them lead by
// lead): the same events are stepped through and the stage is checked at the same instants.

/** A lead's history as every model replays it: events up to `now` in (ts, id) order. */
export type SortedHistory = {
  readonly lead: HistoryLead;
  readonly now: number;
  readonly events: readonly Event[];
  /** When the lead became known (see replay.ts): undefined without an email. */
  readonly identifiedAt: number | undefined;
  /** Its outcome, when known by `now`: the lead is then judged just before it. */
  readonly outcome: HistoryLead['outcome'];
};

export function sortedHistory(lead: HistoryLead, now: number): SortedHistory {
  const events = upTo(lead.events, now);
  let identifiedAt: number | undefined;
  if (lead.profile.email) {
    const identify = events.find((e) => e.type === 'identify');
    identifiedAt = identify ? identify.ts : -Infinity;
  }
  const outcome = lead.outcome && lead.outcome.at <= now ? lead.outcome : undefined;
  return { lead, now, events, identifiedAt, outcome };
}

/** Events up to `now`, sorted; stored histories come sorted, so this is usually one pass and no copy. */
function upTo(events: readonly Event[], now: number): readonly Event[] {
  let sorted = true;
  let all = true;
  for (let i = 0; i < events.length; i++) {
    if (events[i]!.ts > now) all = false;
    if (i > 0 && compareEvents(events[i - 1]!, events[i]!) > 0) sorted = false;
  }
  if (sorted && all) return events;
  const kept = events.filter((e) => e.ts <= now);
  return sorted ? kept : kept.sort(compareEvents);
}

/** A rule's points in a judged score, as a report sums them (fit reasons first, then interest). */
export type JudgedReason = { rule: string; label: RuleLabel; points: number };

/** One lead under one model: now, and judged just before its outcome (now when it has none). */
export type Judged = {
  fit: number;
  /** When it first reached MQL or beyond. */
  mqlAt: number | undefined;
  /** Stage and interest now. */
  stage: Stage;
  interest: number;
  /** Interest and stage of the score it is judged on (replayLead's `judged`). */
  judgedInterest: number;
  judgedStage: Stage;
  /** The judged score's reasons, fit then interest, each in the score's order: when asked for and the lead has an outcome. */
  reasons?: JudgedReason[];
};

/**
 * Whether two models score fit alike: the same fit rules (with the negative ones), domain lists
 * and grade thresholds, all scoreFit reads. A report's draft or a backtest's then reuses the
 * other model's fit of each lead instead of scoring it again.
 */
export function sameFit(a: Model, b: Model): boolean {
  return a === b || fitKey(a) === fitKey(b);
}

const fitKeys = new WeakMap<Model, string>();

function fitKey(model: Model): string {
  let key = fitKeys.get(model);
  if (key === undefined) {
    key = JSON.stringify([compileModel(model).fit.map((f) => f.rule), model.ownDomains, model.competitorDomains, model.thresholds.grades]);
    fitKeys.set(model, key);
  }
  return key;
}

/**
 * The fit judgeLead needs of a lead: its reasons only when they are asked for and the lead has
 * an outcome (the judged score's reasons); otherwise only the stage reads the fit (fitForStage).
 */
export function judgeFit(model: Model, h: SortedHistory, withReasons: boolean): FitScore {
  return withReasons && h.outcome ? scoreFit(model, h.lead.profile) : fitForStage(model, h.lead.profile);
}

/**
 * replayLead(model, lead, now, judgedAt(lead, now)) reduced to what a tally reads. Without an
 * outcome by `now` the judged score is the score now (same events, same facts: replayLead's last
 * checkpoint is `now`), so only leads with an outcome need a snapshot and a full score. `fit` is
 * the lead's fit under the model when the caller has it (see sameFit).
 */
export function judgeLead(model: Model, h: SortedHistory, withReasons: boolean, fit: FitScore = judgeFit(model, h, withReasons)): Judged {
  const { lead, now, identifiedAt, outcome } = h;
  const compiled = compileModel(model);
  const all = h.events;
  const events: Event[] = [];
  for (let k = 0; k < all.length; k++) {
    const e = all[k]!;
    if (k === 0 || e.type === 'identify' || changesState(compiled, e)) events.push(e);
  }
  // replayLead's checkpoints: the outcome, the feedback and now, those up to now, ascending.
  const feedback = lead.feedback;
  const checkpoints: number[] = [];
  if (outcome) checkpoints.push(outcome.at);
  if (feedback && feedback.at <= now) checkpoints.push(feedback.at);
  checkpoints.push(now);
  checkpoints.sort((a, b) => a - b);

  const fold = new OpenFold(model);
  const judgeAt = outcome ? outcome.at : now;
  let mqlAt: number | undefined;
  let stage: Stage | undefined;
  let interest = 0;
  let judgedState: ScoreState | undefined;
  let i = 0;
  let c = 0;
  while (i < events.length || c < checkpoints.length) {
    const at = Math.min(events[i]?.ts ?? Infinity, checkpoints[c] ?? Infinity);
    if (outcome && judgedState === undefined && at > judgeAt) judgedState = fold.snapshot();
    let j = i;
    while (j < events.length && events[j]!.ts === at) j++;
    if (j > i) fold.apply(events, i, j);
    i = j;
    while (c < checkpoints.length && checkpoints[c] === at) c++;
    const last = i === events.length && c === checkpoints.length;
    // Between the first and the last instant only mqlAt is read: once it is known, nothing is.
    if (!last && mqlAt !== undefined) continue;
    const input: StageInput = {
      identified: identifiedAt !== undefined && identifiedAt <= at,
      fit,
      interest: 0,
      handRaise: fold.handRaise(),
      feedback: feedback && feedback.at <= at ? feedback : undefined,
      outcome: outcome && outcome.at <= at ? outcome : undefined,
    };
    stage = undefined;
    if (!last) {
      // The stage only compares interest with thresholds, so when it is the same at both bounds
      // of interest it is the same at the interest itself, and the decay (a Math.pow) is not
      // computed. The last instant's interest is returned, so it is always computed.
      input.interest = fold.interestLow();
      const low = stageOnly(model, input);
      input.interest = fold.interestHigh();
      if (stageOnly(model, input) === low) stage = low;
    }
    if (stage === undefined) {
      interest = fold.interestAt(at);
      input.interest = interest;
      stage = stageOnly(model, input);
    }
    if (mqlAt === undefined && MQL_OR_BEYOND.has(stage)) mqlAt = at;
  }
  const final = stage ?? 'anonymous';
  if (!outcome) return { fit: fit.score, mqlAt, stage: final, interest, judgedInterest: interest, judgedStage: final };
  const judged = readScore(model, { profile: lead.profile, feedback: feedback && feedback.at <= judgeAt ? feedback : undefined }, judgedState ?? fold.snapshot(), judgeAt, fit);
  const out: Judged = { fit: fit.score, mqlAt, stage: final, interest, judgedInterest: judged.interest.score, judgedStage: judged.stage };
  if (withReasons) out.reasons = [...judged.fit.reasons, ...judged.interest.reasons].map((r) => ({ rule: r.rule, label: r.label, points: r.points }));
  return out;
}
