import type { Fingerprint } from '../../shared/contracts/marketing.ts';
import { selectorFor } from './selector.ts';
import { fingerprintOf, inSiteChrome } from './target.ts';

// Who the chosen element is, as the element form shows it and a tag request sends it: its
// selector, its text as the form quotes it, its fingerprint, and whether it sits in the site's
// header, navigation or footer (then the whole site is the likely scope).

export type Target = { selector: string; text: string; fingerprint: Fingerprint | undefined; inChrome: boolean };

/** The element's description, or undefined when no selector can be made for it. */
export function describeTarget(el: Element): Target | undefined {
  let selector: string;
  try {
    selector = selectorFor(el);
  } catch (error) {
    // why: finder gives up on some elements (no unique path within its limits); the form then
    // says "no selector for this element" in the marketer's language, and the console says why.
    console.warn('Leadglow: tagging mode: no selector for the chosen element', error);
    return undefined;
  }
  return { selector, text: (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 120), fingerprint: fingerprintOf(el), inChrome: inSiteChrome(el) };
}
