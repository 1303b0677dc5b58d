import { isMachineMade, type Event } from '../contracts/event.ts';
import type { Evidence } from '../contracts/lead.ts';
import type { RuleState, ScoreState } from '../contracts/score-state.ts';
import type { CompiledModel } from './compile.ts';
import { decayed, decayFactor } from './decay.ts';
import { evidenceOf } from './evidence.ts';
import { EventView, readEvent, viewMatches, type FoldHandRaise, type FoldRule } from './fold-plan.ts';
import type { UrlEntry } from './url-facts.ts';

/**
 * One fold of events into a state, copy on write. The stored shape (rule states in a record by
 * rule id) is read and written only at the edges: in between, the totals live in fields and each
 * rule's state in a slot indexed by the rule's position in the compiled model, so an event costs
 * no dictionary lookups, and a call allocates nothing for rules the events do not touch. The
 * `rules` and `only` records are copied only when something in them changes (else shared with
 * the input, which nobody changes). Evidence is worded once per rule for its last award, and once
 * per event when several rules award the same event; a page view's or download's evidence comes
 * from its URL's entry among the URL facts, made once per distinct URL (and title).
 *
 * In place (begin(state, true)), the fold changes the given state and its rule states instead of
 * copying them, for a caller that gives the state up (applyEventsInPlace): no record, rule
 * state or state object is made for an event, and the stored JSON comes out the same, because
 * existing keys keep their place and new ones are added at the end in the same order.
 *
 * One Fold per model is reused by every call (interest.ts): it runs to completion without
 * calling out, and begin() resets everything.
 */
export class Fold {
  private readonly c: CompiledModel;
  private readonly view = new EventView();
  private state!: ScoreState;
  /** Whether this fold changes the given state instead of copying it (see above). */
  private inPlace = false;
  private lastTs = 0;
  private lastId = '';
  private decaying = 0;
  private decayingAt = 0;
  private steady = 0;
  private only: ScoreState['only'] = {};
  private onlyCopied = false;
  /**
   * Only-visited rules not yet lifted (false) in this fold, counted on its first page view; -1
   * until then. Once every one is lifted, which one page view elsewhere does, page views skip them.
   */
  private onlyOpen = -1;
  /** The event that last raised a hand in this fold, worded in result(). */
  private handRaiseEvent: Event | undefined = undefined;
  private handRaiseRule: FoldHandRaise | undefined = undefined;
  private handRaiseBuilt: ScoreState['handRaise'] = undefined;
  private handRaiseBuiltFor: Event | undefined = undefined;
  /** This fold's copies of rule states, by rule index; made on first match. */
  private readonly slots: (RuleState | undefined)[];
  /** Whether each slot's rule state is new in this fold (not yet in the given state's record). */
  private readonly added: Uint8Array;
  /** The event of each slot's last award in this fold. */
  private readonly awardEvents: (Event | undefined)[];
  /** The URL entry that event's evidence comes from (page views and downloads), if looked up. */
  private readonly awardEntries: (UrlEntry | undefined)[];
  /** Rule indexes in the order they were first matched: new rule ids are added in this order. */
  private readonly touched: number[] = [];
  /** How many entries of `touched` are this fold's: counting beats truncating the array, a runtime call. */
  private touchedCount = 0;
  /** The last decay factor computed, and for what elapsed time (see factor()). */
  private lastElapsed = 0;
  private lastFactor = 1;

  constructor(c: CompiledModel) {
    this.c = c;
    this.slots = new Array<RuleState | undefined>(c.interest.length).fill(undefined);
    this.added = new Uint8Array(c.interest.length);
    this.awardEvents = new Array<Event | undefined>(c.interest.length).fill(undefined);
    this.awardEntries = new Array<UrlEntry | undefined>(c.interest.length).fill(undefined);
  }

  /** Starts a fold from `state`; with `inPlace`, the fold's result is `state` itself, changed. */
  begin(state: ScoreState, inPlace = false): void {
    this.clearSlots();
    this.state = state;
    this.inPlace = inPlace;
    this.lastTs = state.lastTs;
    this.lastId = state.lastId;
    this.decaying = state.decaying;
    this.decayingAt = state.decayingAt;
    this.steady = state.steady;
    this.only = state.only;
    // In place, the given record is this fold's own already.
    this.onlyCopied = inPlace;
    this.onlyOpen = -1;
    this.handRaiseEvent = undefined;
    this.handRaiseRule = undefined;
    this.handRaiseBuilt = undefined;
    this.handRaiseBuiltFor = undefined;
    this.forgetEvent();
  }

