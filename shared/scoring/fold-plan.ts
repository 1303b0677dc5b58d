import { EVENT_TYPES, type Event, type EventOf, type EventType } from '../contracts/event.ts';
import type { EventMatch, HandRaise, InterestRule, Model } from '../contracts/model.ts';
import { linearRegex } from '../linear-regex.ts';
import { canMatchType, intentOf, pathFact, urlRegexFact, type IntentOverrides } from './event-match.ts';
import { globMatcher } from './glob.ts';
import type { UrlEntry, UrlFacts } from './url-facts.ts';

// What the fold in interest.ts runs per event type, compiled once per model (compile.ts). An
// event is read once into a view of a fixed shape; a rule is a few plain fields tested against
// it: one byte among the URL facts for all of its URL conditions together (path glob, URL
// pattern), one among the file facts for its file glob, a flag for "tagged", and a predicate
// only for the rare conditions left (tag, form, intent, selector, name, campaign). Events of
// many shapes then meet monomorphic reads, and a page view's rules cost a byte each.

/** Type-specific conditions, for events already known to be of a type the rule can match. */
export type ViewPredicate = (v: EventView) => boolean;

/**
 * The event fields the fold reads, copied once per event into one object of a fixed shape.
 * Events come in many shapes (page_view, download, email_open..., each with or without its
 * optional fields), so reading `url` or `weight` straight from each event in every rule makes
 * those reads megamorphic (slow lookups); reading them here once keeps the rules' reads monomorphic.
 */
export class EventView {
  event!: Event;
  weight: number | undefined = undefined;
  /** The model's URL tests for the event's URL, or none when no rule for this type reads them. */
  facts: Uint8Array = new Uint8Array(0);
  /** The URL's entry among the URL facts (for evidence), when looked up. */
  entry: UrlEntry | undefined = undefined;
  /** The same for a download's file URL and the model's file globs. */
  fileFacts: Uint8Array = new Uint8Array(0);
  fileEntry: UrlEntry | undefined = undefined;
}

/** The conditions of a rule or hand-raise, for events of a type it can match. */
type ViewMatch = {
  /** Index of the test of all its URL conditions among the URL facts, or -1 when it has none. */
  urlFact: number;
  /** Index of its file glob among the file facts, or -1. */
  fileFact: number;
  /** Only events that carry a weight. */
  tagged: boolean;
  /** Its other conditions, undefined when it has none. */
  test: ViewPredicate | undefined;
};

/**
 * An interest rule as the fold runs it: the rule's numbers hoisted out of the model, its index
 * into the fold's per-rule slots (instead of a lookup by id per event), and its conditions.
 */
export type FoldRule = ViewMatch & {
  index: number;
  id: string;
  points: number;
  cap: number | undefined;
  maxEventWeight: number | undefined;
  steady: boolean;
  gapMs: number;
};

export type FoldHandRaise = ViewMatch & { id: string; label: HandRaise['label'] };

export type FoldPlan = {
  rules: FoldRule[];
  handRaise: FoldHandRaise[];
  /** Whether some rule, hand-raise or only-visited rule for this type reads the URL facts. */
  needsUrl: boolean;
  /** Whether some rule or hand-raise for this type reads the file facts. */
  needsFile: boolean;
  /** Only-visited rules apply (page views only). */
  only: boolean;
};

/** URL facts for event types no rule reads them for. */
const NO_FACTS = new Uint8Array(0);

/** Reads `e` into `v` for its type's plan: its weight, and the URL and file facts the plan's rules read. */
export function readEvent(v: EventView, e: Event, plan: FoldPlan, urlFacts: UrlFacts, fileFacts: UrlFacts): void {
  v.event = e;
  v.weight = e.weight;
  if (plan.needsUrl) {
    const url = e.url;
    const entry = url === undefined ? undefined : urlFacts.entry(url);
    v.entry = entry;
    v.facts = entry === undefined ? NO_FACTS : entry.facts;
  } else {
    v.entry = undefined;
    v.facts = NO_FACTS;
  }
  if (plan.needsFile) {
    // canMatchType allows file conditions on downloads only.
    const entry = fileFacts.entry((e as EventOf<'download'>).fileUrl);
    v.fileEntry = entry;
    v.fileFacts = entry.facts;
  } else {
    v.fileEntry = undefined;
    v.fileFacts = NO_FACTS;
  }
}

