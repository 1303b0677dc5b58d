import type { Event } from '../contracts/event.ts';
import type { InterestScore, Reason } from '../contracts/lead.ts';
import type { Model } from '../contracts/model.ts';
import type { RuleState, ScoreState } from '../contracts/score-state.ts';
import { compileModel, type CompiledModel } from './compile.ts';
import { decayed } from './decay.ts';
import { describeEvent } from './evidence.ts';
import { pathOf } from './glob.ts';

export function emptyState(model: Model): ScoreState {
  return {
    v: 1,
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
  const compiled = compileModel(model);
  const next: ScoreState = { ...state, rules: { ...state.rules }, only: { ...state.only } };
  // Evidence is worded once per rule for its last award, not for every award on the way.
  const lastAward = new Map<RuleState, Event>();
  for (const event of events) applyOne(compiled, next, event, state.rules, lastAward);
  for (const [rule, event] of lastAward) rule.evidence = describeEvent(event);
  return next;
}

export function applyEvent(model: Model, state: ScoreState, event: Event): ScoreState {
  return applyEvents(model, state, [event]);
}

/** Sorts and folds a whole history from scratch: the batch path. */
export function stateFromHistory(model: Model, events: readonly Event[]): ScoreState {
  const sorted = [...events].sort(compareEvents);
  return applyEvents(model, emptyState(model), sorted);
}

/** `original` holds the caller's rule states: those are copied before their first change. */
function applyOne(c: CompiledModel, s: ScoreState, e: Event, original: ScoreState['rules'], lastAward: Map<RuleState, Event>): void {
  s.lastTs = e.ts;
  s.lastId = e.id;
  // Machine opens (scanners, image proxies) are facts for the timeline, not interest.
  if ((e.type === 'email_open' || e.type === 'email_click') && e.machine) return;
  const path = e.url === undefined ? '' : pathOf(e.url).toLowerCase();

  for (const { rule, matches, gapMs } of c.interestByType[e.type]) {
    if (!matches(e, path)) continue;
    let r = s.rules[rule.id];
    if (!r || r === original[rule.id]) {
      r = r ? { ...r } : { s: 0, at: e.ts, steady: !rule.decays, matches: 0, awards: 0, lastAwardAt: 0, evidence: '' };
      s.rules[rule.id] = r;
    }
    r.matches++;
    if (r.awards > 0 && (gapMs === Infinity || e.ts - r.lastAwardAt < gapMs)) continue;
    let points = rule.points;
    if (rule.maxEventWeight !== undefined && e.weight !== undefined) {
      points = Math.max(-rule.maxEventWeight, Math.min(rule.maxEventWeight, e.weight));
    }
    const current = r.steady ? r.s : decayed(r.s, r.at, e.ts, c.halfLifeMs);
    if (rule.cap !== undefined) {
      points = points > 0 ? Math.min(points, Math.max(0, rule.cap - current)) : Math.max(points, Math.min(0, -rule.cap - current));
    }
    if (points === 0) continue;
    r.s = current + points;
    r.at = e.ts;
    r.awards++;
    r.lastAwardAt = e.ts;
    lastAward.set(r, e);
    if (r.steady) s.steady += points;
    else {
      s.decaying = decayed(s.decaying, s.decayingAt, e.ts, c.halfLifeMs) + points;
      s.decayingAt = e.ts;
    }
  }

  if (e.type === 'page_view') {
    for (const { rule, path: re } of c.only) {
      const was = s.only[rule.id];
      if (was === false) continue;
      const now = re.test(path);
      if (was === undefined && now) s.steady += rule.points;
      if (was === true && !now) s.steady -= rule.points;
      s.only[rule.id] = now;
    }
  }

  for (const h of c.handRaise) {
    if (h.matches(e, path)) {
      s.handRaise = { at: e.ts, rule: h.id, label: h.label, evidence: describeEvent(e) };
      break;
    }
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
  for (const { rule } of c.interest) {
    const r: RuleState | undefined = state.rules[rule.id];
    if (!r || r.awards === 0) continue;
    const points = r.steady ? r.s : decayed(r.s, r.at, at, c.halfLifeMs);
    reasons.push({ rule: rule.id, label: rule.label, points, evidence: r.evidence, at: r.lastAwardAt, count: r.awards });
  }
  for (const { rule } of c.only) {
    if (state.only[rule.id] === true) reasons.push({ rule: rule.id, label: rule.label, points: rule.points, evidence: `only visited ${rule.path}` });
  }
  reasons.sort((a, b) => Math.abs(b.points) - Math.abs(a.points));
  return { score, asOf: at, reasons };
}
