import { EVENT_TYPES, type Event, type EventOf, type EventType, type FormIntent } from '../contracts/event.ts';
import type { AttributeMatch, EmailClass, EventMatch, FitRule, HandRaise, InterestRule, Model, OnlyVisitedRule } from '../contracts/model.ts';
import type { DomainLists } from '../email.ts';
import { DAY_MS } from './decay.ts';
import { linearRegex, type LinearRegex } from '../linear-regex.ts';
import { globMatcher, pathOf } from './glob.ts';

// A model is compiled once (globs and linear-time regexes built, lists turned into sets) and cached per model
// object, so that scoring an event does no parsing at all.

export type EventPredicate = (event: Event, path: string) => boolean;

export type CompiledInterestRule = {
  rule: InterestRule;
  matches: EventPredicate;
  /** Minimum ms between awards; 0 is every time, Infinity is once. */
  gapMs: number;
};

export type CompiledFitRule = {
  rule: FitRule;
  matches: AttributeMatch | undefined;
  regex: LinearRegex | undefined;
  /** The values of `in`, `notIn` and `contains`, lowercased once here instead of on every read. */
  lowered: string[] | undefined;
};

export type CompiledModel = {
  model: Model;
  halfLifeMs: number;
  interest: CompiledInterestRule[];
  /** Position of each interest rule in `interest`, by rule id. */
  interestIndex: Map<string, number>;
  /** The interest rules that can match each event type, so an event skips the others. */
  interestByType: Record<EventType, CompiledInterestRule[]>;
  /** Only-visited rules, each with the index of its path test among the URL facts. */
  only: { rule: OnlyVisitedRule; fact: number }[];
  handRaise: { id: string; label: HandRaise['label']; matches: EventPredicate }[];
  /** The marketer's form intents (formIntents), for reasons that say who decided. */
  overrides: IntentOverrides;
  fit: CompiledFitRule[];
  domains: DomainLists;
  /**
   * Email domains already classified under this model's lists. Classifying parses the domain
   * against the public suffix list, which cost more than the rest of a fit score; leads of one
   * company share a domain, and most others share a handful of free-mail domains.
   */
  domainClasses: Map<string, EmailClass>;
  /** What the fold in interest.ts runs per event type (see FoldRule). */
  fold: Record<EventType, FoldPlan>;
  /** Every test the model makes of an event's URL, decided once per distinct URL (see UrlFacts). */
  urlFacts: UrlFacts;
};

/** Bounds the memo of URL facts: one model seeing more distinct URLs starts it over. */
const URL_FACTS_KEPT = 10_000;

/**
 * The tests a model makes of an event's URL: path globs, URL patterns (RE2, about 1 µs each in
 * re2js, three of them on every page view of the starter model) and only-visited paths. A site
 * has a few hundred pages, each seen again and again, so each distinct URL is tested once and
 * its answers kept as one byte per test; a rule then reads a byte. An event without a URL
 * passes none of them, as before.
 */
export class UrlFacts {
  private readonly tests: ((url: string, lowercasedPath: string) => boolean)[] = [];
  private readonly keys = new Map<string, number>();
  private readonly memo = new Map<string, Uint8Array>();
  private none: Uint8Array = new Uint8Array(0);

  /** The index of a test, shared by every rule that makes the same one. */
  add(key: string, test: (url: string, lowercasedPath: string) => boolean): number {
    let index = this.keys.get(key);
    if (index === undefined) {
      index = this.tests.length;
      this.tests.push(test);
      this.keys.set(key, index);
      this.none = new Uint8Array(this.tests.length);
    }
    return index;
  }

  /** The answers of every test for `url`: 1 where a test holds. */
  of(url: string | undefined): Uint8Array {
    if (url === undefined) return this.none;
    let facts = this.memo.get(url);
    if (facts === undefined) {
      const path = pathOf(url).toLowerCase();
      facts = new Uint8Array(this.tests.length);
      for (let i = 0; i < this.tests.length; i++) facts[i] = this.tests[i]!(url, path) ? 1 : 0;
      if (this.memo.size >= URL_FACTS_KEPT) this.memo.clear();
      this.memo.set(url, facts);
    }
    return facts;
  }
}