  private clearSlots(): void {
    for (let i = 0; i < this.touchedCount; i++) {
      const index = this.touched[i]!;
      this.slots[index] = undefined;
      this.awardEvents[index] = undefined;
      this.awardEntries[index] = undefined;
    }
    this.touchedCount = 0;
  }

  /** Lets go of the caller's event (the view is reused by the next fold). */
  private forgetEvent(): void {
    const v = this.view;
    v.event = undefined!;
    v.entry = undefined;
    v.fileEntry = undefined;
  }

  apply(e: Event): void {
    const ts = e.ts;
    const type = e.type;
    this.lastTs = ts;
    this.lastId = e.id;
    // Machine opens (scanners, image proxies) are facts for the timeline, not interest.
    if (isMachineMade(e)) return;
    const c = this.c;
    const plan = c.fold[type];
    const v = this.view;
    readEvent(v, e, plan, c.urlFacts, c.fileFacts);
    const evidenceEntry = type === 'page_view' ? v.entry : type === 'download' ? v.fileEntry : undefined;

    const rules = plan.rules;
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i]!;
      // viewMatches, written out: this loop is the engine's hottest.
      if (rule.urlFact >= 0 && v.facts[rule.urlFact] !== 1) continue;
      if (rule.fileFact >= 0 && v.fileFacts[rule.fileFact] !== 1) continue;
      if (rule.tagged && v.weight === undefined) continue;
      if (rule.test !== undefined && !rule.test(v)) continue;
      const r = this.slot(rule, ts);
      r.matches++;
      if (r.awards > 0 && (rule.gapMs === Infinity || ts - r.lastAwardAt < rule.gapMs)) continue;
      let points = rule.points;
      if (rule.maxEventWeight !== undefined && v.weight !== undefined) {
        points = Math.max(-rule.maxEventWeight, Math.min(rule.maxEventWeight, v.weight));
      }
      // decayed(r.s, r.at, ts, halfLife), with the factor remembered.
      const current = r.steady ? r.s : r.s === 0 ? 0 : r.s * this.factor(ts - r.at);
      if (rule.cap !== undefined) {
        points = points > 0 ? Math.min(points, Math.max(0, rule.cap - current)) : Math.max(points, Math.min(0, -rule.cap - current));
      }
      if (points === 0) continue;
      r.s = current + points;
      r.at = ts;
      r.awards++;
      r.lastAwardAt = ts;
      this.awardEvents[rule.index] = e;
      this.awardEntries[rule.index] = evidenceEntry;
      if (r.steady) this.steady += points;
      else {
        this.decaying = (this.decaying === 0 ? 0 : this.decaying * this.factor(ts - this.decayingAt)) + points;
        this.decayingAt = ts;
      }
    }

    if (plan.only && this.onlyOpen !== 0) this.applyOnly(v.facts);

    const handRaise = plan.handRaise;
    for (let i = 0; i < handRaise.length; i++) {
      const h = handRaise[i]!;
      if (viewMatches(h, v)) {
        this.handRaiseEvent = e;
        this.handRaiseRule = h;
        break;
      }
    }
  }

  /**
   * decayFactor(elapsed, half-life), remembering the last answer: Math.pow is the dearest step of
   * an award, and a rule awarded after the last award reads the same elapsed time as the total.
   * The same call with the same arguments as decayed() makes, so the same bits.
   */
  private factor(elapsedMs: number): number {
    if (elapsedMs !== this.lastElapsed) {
      this.lastElapsed = elapsedMs;
      this.lastFactor = decayFactor(elapsedMs, this.c.halfLifeMs);
    }
    return this.lastFactor;
  }

  /** This fold's own copy of a rule's state: copied from the input, or new, on first use. */
  private slot(rule: FoldRule, ts: number): RuleState {
    const mine = this.slots[rule.index];
    if (mine !== undefined) return mine;
    const given: RuleState | undefined = this.state.rules[rule.id];
    let r: RuleState;
    if (given === undefined) {
      r = { s: 0, at: ts, steady: rule.steady, matches: 0, awards: 0, lastAwardAt: 0, evidence: null };
      this.added[rule.index] = 1;
    } else {
      r = this.inPlace
        ? given
        : { s: given.s, at: given.at, steady: given.steady, matches: given.matches, awards: given.awards, lastAwardAt: given.lastAwardAt, evidence: given.evidence };
      this.added[rule.index] = 0;
    }
    this.slots[rule.index] = r;
    this.touched[this.touchedCount++] = rule.index;
    return r;
  }

  private applyOnly(facts: Uint8Array): void {
    const only = this.c.only;
    let open = 0;
    for (let i = 0; i < only.length; i++) {
      const { rule, fact } = only[i]!;
      const was = this.only[rule.id];
      if (was === false) continue;
      const now = facts[fact] === 1;
      if (now) open++;
      if (was === undefined && now) this.steady += rule.points;
      if (was === true && !now) this.steady -= rule.points;
      if (was === now) continue;
      if (!this.onlyCopied) {
        this.only = { ...this.only };
        this.onlyCopied = true;
      }
      this.only[rule.id] = now;
    }
    this.onlyOpen = open;
  }

  result(): ScoreState {
    const next = this.inPlace ? this.update() : this.build(false);
    // Let go of the caller's objects; the next begin() would clear them anyway.
    this.clearSlots();
    this.state = undefined!;
    this.forgetEvent();
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

  /**
   * Bounds of rawInterestAt(at) for any `at` from the last award on, without computing the decay
   * (a Math.pow): the decayed part lies between 0 and its value at the last award, since the
   * factor is at most 1 there and rounding keeps that order (x·f ≤ x for 0 ≤ f ≤ 1, and adding
   * the same number keeps ≤), so rawInterestLow() ≤ rawInterestAt(at) ≤ rawInterestHigh() in
   * floating point too.
   */
  rawInterestLow(): number {
    return Math.min(0, this.decaying) + this.steady;
  }

  rawInterestHigh(): number {
    return Math.max(0, this.decaying) + this.steady;
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

  /** evidenceOf an awarded event, from its URL's entry when it has one. */
  private evidence(award: Event, entry: UrlEntry | undefined): Evidence {
    if (entry !== undefined) {
      if (award.type === 'page_view') return entry.visited(award.title);
      if (award.type === 'download') return entry.download();
    }
    return evidenceOf(award, this.c.overrides);
  }

  /** Words each touched rule's evidence for its last award in this fold. */
  private wordEvidence(): void {
    let lastEvent: Event | undefined;
    let lastEvidence: Evidence | null = null;
    for (let i = 0; i < this.touchedCount; i++) {
      const index = this.touched[i]!;
      const award = this.awardEvents[index];
      if (award === undefined) continue;
      if (award !== lastEvent) {
        lastEvent = award;
        lastEvidence = this.evidence(award, this.awardEntries[index]);
      }
      this.slots[index]!.evidence = lastEvidence;
    }
  }

  /** The in-place result: the given state, changed as build() would give it (same JSON). */
  private update(): ScoreState {
    const s = this.state;
    if (this.touchedCount > 0) {
      this.wordEvidence();
      const rules = s.rules;
      for (let i = 0; i < this.touchedCount; i++) {
        const index = this.touched[i]!;
        // Rule states already in the record were changed where they are.
        if (this.added[index] === 1) rules[this.c.interest[index]!.rule.id] = this.slots[index]!;
      }
    }
    if (this.handRaiseEvent !== undefined) s.handRaise = this.handRaiseNow();
    s.lastTs = this.lastTs;
    s.lastId = this.lastId;
    s.decaying = this.decaying;
    s.decayingAt = this.decayingAt;
    s.steady = this.steady;
    return s;
  }

  private build(copy: boolean): ScoreState {
    let rules = this.state.rules;
    if (this.touchedCount > 0) {
      // Existing ids keep their place and new ones follow in order of first match, as the
      // stored JSON always had them.
      rules = { ...rules };
      this.wordEvidence();
      for (let i = 0; i < this.touchedCount; i++) {
        const index = this.touched[i]!;
        const r = this.slots[index]!;
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
