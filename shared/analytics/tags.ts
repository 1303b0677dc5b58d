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
  const when: EventMatch = request.target === 'element' ? { types: ['click'], selector: request.selector } : { types: ['page_view'], path: request.pattern };
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

/** `tag-demo-k3x9a1`: readable by its tag, stable for the same tag and target. */
export function tagRuleId(request: TagRequest): string {
  const slug = request.tag.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'tag';
  const target = request.target === 'element' ? `element:${request.selector}` : `page:${request.pattern.toLowerCase()}`;
  return `tag-${slug}-${fnv1a(target)}`;
}

/** `Clicked "Book a demo" (demo)`, `Visited /pricing (pricing)`. */
export function tagLabel(request: TagRequest): string {
  const suffix = ` (${request.tag})`;
  const what = request.target === 'element' ? `Clicked ${request.text?.trim() ? `"${oneLine(request.text)}"` : request.selector}` : `Visited ${request.pattern}`;
  return cut(what, MAX_LABEL - suffix.length) + suffix;
}

/**
 * Every element selector the models score a click on, with a tag, so the SDK knows which
 * clicks to send. Interest rules (negative ones too) and hand-raises count; the first tag
 * given for a selector wins.
 */
export function siteTags(models: readonly Model[]): SiteTags {
  const elements: TaggedElement[] = [];
  const seen = new Set<string>();
  const add = (when: EventMatch, id: string, label: string) => {
    if (when.selector === undefined || seen.has(when.selector) || elements.length >= MAX_ELEMENTS) return;
    if (when.types && !when.types.includes('click')) return;
    seen.add(when.selector);
    elements.push({ selector: when.selector, tag: tagOf(when, id, label) });
  };
  for (const model of models) {
    for (const r of model.interestRules) add(r.when, r.id, labelIn(r.label, 'en'));
    for (const n of model.negativeRules) if (n.axis === 'interest' && n.rule.kind === 'event') add(n.rule.when, n.rule.id, labelIn(n.rule.label, 'en'));
    for (const h of model.handRaise) add(h.when, h.id, labelIn(h.label, 'en'));
  }
  return { elements };
}

/** The tag a rule was made with: its matcher's tag, the `(tag)` its label ends with, or its id. */
function tagOf(when: EventMatch, id: string, label: string): string {
  if (when.tag) return when.tag;
  const m = /\(([a-z0-9][a-z0-9 _-]{0,39})\)$/i.exec(label);
  return m ? m[1]! : id.slice(0, 40);
}

function sameTarget(a: EventMatch, b: EventMatch): boolean {
  const keys = Object.keys(a).filter((k) => a[k as keyof EventMatch] !== undefined);
  if (keys.length !== 2 || !a.types || a.types.length !== 1 || a.types[0] !== b.types?.[0]) return false;
  if (b.selector !== undefined) return a.selector === b.selector;
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
