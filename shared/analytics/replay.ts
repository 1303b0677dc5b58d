import { EVENT_TYPES, isMachineMade, type Event, type EventType } from '../contracts/event.ts';
import type { Feedback, FitScore, LeadProfile, LeadScore, Outcome, Stage } from '../contracts/lead.ts';
import type { Model } from '../contracts/model.ts';
import type { ScoreState } from '../contracts/score-state.ts';
import { compileModel, type CompiledModel } from '../scoring/compile.ts';
import { scoreFit } from '../scoring/fit.ts';
import { applyEventsInPlace, compareEvents, emptyState, OpenFold } from '../scoring/interest.ts';
import { readScore } from '../scoring/score.ts';
import { pathOf } from '../scoring/glob.ts';
import { stageOf } from '../scoring/stage.ts';

// A lead's history replayed under a model: its stage over time, as the engine would have
// decided it at each moment. Pure: `now` is a parameter, and facts (outcome, feedback) count
// from the moment they happened, so the past is judged with what was known then.

export type HistoryLead = {
  id: string;
  email?: string | undefined;
  name?: string | undefined;
  profile: LeadProfile;
  /** Any order; events after `now` are ignored. */
  events: readonly Event[];
  outcome?: Outcome | undefined;
  feedback?: Feedback | undefined;
};

export type StageAt = { at: number; stage: Stage };

export type Replay = {
  fit: FitScore;
  /** Each change of stage, oldest first; the first entry is the stage after the first event. */
  transitions: StageAt[];
  /** When the lead first reached each stage. */
  firstAt: Partial<Record<Stage, number>>;
  /** When the lead first reached MQL or beyond (MQL, sales-ready or customer). */
  mqlAt: number | undefined;
  /** First event, the start of "time from first visit". */
  firstSeen: number | undefined;
  stage: Stage;
  interest: number;
  state: ScoreState;
  /** The score at `judgeAt` before the outcome was known (see scoreBefore), when asked for. */
  judged?: LeadScore;
};

export const MQL_OR_BEYOND: ReadonlySet<Stage> = new Set(['mql', 'sales_ready', 'customer']);

/**
 * Stages are checked after each event (events at the same instant together) and at the
 * instants of the outcome, the feedback and `now`. Interest only rises at an event, so a
 * threshold crossed upwards is seen exactly; a fading negative rule that lifts interest between
 * events is seen at the next checkpoint.
 */
export function replayLead(model: Model, lead: HistoryLead, now: number): Replay;
export function replayLead(model: Model, lead: HistoryLead, now: number, judgeAt: number): Replay & { judged: LeadScore };
export function replayLead(model: Model, lead: HistoryLead, now: number, judgeAt?: number): Replay {
  const fit = scoreFit(model, lead.profile);
  const all = lead.events.filter((e) => e.ts <= now).sort(compareEvents);
  const identifiedAt = identificationTime(lead.profile, all);
  // Only events that can move the scores or the stage are stepped through: folding in one at a
  // time costs a state copy each, and most events (engagement pings, unscored pages) change nothing.
  const compiled = compileModel(model);
  const events = all.filter((e, k) => k === 0 || e.type === 'identify' || changesState(compiled, e));
  const checkpoints = [lead.outcome?.at, lead.feedback?.at, now].filter((t): t is number => t !== undefined && t <= now);
  checkpoints.sort((a, b) => a - b);

  // One fold open over the whole history: interest and the hand-raise are read between steps
  // without building a state per step (a state copy per event was most of a report's time).
  const fold = new OpenFold(model);
  const transitions: StageAt[] = [];
  const firstAt: Partial<Record<Stage, number>> = {};
  let mqlAt: number | undefined;
  let stage: Stage | undefined;
  let interest = 0;
  const visit = (at: number) => {
    interest = fold.interestAt(at);
    const next = stageOf(model, {
      identified: identifiedAt !== undefined && identifiedAt <= at,
      fit,
      interest,
      handRaise: fold.handRaise(),
      feedback: lead.feedback && lead.feedback.at <= at ? lead.feedback : undefined,
      outcome: lead.outcome && lead.outcome.at <= at ? lead.outcome : undefined,
    }).stage;
    if (next === stage) return;
    stage = next;
    transitions.push({ at, stage });
    firstAt[stage] ??= at;
    if (mqlAt === undefined && MQL_OR_BEYOND.has(stage)) mqlAt = at;
  };

  let i = 0;
  let c = 0;
  // The state after every event up to judgeAt, taken once the replay passes it.
  let judgedState: ScoreState | undefined;
  while (i < events.length || c < checkpoints.length) {
    const at = Math.min(events[i]?.ts ?? Infinity, checkpoints[c] ?? Infinity);
    if (judgeAt !== undefined && judgedState === undefined && at > judgeAt) judgedState = fold.snapshot();
    let j = i;
    while (j < events.length && events[j]!.ts === at) j++;
    if (j > i) fold.apply(events, i, j);
    i = j;
    while (c < checkpoints.length && checkpoints[c] === at) c++;
    visit(at);
  }
  const state = fold.finish();
  const replay: Replay = { fit, transitions, firstAt, mqlAt, firstSeen: all[0]?.ts, stage: stage ?? 'anonymous', interest, state };
  if (judgeAt !== undefined) replay.judged = judgedScore(model, lead, judgedState ?? state, judgeAt);
  return replay;
}

