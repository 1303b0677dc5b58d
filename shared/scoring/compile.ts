import { EVENT_TYPES, type Event, type EventType } from '../contracts/event.ts';
import type { AttributeMatch, EventMatch, FitRule, InterestRule, Model, OnlyVisitedRule } from '../contracts/model.ts';
import type { DomainLists } from '../email.ts';
import { DAY_MS } from './decay.ts';
import { globMatcher, globToRegExp, pathOf } from './glob.ts';

// A model is compiled once (regexes built, lists turned into sets) and cached per model
// object, so that scoring an event does no parsing at all.

export type EventPredicate = (event: Event, path: string) => boolean;

export type CompiledInterestRule = {
  rule: InterestRule;
  matches: EventPredicate;
  /** Minimum ms between awards; 0 is every time, Infinity is once. */
  gapMs: number;
};

export type CompiledFitRule = { rule: FitRule; matches: AttributeMatch | undefined; regex: RegExp | undefined };

export type CompiledModel = {
  model: Model;
  halfLifeMs: number;
  interest: CompiledInterestRule[];
  /** The interest rules that can match each event type, so an event skips the others. */
  interestByType: Record<EventType, CompiledInterestRule[]>;
  only: { rule: OnlyVisitedRule; path: RegExp }[];
  handRaise: { id: string; label: string; matches: EventPredicate }[];
  fit: CompiledFitRule[];
  domains: DomainLists;
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
  for (const negative of model.negativeRules) {
    if (negative.axis === 'fit') fitRules.push(negative.rule);
    else if (negative.rule.kind === 'onlyVisited') only.push({ rule: negative.rule, path: globToRegExp(negative.rule.path) });
    else interestRules.push(negative.rule);
  }
  const interest = interestRules.map((rule) => ({ rule, matches: compileEventMatch(rule.when), gapMs: gapOf(rule) }));
  const interestByType = Object.fromEntries(
    EVENT_TYPES.map((type) => [type, interest.filter(({ rule }) => canMatchType(rule.when, type))]),
  ) as Record<EventType, CompiledInterestRule[]>;
  return {
    model,
    halfLifeMs: model.halfLifeDays * DAY_MS,
    interest,
    interestByType,
    only,
    handRaise: model.handRaise.map((h) => ({ id: h.id, label: h.label, matches: compileEventMatch(h.when) })),
    fit: fitRules.map((rule) => ({
      rule,
      matches: rule.kind === 'attribute' ? rule.match : undefined,
      regex: rule.kind === 'attribute' && rule.match.op === 'pattern' ? new RegExp(rule.match.regex, 'i') : undefined,
    })),
    domains: { own: new Set(model.ownDomains), competitors: new Set(model.competitorDomains) },
  };
}

/** Whether a matcher can hold for some event of `type` (a cheap over-approximation). */
function canMatchType(m: EventMatch, type: EventType): boolean {
  if (m.types && !m.types.includes(type)) return false;
  if (m.formId !== undefined && type !== 'form_submit') return false;
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

/** Every condition given must hold; conditions are checked cheapest first. */
export function compileEventMatch(match: EventMatch): EventPredicate {
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
    const re = new RegExp(match.urlRegex, 'i');
    checks.push((e) => e.url !== undefined && re.test(e.url));
  }
  if (checks.length === 1) return checks[0]!;
  return (e, path) => {
    for (const check of checks) if (!check(e, path)) return false;
    return true;
  };
}