/** Whether `m` holds for the event in `v` (of a type `m` can match). */
export function viewMatches(m: ViewMatch, v: EventView): boolean {
  return (
    (m.urlFact < 0 || v.facts[m.urlFact] === 1) &&
    (m.fileFact < 0 || v.fileFacts[m.fileFact] === 1) &&
    (!m.tagged || v.weight !== undefined) &&
    (m.test === undefined || m.test(v))
  );
}

/** What the fold needs to know of the model besides its rules' own fields. */
export type PlanInput = {
  model: Model;
  /** Interest rules with negative interest rules after them, as compile.ts orders them. */
  interest: readonly { rule: InterestRule; gapMs: number }[];
  onlyCount: number;
  overrides: IntentOverrides;
  urlFacts: UrlFacts;
  fileFacts: UrlFacts;
};

/** The fold's plan for each event type. */
export function foldPlans(input: PlanInput): Record<EventType, FoldPlan> {
  const { model, interest } = input;
  const rules: FoldRule[] = interest.map(({ rule, gapMs }, index) => ({
    ...viewMatch(rule.when, input),
    index,
    id: rule.id,
    points: rule.points,
    cap: rule.cap,
    maxEventWeight: rule.maxEventWeight,
    steady: !rule.decays,
    gapMs,
  }));
  const handRaise: FoldHandRaise[] = model.handRaise.map((h) => ({ ...viewMatch(h.when, input), id: h.id, label: h.label }));
  return Object.fromEntries(
    EVENT_TYPES.map((type): [EventType, FoldPlan] => {
      const typeRules = rules.filter((_, i) => canMatchType(interest[i]!.rule.when, type));
      const typeHandRaise = handRaise.filter((_, i) => canMatchType(model.handRaise[i]!.when, type));
      const only = type === 'page_view' && input.onlyCount > 0;
      const all: ViewMatch[] = [...typeRules, ...typeHandRaise];
      return [
        type,
        { rules: typeRules, handRaise: typeHandRaise, needsUrl: only || all.some((m) => m.urlFact >= 0), needsFile: all.some((m) => m.fileFact >= 0), only },
      ];
    }),
  ) as Record<EventType, FoldPlan>;
}

/**
 * A matcher's conditions as the fold tests them. The type conditions are left out (indexing by
 * type already decided them; canMatchType has limited the event to the one type each
 * type-specific condition reads).
 */
function viewMatch(match: EventMatch, input: PlanInput): ViewMatch {
  const { urlFacts, fileFacts } = input;
  let urlFact = -1;
  if (match.path !== undefined && match.urlRegex !== undefined) {
    const path = globMatcher(match.path);
    const re = linearRegex(match.urlRegex);
    urlFact = urlFacts.add(`path ${match.path.toLowerCase()} and regex ${match.urlRegex}`, (url, lowercasedPath) => path(lowercasedPath) && re.test(url));
  } else if (match.path !== undefined) urlFact = pathFact(urlFacts, match.path);
  else if (match.urlRegex !== undefined) urlFact = urlRegexFact(urlFacts, match.urlRegex);
  let fileFact = -1;
  if (match.file !== undefined) {
    const test = globMatcher(match.file);
    fileFact = fileFacts.add(`file ${match.file.toLowerCase()}`, (_url, lowercasedPath) => test(lowercasedPath));
  }
  return { urlFact, fileFact, tagged: match.tagged === true, test: otherConditions(match, input) };
}

function otherConditions(match: EventMatch, input: PlanInput): ViewPredicate | undefined {
  const checks: ViewPredicate[] = [];
  if (match.tag !== undefined) {
    const tag = match.tag.toLowerCase();
    checks.push((v) => v.event.tags !== undefined && v.event.tags.some((t) => t.toLowerCase() === tag));
  }
  if (match.formId !== undefined) {
    const formId = match.formId;
    checks.push((v) => (v.event as EventOf<'form_submit'>).formId === formId);
  }
  if (match.intent !== undefined) {
    const intents = new Set<string>(match.intent);
    const overrides = input.overrides;
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
  if (checks.length === 0) return undefined;
  if (checks.length === 1) return checks[0]!;
  return (v) => {
    for (const check of checks) if (!check(v)) return false;
    return true;
  };
}
