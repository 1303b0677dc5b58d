import type { SiteTags, TagRequest, TaggedElement } from '../contracts/marketing.ts';
import { labelIn } from '../contracts/lead.ts';
import type { EventMatch, InterestRule, Model } from '../contracts/model.ts';

// Tagging mode saves tags as interest rules of a model (a draft), not as markup on the site:
// the marketer needs no deploy, and a backtest can weigh the tag against history first.

const MAX_LABEL = 120;
const MAX_ELEMENTS = 200;

/**
 * Adds the rule for a tagged element or page, replacing the rule an earlier tag made for the
 * same target (re-tagging changes the tag and weight, it does not stack a second rule).
 * Repeat is `once`: a tag says "this signals intent"; counting repeats is the job of the
 * model's other rules, and it keeps "interest rises by the weight" true for the marketer.
 */
export function addTag(model: Model, request: TagRequest): Model {
  const when: EventMatch = request.target === 'element' ? elementMatch(request) : { types: ['page_view'], path: request.pattern };
  const existing = model.interestRules.findIndex((r) => sameTarget(r.when, when));
  const taken = new Set(allRuleIds(model));
  if (existing >= 0) taken.delete(model.interestRules[existing]!.id);
  const rule: InterestRule = {
    id: uniqueId(tagRuleId(request), taken),
    kind: 'event',
    label: tagLabel(request),
    when,
    points: request.weight,
    repeat: 'once',
    decays: true,
  };
  const interestRules = [...model.interestRules];
  if (existing >= 0) interestRules[existing] = rule;
  else interestRules.push(rule);
  return { ...model, interestRules };
}

/**
 * A click on the element, on the pages of its scope: the engine checks the click's path, so a
 * click on the same selector elsewhere does not count. Site-wide (`/*`) needs no path.
 */
function elementMatch(request: Extract<TagRequest, { target: 'element' }>): EventMatch {
  const scoped = request.pattern !== undefined && request.pattern !== '/*';
  return { types: ['click'], selector: request.selector, ...(scoped ? { path: request.pattern } : {}), ...(request.fingerprint ? { fingerprint: request.fingerprint } : {}) };
}

/** `tag-demo-k3x9a1`: readable by its tag, stable for the same tag and target. */
export function tagRuleId(request: TagRequest): string {
  const slug = request.tag.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'tag';
  const scope = request.target === 'element' && request.pattern && request.pattern !== '/*' ? ` on ${request.pattern.toLowerCase()}` : '';
  const target = request.target === 'element' ? `element:${request.selector}${scope}` : `page:${request.pattern.toLowerCase()}`;
  return `tag-${slug}-${fnv1a(target)}`;
}

/** `Clicked "Book a demo" on /pricing (demo)`, `Visited /pricing (pricing)`. */
export function tagLabel(request: TagRequest): string {
  const suffix = ` (${request.tag})`;
  const where = request.target === 'element' && request.pattern && request.pattern !== '/*' ? ` on ${request.pattern}` : '';
  const what = request.target === 'element' ? `Clicked ${request.text?.trim() ? `"${oneLine(request.text)}"` : request.selector}` : `Visited ${request.pattern}`;
  return request.target === 'element' ? cut(what, MAX_LABEL - suffix.length - where.length) + cut(where, MAX_LABEL - suffix.length - 10) + suffix : cut(what, MAX_LABEL - suffix.length) + suffix;
}

/** A served tag, and the page glob its rule counts clicks on (absent: every page). */
export interface ServedTag {
  element: TaggedElement;
  path?: string;
}

/**
 * Every element selector the models score a click on, with a tag, so the SDK knows which
 * clicks to send: with the pages it counts on (the rule's path, as the engine reads it), the
 * element's fingerprint and an id for the selector on those pages (a hash: what the tags
 * script's health reports name, the same for the same tag in the live model and its draft).
 * Interest rules (negative ones too) and hand-raises count; the first tag given for a selector
 * and scope wins.
 */
export function servedTags(models: readonly Model[]): ServedTag[] {
  const out: ServedTag[] = [];
  const seen = new Set<string>();
  const add = (when: EventMatch, id: string, label: string) => {
    const key = `${when.selector}\n${when.path ?? ''}`;
    if (when.selector === undefined || seen.has(key) || out.length >= MAX_ELEMENTS) return;
    if (when.types && !when.types.includes('click')) return;
    seen.add(key);
    const element: TaggedElement = {
      id: fnv1a(key),
      selector: when.selector,
      tag: tagOf(when, id, label),
      ...(when.path !== undefined ? { scope: scopeSource(when.path) } : {}),
      ...(when.fingerprint ? { fingerprint: when.fingerprint } : {}),
    };
    out.push(when.path !== undefined ? { element, path: when.path } : { element });
  };
  for (const model of models) {
    for (const r of model.interestRules) add(r.when, r.id, labelIn(r.label, 'en'));
    for (const n of model.negativeRules) if (n.axis === 'interest' && n.rule.kind === 'event') add(n.rule.when, n.rule.id, labelIn(n.rule.label, 'en'));
    for (const h of model.handRaise) add(h.when, h.id, labelIn(h.label, 'en'));
  }
  return out;
}

/** The answer of `GET /v1/tags`: the served tags' elements (the server adds the tags script's path). */
export const siteTags = (models: readonly Model[]): SiteTags => ({ elements: servedTags(models).map((t) => t.element) });

/** The tag a rule was made with: its matcher's tag, the `(tag)` its label ends with, or its id. */
function tagOf(when: EventMatch, id: string, label: string): string {
  if (when.tag) return when.tag;
  const m = /\(([a-z0-9][a-z0-9 _-]{0,39})\)$/i.exec(label);
  return m ? m[1]! : id.slice(0, 40);
}

/** A rule tagging mode made for the same element on the same pages, or the same page. */
function sameTarget(a: EventMatch, b: EventMatch): boolean {
  const keys = Object.keys(a).filter((k) => a[k as keyof EventMatch] !== undefined);
  if (!a.types || a.types.length !== 1 || a.types[0] !== b.types?.[0]) return false;
  if (b.selector !== undefined)
    return keys.every((k) => ['types', 'selector', 'path', 'fingerprint'].includes(k)) && a.selector === b.selector && (a.path ?? '').toLowerCase() === (b.path ?? '').toLowerCase();
  if (keys.length !== 2) return false;
  return a.path !== undefined && b.path !== undefined && a.path.toLowerCase() === b.path.toLowerCase();
}

function allRuleIds(model: Model): string[] {
  return [...model.fitRules.map((r) => r.id), ...model.interestRules.map((r) => r.id), ...model.negativeRules.map((n) => n.rule.id), ...model.handRaise.map((h) => h.id)];
}

function uniqueId(id: string, taken: ReadonlySet<string>): string {
  if (!taken.has(id)) return id;
  for (let n = 2; ; n++) if (!taken.has(`${id}-${n}`)) return `${id}-${n}`;
}

/** FNV-1a, 32 bits, base 36: short, stable across runs and platforms. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/**
 * A tag's page glob as the regular expression the SDK tests `location.pathname` with (matched
 * whole, ignoring case). The server never runs it (it matches globs in linear time, glob.ts);
 * it runs in the visitor's browser on that site's own paths, so a pathological pattern can only
 * slow the admin's own pages. Runs of `*` collapse to one `.*` to keep the backtracking small.
 */
export function scopeSource(glob: string): string {
  const body = glob
    .split(/\*+/)
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return `^${body}$`;
}