/**
 * The lead's score at `at` as it stood before its outcome was known: events up to `at`, the
 * feedback if given by then, no outcome. This is what a model is judged on, since a won lead
 * is a customer afterwards whatever its score was.
 */
export function scoreBefore(model: Model, lead: HistoryLead, at: number): LeadScore {
  const events = lead.events.filter((e) => e.ts <= at).sort(compareEvents);
  return judgedScore(model, lead, applyEventsInPlace(model, emptyState(model), events), at);
}

function judgedScore(model: Model, lead: HistoryLead, state: ScoreState, at: number): LeadScore {
  return readScore(model, { profile: lead.profile, feedback: lead.feedback && lead.feedback.at <= at ? lead.feedback : undefined }, state, at);
}

/**
 * Whether applying `e` can change a score state, as the engine applies events (interest.ts):
 * machine opens never do; otherwise an interest rule or hand-raise must match, or the event must
 * be a page view under an only-visited rule. Skipping the others leaves every score the same.
 */
export function changesState(c: CompiledModel, e: Event): boolean {
  if (isMachineMade(e)) return false;
  if (e.type === 'page_view' && c.only.length > 0) return true;
  const path = e.url === undefined ? '' : pathOf(e.url).toLowerCase();
  for (const r of c.interestByType[e.type]) if (r.matches(e, path)) return true;
  for (const h of c.handRaise) if (h.matches(e, path)) return true;
  return false;
}

/** The moment a lead's outcome is judged against: its outcome, else `now`. */
export function judgedAt(lead: HistoryLead, now: number): number {
  return lead.outcome && lead.outcome.at <= now ? lead.outcome.at : now;
}

/**
 * A lead becomes known with its first identify event. A lead with an email and no identify
 * event (imported, or created by the API) was known from the start.
 */
function identificationTime(profile: LeadProfile, sorted: readonly Event[]): number | undefined {
  if (!profile.email) return undefined;
  const identify = sorted.find((e) => e.type === 'identify');
  return identify ? identify.ts : -Infinity;
}

/**
 * The event types that can change a lead's scores or stage under any of `models`: the others
 * (often engagement pings, a large share of all events) need not be read for a replay.
 * Identify events always count (they make a lead known), and so do page views (only-visited rules).
 */
export function typesThatCount(models: readonly Model[]): EventType[] {
  const types = new Set<EventType>(['identify', 'page_view']);
  for (const model of models) {
    const c = compileModel(model);
    for (const t of EVENT_TYPES) if (c.interestByType[t].length > 0) types.add(t);
    for (const h of model.handRaise) for (const t of h.when.types ?? EVENT_TYPES) types.add(t);
  }
  return EVENT_TYPES.filter((t) => types.has(t));
}