/**
 * The few event fields that matchers read, copied once per event into one object of a fixed
 * shape. Events come in many shapes (page_view, download, email_open...), so reading `url` or
 * `weight` straight from each event in every matcher makes those reads megamorphic (slow
 * lookups); reading them here once keeps the matchers' reads monomorphic.
 */
export class EventView {
  event!: Event;
  url: string | undefined = undefined;
  /** The model's URL tests for `url` (UrlFacts), or none when no rule for this event type reads them. */
  facts: Uint8Array = new Uint8Array(0);
  weight: number | undefined = undefined;
}

/** A matcher for events already known to be of a type the rule can match (see canMatchType). */
export type ViewPredicate = (v: EventView) => boolean;

/**
 * An interest rule as the fold runs it: the rule's numbers hoisted out of the model, its index
 * into the fold's per-rule slots (instead of a lookup by id per event), and `test` undefined
 * when the event type alone decides the match (`{ types: ['download'] }` needs no check).
 */
export type FoldRule = {
  index: number;
  id: string;
  points: number;
  cap: number | undefined;
  maxEventWeight: number | undefined;
  steady: boolean;
  gapMs: number;
  test: ViewPredicate | undefined;
};

export type FoldHandRaise = { id: string; label: HandRaise['label']; test: ViewPredicate | undefined };

export type FoldPlan = {
  rules: FoldRule[];
  handRaise: FoldHandRaise[];
  /** Whether some rule for this type reads the URL facts: the lookup is skipped otherwise. */
  needsUrl: boolean;
  /** Only-visited rules apply (page views only). */
  only: boolean;
};

const cache = new WeakMap<Model, CompiledModel>();

export function compileModel(model: Model): CompiledModel {
  let compiled = cache.get(model);
  if (!compiled) {
    compiled = build(model);
    cache.set(model, compiled);
  }
  return compiled;
}

function build(model: Model): CompiledModel {
  const interestRules: InterestRule[] = [...model.interestRules];
  const fitRules: FitRule[] = [...model.fitRules];
  const only: CompiledModel['only'] = [];
  const urlFacts = new UrlFacts();
  for (const negative of model.negativeRules) {
    if (negative.axis === 'fit') fitRules.push(negative.rule);
    else if (negative.rule.kind === 'onlyVisited') only.push({ rule: negative.rule, fact: pathFact(urlFacts, negative.rule.path) });
    else interestRules.push(negative.rule);
  }
  const overrides = intentOverrides(model);
  const interest = interestRules.map((rule) => ({ rule, matches: compileEventMatch(rule.when, overrides, urlFacts), gapMs: gapOf(rule) }));
  const interestByType = Object.fromEntries(
    EVENT_TYPES.map((type) => [type, interest.filter(({ rule }) => canMatchType(rule.when, type))]),
  ) as Record<EventType, CompiledInterestRule[]>;
  const foldRules: FoldRule[] = interest.map(({ rule, gapMs }, index) => ({
    index,
    id: rule.id,
    points: rule.points,
    cap: rule.cap,
    maxEventWeight: rule.maxEventWeight,
    steady: !rule.decays,
    gapMs,
    test: compileViewMatch(rule.when, overrides, urlFacts),
  }));
  const foldHandRaise = model.handRaise.map((h) => ({ id: h.id, label: h.label, test: compileViewMatch(h.when, overrides, urlFacts) }));
  const fold = Object.fromEntries(
    EVENT_TYPES.map((type): [EventType, FoldPlan] => {
      const rules = foldRules.filter((_, i) => canMatchType(interest[i]!.rule.when, type));
      const handRaise = foldHandRaise.filter((_, i) => canMatchType(model.handRaise[i]!.when, type));
      const onlyApplies = type === 'page_view' && only.length > 0;
      const readsUrl = (m: EventMatch) => m.path !== undefined || m.urlRegex !== undefined;
      const needsUrl =
        onlyApplies ||
        rules.some((r) => readsUrl(interest[r.index]!.rule.when)) ||
        model.handRaise.some((h) => canMatchType(h.when, type) && readsUrl(h.when));
      return [type, { rules, handRaise, needsUrl, only: onlyApplies }];
    }),
  ) as Record<EventType, FoldPlan>;
  return {
    model,
    halfLifeMs: model.halfLifeDays * DAY_MS,
    interest,
    interestIndex: new Map(interest.map(({ rule }, index) => [rule.id, index])),
    interestByType,
    only,
    handRaise: model.handRaise.map((h) => ({ id: h.id, label: h.label, matches: compileEventMatch(h.when, overrides, urlFacts) })),
    overrides,
    fit: fitRules.map((rule) => ({
      rule,
      matches: rule.kind === 'attribute' ? rule.match : undefined,
      regex: rule.kind === 'attribute' && rule.match.op === 'pattern' ? linearRegex(rule.match.regex) : undefined,
      lowered:
        rule.kind === 'attribute' && (rule.match.op === 'in' || rule.match.op === 'notIn' || rule.match.op === 'contains')
          ? rule.match.values.map((v) => v.toLowerCase())
          : undefined,
    })),
    domains: { own: new Set(model.ownDomains), competitors: new Set(model.competitorDomains) },
    domainClasses: new Map(),
    fold,
    urlFacts,
  };
}

