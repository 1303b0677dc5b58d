import { finder } from '@medv/finder';
import { isGenerated } from './generated.ts';

export { isGenerated };

// Selectors for tagged elements. A tag lives in the model long after the marketer clicked,
// and the SDK matches it on every visitor's click, so a selector must survive the next
// deploy: it is built from what a site's authors wrote on purpose (id, data-*, name,
// aria-label, href, role, type, title) and never from what a build tool generated
// (`css-1x2y3z`, `sc-bdVaJa`, `Button_primary__3xKz9`, React's `:r1:` ids).
//
// finder ranks ids before classes before attributes, all attributes alike; we want named
// attributes before descriptive ones before any class, so the search widens in steps and
// stops at the first that needs no position (`:nth-of-type`): named attributes only, then
// with `type` and `role`, then with the classes that do not look generated.

// Named on purpose by the author, then merely descriptive (many elements share a type or role).
const STRONG = new Set(['name', 'aria-label', 'href', 'title', 'for', 'alt']);
const WEAK = new Set(['type', 'role']);
// data-* attributes that frameworks set for state or scoping, not meaning.
const STATE_DATA = /^data-(v-|reactid|reactroot|state|headlessui|radix|active|selected|focus|hover|open|orientation|highlighted|disabled|side|align|testing-state)/;
/** A class a designer wrote, not a utility (`px-4`, `md:flex`) or a generated one. */
export function isStableClass(name: string): boolean {
  return !isGenerated(name) && !/\d|[:[\]/.!@]/.test(name);
}

export function isStableAttr(name: string, value: string, weakToo = true): boolean {
  if (!value || value.length >= 100 || /[\n\r]/.test(value)) return false;
  if (name === 'href') return !/^\s*javascript:/i.test(value) && !/[?&](utm_|sid=|session|token|ref=)/i.test(value);
  if (name.startsWith('data-')) return !STATE_DATA.test(name) && !isGenerated(value.replace(/\s+/g, '-'));
  return STRONG.has(name) || (weakToo && WEAK.has(name));
}

const isStableId = (id: string) => !isGenerated(id);

/** The tag contract's limit on a selector. */
export const MAX_SELECTOR = 300;

/**
 * A short selector that matches `el` and nothing else in its document, within the contract's
 * 300 characters: when long attribute values (a tracking `href`) make it longer, it is built
 * again from short values only. Throws when even that does not fit.
 */
export function selectorFor(el: Element): string {
  const found = selectorWithin(el, 500);
  if (found.length <= MAX_SELECTOR) return found;
  const short = selectorWithin(el, 60);
  if (short.length > MAX_SELECTOR) throw new Error(`no selector within ${MAX_SELECTOR} characters`);
  return short;
}

function selectorWithin(el: Element, maxValue: number): string {
  const root = el.ownerDocument.documentElement;
  const base = { root, idName: isStableId, timeoutMs: 400, maxNumberOfPathChecks: 3000 } as const;
  const steps = [
    { attr: (n: string, v: string) => v.length <= maxValue && isStableAttr(n, v, false), className: () => false },
    { attr: (n: string, v: string) => v.length <= maxValue && isStableAttr(n, v), className: () => false },
    { attr: (n: string, v: string) => v.length <= maxValue && isStableAttr(n, v), className: isStableClass },
  ];
  let best: string | undefined;
  for (const step of steps) {
    const found = readable(el, finder(el, { ...base, ...step }));
    if (best === undefined || penaltyOf(found) < penaltyOf(best)) best = found;
    if (!/:nth-/.test(found)) break;
  }
  return best!;
}

/**
 * finder escapes attribute values as identifiers (`[href="\/pricing"]`); inside quotes only
 * `"` and `\` need it. The marketer reads this selector in the model, so it is unescaped when
 * it still picks the same element.
 */
function readable(el: Element, selector: string): string {
  const plain = selector.replace(/="((?:[^"\\]|\\.)*)"/g, (_, v: string) => `="${v.replace(/\\([^0-9a-fA-F\n\r"\\])/g, '$1')}"`);
  return plain !== selector && resolveUnique(el.ownerDocument, plain) === el ? plain : selector;
}

/** Position selectors break when the page changes; fewer of them is better, then shorter. */
const penaltyOf = (selector: string) => (selector.match(/:nth-/g)?.length ?? 0) * 1000 + selector.length;

/** The one element `selector` matches in `doc`, or undefined (none, several, or invalid). */
export function resolveUnique(doc: Document, selector: string): Element | undefined {
  try {
    const all = doc.querySelectorAll(selector);
    return all.length === 1 ? all[0] : undefined;
  } catch {
    // why: an invalid selector matches nothing, which is what the caller asks about.
    return undefined;
  }
}
