import { isMachineMade, type Event } from '../contracts/event.ts';
import type { Evidence, InterestScore, Reason } from '../contracts/lead.ts';
import type { Model } from '../contracts/model.ts';
import { STATE_VERSION, type RuleState, type ScoreState } from '../contracts/score-state.ts';
import { compileModel, EventView, type CompiledModel, type FoldHandRaise, type FoldRule } from './compile.ts';
import { decayed } from './decay.ts';
import { evidenceOf } from './evidence.ts';

/** URL facts for event types no rule reads them for. */
const NO_FACTS = new Uint8Array(0);

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

// One Fold per model, reused by every call: the server's path is one event per call, where
// allocating the fold's working space (and boxing its numbers) cost as much as the event.
// Safe because a fold runs to completion without calling out, and begin() resets everything.
const folds = new WeakMap<Model, Fold>();

function foldFor(model: Model): Fold {
  let fold = folds.get(model);
  if (!fold) {
    fold = new Fold(compileModel(model));
    folds.set(model, fold);
  }
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
  return applyEvents(model, emptyState(model), sorted);
}

function isSorted(events: readonly Event[]): boolean {
  for (let i = 1; i < events.length; i++) if (compareEvents(events[i - 1]!, events[i]!) > 0) return false;
  return true;
}

/**
 * One fold of events into a state, copy on write. The stored shape (rule states in a record by
 * rule id) is read and written only at the edges: in between, the totals live in fields and each
 * rule's state in a slot indexed by the rule's position in the compiled model, so an event costs
 * no dictionary lookups, and a call allocates nothing for rules the events do not touch. The
 * `rules` and `only` records are copied only when something in them changes (else shared with
 * the input, which nobody changes). Evidence is worded once per rule for its last award, and once
 * per event when several rules award the same event.
 */
class Fold {
  private readonly c: CompiledModel;
  private readonly view = new EventView();
  private state!: ScoreState;
  private lastTs = 0;
  private lastId = '';
  private decaying = 0;
  private decayingAt = 0;
  private steady = 0;
  private only: ScoreState['only'] = {};
  private onlyCopied = false;
  /** The event that last raised a hand in this fold, worded in result(). */
  private handRaiseEvent: Event | undefined = undefined;
  private handRaiseRule: FoldHandRaise | undefined = undefined;
  /** This fold's copies of rule states, by rule index; made on first match. */
  private readonly slots: (RuleState | undefined)[];
  /** The event of each slot's last award in this fold. */
  private readonly awardEvents: (Event | undefined)[];
  /** Rule indexes in the order they were first matched: new rule ids are added in this order. */
  private readonly touched: number[] = [];
  /** How many entries of `touched` are this fold's: counting beats truncating the array, a runtime call. */
  private touchedCount = 0;

  constructor(c: CompiledModel) {
    this.c = c;
    this.slots = new Array<RuleState | undefined>(c.interest.length).fill(undefined);
    this.awardEvents = new Array<Event | undefined>(c.interest.length).fill(undefined);
  }

  begin(state: ScoreState): void {
    this.clearSlots();
    this.state = state;
    this.lastTs = state.lastTs;
    this.lastId = state.lastId;
    this.decaying = state.decaying;
    this.decayingAt = state.decayingAt;
    this.steady = state.steady;
    this.only = state.only;
    this.onlyCopied = false;
    this.handRaiseEvent = undefined;
    this.handRaiseRule = undefined;
    this.handRaiseBuilt = undefined;
    this.handRaiseBuiltFor = undefined;
    this.view.event = undefined!;
  }

  private clearSlots(): void {
    for (let i = 0; i < this.touchedCount; i++) {
      const index = this.touched[i]!;
      this.slots[index] = undefined;
      this.awardEvents[index] = undefined;
    }
    this.touchedCount = 0;
  }