const pathFact = (facts: UrlFacts, glob: string): number => {
  const test = globMatcher(glob);
  return facts.add(`path ${glob.toLowerCase()}`, (_url, path) => test(path));
};

const urlRegexFact = (facts: UrlFacts, source: string): number => {
  const re = linearRegex(source);
  return facts.add(`regex ${source}`, (url) => re.test(url));
};

/** Whether a matcher can hold for some event of `type` (a cheap over-approximation). */
function canMatchType(m: EventMatch, type: EventType): boolean {
  if (m.types && !m.types.includes(type)) return false;
  if ((m.formId !== undefined || m.intent !== undefined) && type !== 'form_submit') return false;
  if (m.selector !== undefined && type !== 'click') return false;
  if (m.name !== undefined && type !== 'custom') return false;
  if (m.file !== undefined && type !== 'download') return false;
  if (m.campaign !== undefined && type !== 'email_open' && type !== 'email_click') return false;
  return true;
}

function gapOf(rule: InterestRule): number {
  if (rule.repeat === 'every') return 0;
  if (rule.repeat === 'once') return Infinity;
  return rule.repeat.everyDays * DAY_MS;
}

/** The model's form intent overrides by form id (tagging mode), empty for most models. */
export type IntentOverrides = ReadonlyMap<string, FormIntent>;

const intentOverrides = (model: Model): IntentOverrides => new Map((model.formIntents ?? []).map((o) => [o.formId, o.intent]));

/** A form's intent as a model sees it: the marketer's override, else what ingest decided. */
export const intentOf = (e: EventOf<'form_submit'>, overrides: IntentOverrides): FormIntent => overrides.get(e.formId) ?? e.intent ?? 'other';

/**
 * Every condition given must hold; conditions are checked cheapest first. Within a compiled
 * model, URL patterns are read from the model's URL facts (decided once per distinct URL).
 */
