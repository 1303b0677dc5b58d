import type { Event } from '../contracts/event.ts';
import type { InterestScore, Reason } from '../contracts/lead.ts';
import type { Model } from '../contracts/model.ts';
import { STATE_VERSION, type ScoreState } from '../contracts/score-state.ts';
import { compileModel } from './compile.ts';
import { decayed, decayFactor } from './decay.ts';
import { Fold } from './fold.ts';

export function emptyState(model: Model): ScoreState {
  return {
    v: STATE_VERSION,
    modelId: model.id,
    modelVersion: model.version,
    lastTs: 0,
    lastId: '',
    decaying: 0,
    decayingAt: 0,
    steady: 0,
    rules: {},
    only: {},
  };
}

/** Events are applied in (ts, id) order; UUID v7 ids make the tie-break follow creation. */
export function compareEvents(a: Pick<Event, 'ts' | 'id'>, b: Pick<Event, 'ts' | 'id'>): number {
  return a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * True when `event` comes before the last event the state has seen. Repeat policies and caps
 * depend on order, so the caller must then rebuild the state from the full history.
 */
export function needsRebuild(state: ScoreState, event: Pick<Event, 'ts' | 'id'>): boolean {
  return compareEvents(event, { ts: state.lastTs, id: state.lastId }) <= 0 && state.lastId !== '';
}

/**
 * Folds events (already in (ts, id) order and newer than the state's last) into a copy of
 * `state`. The input state is never changed.
 */
export function applyEvents(model: Model, state: ScoreState, events: readonly Event[]): ScoreState {
  const fold = foldFor(model);
  fold.begin(state);
  for (let i = 0; i < events.length; i++) fold.apply(events[i]!);
  return fold.result();
}

export function applyEvent(model: Model, state: ScoreState, event: Event): ScoreState {
  const fold = foldFor(model);
  fold.begin(state);
  fold.apply(event);
  return fold.result();
}

/**
 * applyEvents for a caller that gives `state` up: the state is changed and returned, the same
 * state (and the same stored JSON) applyEvents would give, without copying the rule states, the
 * record of them or the state. For a state nobody else holds, such as one just decoded from
 * storage (storedState) or made by emptyState, and not frozen: applyEvents' results share
 * records and rule states with their inputs, so changing one of those would change the other.
 */
export function applyEventsInPlace(model: Model, state: ScoreState, events: readonly Event[]): ScoreState {
  const fold = foldFor(model);
  fold.begin(state, true);
  for (let i = 0; i < events.length; i++) fold.apply(events[i]!);
  return fold.result();
}

/** applyEvent in place: see applyEventsInPlace. */
export function applyEventInPlace(model: Model, state: ScoreState, event: Event): ScoreState {
  const fold = foldFor(model);
  fold.begin(state, true);
  fold.apply(event);
  return fold.result();
}

// One Fold per model, reused by every call: the server's path is one event per call, where
// allocating the fold's working space (and boxing its numbers) cost as much as the event.
// Safe because a fold runs to completion without calling out, and begin() resets everything.
const folds = new WeakMap<Model, Fold>();
// The server scores event after event with the same live model: the last one found skips the
// WeakMap (and stays alive until another model is scored, which costs one model's memory at most).
let lastModel: Model | undefined;
let lastFold: Fold | undefined;

function foldFor(model: Model): Fold {
  if (model === lastModel) return lastFold!;
  let fold = folds.get(model);
  if (!fold) {
    fold = new Fold(compileModel(model));
    folds.set(model, fold);
  }
  lastModel = model;
  lastFold = fold;
  return fold;
}

/**
 * A fold from the empty state kept open over a whole history, for replays that look at the
 * interest and the hand-raise after each step (analytics/replay.ts): reading them costs no
 * state copy, where folding step by step with applyEvents built a whole state per step. Its own
 * fold, so it never shares working space with applyEvents.
 */
export class OpenFold {
  private readonly fold: Fold;
  private readonly model: Model;
  constructor(model: Model) {
    this.model = model;
    this.fold = new Fold(compileModel(model));
    this.fold.begin(emptyState(model));
  }
  /** Events in (ts, id) order, each newer than the last. */
  apply(events: readonly Event[], from: number, to: number): void {
    for (let i = from; i < to; i++) this.fold.apply(events[i]!);
  }
  /** interestAt of the state so far. */
  interestAt(at: number): number {
    return Math.min(this.model.caps.interestMax, Math.max(this.model.caps.interestFloor, this.fold.rawInterestAt(at)));
  }
  /** Bounds of interestAt(at) for any `at` from the last event applied on (see Fold.rawInterestLow). */
  interestLow(): number {
    return Math.min(this.model.caps.interestMax, Math.max(this.model.caps.interestFloor, this.fold.rawInterestLow()));
  }
  interestHigh(): number {
    return Math.min(this.model.caps.interestMax, Math.max(this.model.caps.interestFloor, this.fold.rawInterestHigh()));
  }
  handRaise(): ScoreState['handRaise'] {
    return this.fold.handRaiseNow();
  }
  /** The state so far; the fold goes on. */
  snapshot(): ScoreState {
    return this.fold.snapshot();
  }
  /** The final state; the fold is done. */
  finish(): ScoreState {
    return this.fold.result();
  }
}

/** Sorts and folds a whole history from scratch: the batch path. */
export function stateFromHistory(model: Model, events: readonly Event[]): ScoreState {
  // Histories usually come sorted (the server reads them in order): checking is cheaper than copying and sorting.
  const sorted = isSorted(events) ? events : [...events].sort(compareEvents);
  // The empty state is made here and held by nobody else: folded in place, nothing is copied.
  return applyEventsInPlace(model, emptyState(model), sorted);
}

function isSorted(events: readonly Event[]): boolean {
  for (let i = 1; i < events.length; i++) if (compareEvents(events[i - 1]!, events[i]!) > 0) return false;
  return true;
}

/** The raw interest (before the model's floor and cap) at time `at`: O(1). */
export function rawInterest(model: Model, state: ScoreState, at: number): number {
  return decayed(state.decaying, state.decayingAt, at, model.halfLifeDays * 86_400_000) + state.steady;
}

/** The interest score at `at`, bounded by the model's floor and cap: O(1). */
export function interestAt(model: Model, state: ScoreState, at: number): number {
  return Math.min(model.caps.interestMax, Math.max(model.caps.interestFloor, rawInterest(model, state, at)));
}

/** The interest score at `at` with each rule's contribution as a reason. */
export function readInterest(model: Model, state: ScoreState, at: number): InterestScore {
  const c = compileModel(model);
  const score = interestAt(model, state, at);
  const reasons: Reason[] = [];
  // Each lead's `rules` record has its own key order, so looking every model rule up by id is a
  // megamorphic (slow) lookup, and most miss. Walking the record's own keys once is cheap. The
  // slots by rule index are the compiled model's, emptied again below (this runs to completion).
  const found = c.readSlots;
  for (const id in state.rules) {
    const index = c.interestIndex.get(id);
    if (index !== undefined) found[index] = state.rules[id];
  }
  // decayed(r.s, r.at, at, halfLife) with the last factor remembered: rules awarded by one event
  // share their `at`, and the last award's `at` is the total's (the same call, so the same bits).
  let lastElapsed = Number.NaN;
  let lastFactor = 1;
  for (let i = 0; i < c.interest.length; i++) {
    const r = found[i];
    if (r === undefined) continue;
    found[i] = undefined;
    if (r.awards === 0 || r.evidence === null) continue;
    const rule = c.interest[i]!.rule;
    let points = r.s;
    if (!r.steady && points !== 0) {
      const elapsed = at - r.at;
      if (elapsed !== lastElapsed) {
        lastElapsed = elapsed;
        lastFactor = decayFactor(elapsed, c.halfLifeMs);
      }
      points *= lastFactor;
    }
    reasons.push({ rule: rule.id, label: rule.label, points, evidence: r.evidence, at: r.lastAwardAt, count: r.awards });
  }
  for (const { rule } of c.only) {
    if (state.only[rule.id] === true) reasons.push({ rule: rule.id, label: rule.label, points: rule.points, evidence: { kind: 'only-visited', pattern: rule.path } });
  }
  reasons.sort((a, b) => Math.abs(b.points) - Math.abs(a.points));
  return { score, asOf: at, reasons };
}
