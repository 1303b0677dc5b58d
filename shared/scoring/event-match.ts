import type { Event, EventOf, EventType, FormIntent } from '../contracts/event.ts';
import type { EventMatch, Model } from '../contracts/model.ts';
import { linearRegex } from '../linear-regex.ts';
import { globMatcher, pathOf } from './glob.ts';
import type { UrlFacts } from './url-facts.ts';

// An event matcher (a rule's `when`) as one predicate over any event: for callers that test
// single events (replays, the page check, tagging mode). The fold runs its own form of the
// same conditions (fold-plan.ts).

export type EventPredicate = (event: Event, path: string) => boolean;

/** The model's form intent overrides by form id (tagging mode), empty for most models. */
export type IntentOverrides = ReadonlyMap<string, FormIntent>;

export const intentOverrides = (model: Model): IntentOverrides => new Map((model.formIntents ?? []).map((o) => [o.formId, o.intent]));

/** A form's intent as a model sees it: the marketer's override, else what ingest decided. */
export const intentOf = (e: EventOf<'form_submit'>, overrides: IntentOverrides): FormIntent => overrides.get(e.formId) ?? e.intent ?? 'other';

/** Whether a matcher can hold for some event of `type` (a cheap over-approximation). */
export function canMatchType(m: EventMatch, type: EventType): boolean {
  if (m.types && !m.types.includes(type)) return false;
  if ((m.formId !== undefined || m.intent !== undefined) && type !== 'form_submit') return false;
  if (m.selector !== undefined && type !== 'click') return false;
  if (m.name !== undefined && type !== 'custom') return false;
  if (m.file !== undefined && type !== 'download') return false;
  if (m.campaign !== undefined && type !== 'email_open' && type !== 'email_click') return false;
  return true;
}

/** The URL facts test of a path glob (shared by rules and only-visited rules). */
export const pathFact = (facts: UrlFacts, glob: string): number => {
  const test = globMatcher(glob);
  return facts.add(`path ${glob.toLowerCase()}`, (_url, path) => test(path));
};

/** The URL facts test of a URL pattern. */
export const urlRegexFact = (facts: UrlFacts, source: string): number => {
  const re = linearRegex(source);
  return facts.add(`regex ${source}`, (url) => re.test(url));
};

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