export function compileEventMatch(match: EventMatch, overrides: IntentOverrides = new Map(), urlFacts?: UrlFacts): EventPredicate {
  const checks: EventPredicate[] = [];
  if (match.types) {
    const types = new Set<string>(match.types);
    checks.push((e) => types.has(e.type));
  }
  if (match.tagged) checks.push((e) => e.weight !== undefined);
  if (match.tag !== undefined) {
    const tag = match.tag.toLowerCase();
    checks.push((e) => e.tags !== undefined && e.tags.some((t) => t.toLowerCase() === tag));
  }
  if (match.formId !== undefined) {
    const formId = match.formId;
    checks.push((e) => e.type === 'form_submit' && e.formId === formId);
  }
  if (match.intent !== undefined) {
    const intents = new Set<string>(match.intent);
    checks.push((e) => e.type === 'form_submit' && intents.has(intentOf(e, overrides)));
  }
  if (match.selector !== undefined) {
    const selector = match.selector;
    checks.push((e) => e.type === 'click' && e.selector === selector);
  }
  if (match.name !== undefined) {
    const name = match.name;
    checks.push((e) => e.type === 'custom' && e.name === name);
  }
  if (match.campaign !== undefined) {
    const campaign = match.campaign;
    checks.push((e) => (e.type === 'email_open' || e.type === 'email_click') && e.campaign === campaign);
  }
  if (match.path !== undefined) {
    const test = globMatcher(match.path);
    checks.push((e, path) => e.url !== undefined && test(path));
  }
  if (match.file !== undefined) {
    const test = globMatcher(match.file);
    checks.push((e) => e.type === 'download' && test(pathOf(e.fileUrl).toLowerCase()));
  }
  if (match.urlRegex !== undefined) {
    if (urlFacts) {
      const facts = urlFacts;
      const fact = urlRegexFact(facts, match.urlRegex);
      checks.push((e) => e.url !== undefined && facts.of(e.url)[fact] === 1);
    } else {
      const re = linearRegex(match.urlRegex);
      checks.push((e) => e.url !== undefined && re.test(e.url));
    }
  }
  if (checks.length === 1) return checks[0]!;
  return (e, path) => {
    for (const check of checks) if (!check(e, path)) return false;
    return true;
  };
}

/**
 * The fold's version of compileEventMatch, for events whose type the rule can match: the type
 * conditions are left out (indexing by type already decided them), and url and weight are read
 * from the view. Undefined when nothing is left to check.
 */
function compileViewMatch(match: EventMatch, overrides: IntentOverrides, urlFacts: UrlFacts): ViewPredicate | undefined {
  const checks: ViewPredicate[] = [];
  if (match.tagged) checks.push((v) => v.weight !== undefined);
  if (match.tag !== undefined) {
    const tag = match.tag.toLowerCase();
    checks.push((v) => v.event.tags !== undefined && v.event.tags.some((t) => t.toLowerCase() === tag));
  }
  // Below, canMatchType has already limited the event to the one type each condition reads.
  if (match.formId !== undefined) {
    const formId = match.formId;
    checks.push((v) => (v.event as EventOf<'form_submit'>).formId === formId);
  }
  if (match.intent !== undefined) {
    const intents = new Set<string>(match.intent);
    checks.push((v) => intents.has(intentOf(v.event as EventOf<'form_submit'>, overrides)));
  }
  if (match.selector !== undefined) {
    const selector = match.selector;
    checks.push((v) => (v.event as EventOf<'click'>).selector === selector);
  }
  if (match.name !== undefined) {
    const name = match.name;
    checks.push((v) => (v.event as EventOf<'custom'>).name === name);
  }
  if (match.campaign !== undefined) {
    const campaign = match.campaign;
    checks.push((v) => (v.event as EventOf<'email_open' | 'email_click'>).campaign === campaign);
  }
  if (match.path !== undefined) {
    const fact = pathFact(urlFacts, match.path);
    checks.push((v) => v.facts[fact] === 1);
  }
  if (match.file !== undefined) {
    const test = globMatcher(match.file);
    checks.push((v) => test(pathOf((v.event as EventOf<'download'>).fileUrl).toLowerCase()));
  }
  if (match.urlRegex !== undefined) {
    const fact = urlRegexFact(urlFacts, match.urlRegex);
    checks.push((v) => v.facts[fact] === 1);
  }
  if (checks.length === 0) return undefined;
  if (checks.length === 1) return checks[0]!;
  return (v) => {
    for (const check of checks) if (!check(v)) return false;
    return true;
  };
}
