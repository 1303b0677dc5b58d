import type { Fingerprint } from '../../shared/contracts/marketing.ts';

// What a marketer means when they click: the button, not the icon inside it. A click lands on
// the innermost element under the pointer (a <span> in a button, an <img> in a link); the tag
// must cover the whole control, or clicks on the rest of it never count. The selection snaps
// to the nearest actionable ancestor and the marketer can widen or narrow it step by step.

/** Elements a visitor acts on. */
const ACTIONABLE = 'a[href], button, [role=button], [role=link], [role=menuitem], [role=tab], input[type=submit], input[type=button], input[type=image], summary';
/** Larger things worth tagging as a whole: a form, a card that names itself. */
const CONTAINER = 'form, article, [role=article], [aria-label], [aria-labelledby]';
/** The parts every page shares: tags there are offered site-wide. */
const CHROME = 'header, nav, footer, [role=banner], [role=navigation], [role=contentinfo]';

/** The control a click on `hit` means: its nearest actionable ancestor, or itself. */
export function snapTarget(hit: Element): Element {
  return hit.closest(ACTIONABLE) ?? hit;
}

/**
 * The steps a marketer can widen to, from what the click hit up to the page: the hit, then each
 * actionable or container ancestor. `snapIndex` is where the selection starts.
 */
export function targetChain(hit: Element): { chain: Element[]; snapIndex: number } {
  const chain: Element[] = [hit];
  for (let el = hit.parentElement; el && el !== el.ownerDocument.body && el !== el.ownerDocument.documentElement; el = el.parentElement)
    if (el.matches(ACTIONABLE) || el.matches(CONTAINER)) chain.push(el);
  return { chain, snapIndex: Math.max(0, chain.indexOf(snapTarget(hit))) };
}

/** In the navigation, header or footer that every page of a site shares. */
export const inSiteChrome = (el: Element): boolean => el.closest(CHROME) !== null;

/** Text as the snippet reads it: whitespace collapsed, trimmed, at most 60 characters. */
export const fingerprintText = (el: Element): string => (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 60);

/**
 * Who the element is, in what a person would recognise after a redesign: its kind, text, link,
 * role and place among its siblings. The snippet falls back to it when the selector finds
 * nothing, and checks the selector's match against it.
 */
export function fingerprintOf(el: Element): Fingerprint | undefined {
  const text = fingerprintText(el);
  const href = el.getAttribute('href');
  // Neither text nor link: nothing a person would recognise it by, so no fallback either.
  if (!text && !href) return undefined;
  const role = el.getAttribute('role');
  const index = el.parentElement ? [...el.parentElement.children].filter((c) => c.localName === el.localName).indexOf(el) : 0;
  return {
    tag: el.localName,
    ...(text ? { text } : {}),
    ...(href && href.length <= 500 && !/^\s*javascript:/i.test(href) ? { href } : {}),
    ...(role ? { role: role.slice(0, 40) } : {}),
    index,
  };
}
