import { EVENT_TYPES, type EventType } from '../contracts/event.ts';
import type { AttributeMatch, EmailClass, FitRule, HandRaise, InterestRule, Model, OnlyVisitedRule } from '../contracts/model.ts';
import type { RuleState } from '../contracts/score-state.ts';
import type { DomainLists } from '../email.ts';
import { linearRegex, type LinearRegex } from '../linear-regex.ts';
import { DAY_MS } from './decay.ts';
import { canMatchType, compileEventMatch, intentOverrides, pathFact, type EventPredicate, type IntentOverrides } from './event-match.ts';
import { foldPlans, type FoldPlan } from './fold-plan.ts';
import { UrlFacts } from './url-facts.ts';

// A model is compiled once (globs and linear-time regexes built, lists turned into sets) and cached per model
// object, so that scoring an event does no parsing at all.

export { compileEventMatch, intentOf, type EventPredicate, type IntentOverrides } from './event-match.ts';

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
  /** readInterest's working space: a state's rule states by rule index, empty between calls. */
  readSlots: (RuleState | undefined)[];
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
  /** What the fold in interest.ts runs per event type (fold-plan.ts). */
  fold: Record<EventType, FoldPlan>;
  /** Every test the model makes of an event's URL, decided once per distinct URL (url-facts.ts). */
  urlFacts: UrlFacts;
  /** The same for the file URLs of downloads and the model's file globs. */
  fileFacts: UrlFacts;
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
  const fileFacts = new UrlFacts();
  const fold = foldPlans({ model, interest, onlyCount: only.length, overrides, urlFacts, fileFacts });
  return {
    model,
    halfLifeMs: model.halfLifeDays * DAY_MS,
    interest,
    interestIndex: new Map(interest.map(({ rule }, index) => [rule.id, index])),
    readSlots: new Array<RuleState | undefined>(interest.length).fill(undefined),
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
    fileFacts,
  };
}

function gapOf(rule: InterestRule): number {
  if (rule.repeat === 'every') return 0;
  if (rule.repeat === 'once') return Infinity;
  return rule.repeat.everyDays * DAY_MS;
}