  apply(e: Event): void {
    const ts = e.ts;
    const type = e.type;
    this.lastTs = ts;
    this.lastId = e.id;
    // Machine opens (scanners, image proxies) are facts for the timeline, not interest.
    if (isMachineMade(e)) return;
    const plan = this.c.fold[type];
    const v = this.view;
    v.event = e;
    v.url = e.url;
    v.weight = e.weight;
    v.facts = plan.needsUrl ? this.c.urlFacts.of(v.url) : NO_FACTS;

    const rules = plan.rules;
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i]!;
      if (rule.test !== undefined && !rule.test(v)) continue;
      const r = this.slot(rule, ts);
      r.matches++;
      if (r.awards > 0 && (rule.gapMs === Infinity || ts - r.lastAwardAt < rule.gapMs)) continue;
      let points = rule.points;
      if (rule.maxEventWeight !== undefined && v.weight !== undefined) {
        points = Math.max(-rule.maxEventWeight, Math.min(rule.maxEventWeight, v.weight));
      }
      const current = r.steady ? r.s : decayed(r.s, r.at, ts, this.c.halfLifeMs);
      if (rule.cap !== undefined) {
        points = points > 0 ? Math.min(points, Math.max(0, rule.cap - current)) : Math.max(points, Math.min(0, -rule.cap - current));
      }
      if (points === 0) continue;
      r.s = current + points;
      r.at = ts;
      r.awards++;
      r.lastAwardAt = ts;
      this.awardEvents[rule.index] = e;
      if (r.steady) this.steady += points;
      else {
        this.decaying = decayed(this.decaying, this.decayingAt, ts, this.c.halfLifeMs) + points;
        this.decayingAt = ts;
      }
    }

    if (plan.only) this.applyOnly(v.facts);

    const handRaise = plan.handRaise;
    for (let i = 0; i < handRaise.length; i++) {
      const h = handRaise[i]!;
      if (h.test === undefined || h.test(v)) {
        this.handRaiseEvent = e;
        this.handRaiseRule = h;
        break;
      }
    }
  }

  /** This fold's own copy of a rule's state: copied from the input, or new, on first use. */
  private slot(rule: FoldRule, ts: number): RuleState {
    const mine = this.slots[rule.index];
    if (mine !== undefined) return mine;
    const given: RuleState | undefined = this.state.rules[rule.id];
    const r: RuleState = given
      ? { s: given.s, at: given.at, steady: given.steady, matches: given.matches, awards: given.awards, lastAwardAt: given.lastAwardAt, evidence: given.evidence }
      : { s: 0, at: ts, steady: rule.steady, matches: 0, awards: 0, lastAwardAt: 0, evidence: null };
    this.slots[rule.index] = r;
    this.touched[this.touchedCount++] = rule.index;
    return r;
  }

  private applyOnly(facts: Uint8Array): void {
    for (const { rule, fact } of this.c.only) {
      const was = this.only[rule.id];
      if (was === false) continue;
      const now = facts[fact] === 1;
      if (was === undefined && now) this.steady += rule.points;
      if (was === true && !now) this.steady -= rule.points;
      if (was === now) continue;
      if (!this.onlyCopied) {
        this.only = { ...this.only };
        this.onlyCopied = true;
      }
      this.only[rule.id] = now;
    }
  }

  result(): ScoreState {
    const next = this.build(false);
    // Let go of the caller's objects; the next begin() would clear them anyway.
    this.clearSlots();
    this.state = undefined!;
    this.view.event = undefined!;
    return next;
  }

  /** The state so far, as result() would give it, while the fold goes on (rule states copied). */
  snapshot(): ScoreState {
    return this.build(true);
  }

  /** Raw interest at `at` from the fold's running totals, as rawInterest of the state would give it. */
  rawInterestAt(at: number): number {
    return decayed(this.decaying, this.decayingAt, at, this.c.halfLifeMs) + this.steady;
  }

  /** The last hand-raise so far, as the state would carry it. */
  handRaiseNow(): ScoreState['handRaise'] {
    if (this.handRaiseEvent === undefined) return this.state.handRaise;
    if (this.handRaiseBuiltFor !== this.handRaiseEvent) {
      const h = this.handRaiseRule!;
      this.handRaiseBuilt = { at: this.handRaiseEvent.ts, rule: h.id, label: h.label, evidence: evidenceOf(this.handRaiseEvent, this.c.overrides) };
      this.handRaiseBuiltFor = this.handRaiseEvent;
    }
    return this.handRaiseBuilt;
  }

  private handRaiseBuilt: ScoreState['handRaise'] = undefined;
  private handRaiseBuiltFor: Event | undefined = undefined;

  private build(copy: boolean): ScoreState {
    let rules = this.state.rules;
    if (this.touchedCount > 0) {
      // Existing ids keep their place and new ones follow in order of first match, as the
      // stored JSON always had them.
      rules = { ...rules };
      let lastEvent: Event | undefined;
      let lastEvidence: Evidence | null = null;
      for (let i = 0; i < this.touchedCount; i++) {
        const index = this.touched[i]!;
        const r = this.slots[index]!;
        const award = this.awardEvents[index];
        if (award !== undefined) {
          if (award !== lastEvent) {
            lastEvent = award;
            lastEvidence = evidenceOf(award, this.c.overrides);
          }
          r.evidence = lastEvidence;
        }
        rules[this.c.interest[index]!.rule.id] = copy ? { ...r } : r;
      }
    }
    const handRaise = this.handRaiseNow();
    const s = this.state;
    const next: ScoreState = {
      v: s.v,
      modelId: s.modelId,
      modelVersion: s.modelVersion,
      lastTs: this.lastTs,
      lastId: this.lastId,
      decaying: this.decaying,
      decayingAt: this.decayingAt,
      steady: this.steady,
      rules,
      only: copy && this.onlyCopied ? { ...this.only } : this.only,
    };
    if (handRaise !== undefined) next.handRaise = handRaise;
    return next;
  }
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
  // megamorphic (slow) lookup, and most miss. Walking the record's own keys once is cheap.
  const found: (RuleState | undefined)[] = new Array<RuleState | undefined>(c.interest.length).fill(undefined);
  for (const id in state.rules) {
    const index = c.interestIndex.get(id);
    if (index !== undefined) found[index] = state.rules[id];
  }
  for (let i = 0; i < c.interest.length; i++) {
    const rule = c.interest[i]!.rule;
    const r = found[i];
    if (!r || r.awards === 0 || r.evidence === null) continue;
    const points = r.steady ? r.s : decayed(r.s, r.at, at, c.halfLifeMs);
    reasons.push({ rule: rule.id, label: rule.label, points, evidence: r.evidence, at: r.lastAwardAt, count: r.awards });
  }
  for (const { rule } of c.only) {
    if (state.only[rule.id] === true) reasons.push({ rule: rule.id, label: rule.label, points: rule.points, evidence: { kind: 'only-visited', pattern: rule.path } });
  }
  reasons.sort((a, b) => Math.abs(b.points) - Math.abs(a.points));
  return { score, asOf: at, reasons };
}
