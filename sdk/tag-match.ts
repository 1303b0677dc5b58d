import type { Fingerprint, TaggedElement } from '../shared/contracts/marketing.ts';

// How a tag from the server finds its element on a page (part of the tags script, not the
// snippet). A selector can break across a deploy: a class renamed, a wrapper added, the same
// selector now picking another element. The tag's fingerprint (who the element is: kind, text,
// link, role, place among siblings; extension/tagging/target.ts) checks the selector's matches
// and finds the element again when they no longer fit. A fallback match must agree on
// everything a person recognises it by (text and link), so a tag rather goes missing, and is
// reported lost, than counts another element.

/** How a tag was found on this page: by its selector (`s`), by its fingerprint only (`f`), not at all (`n`). */
export type Found = 's' | 'f' | 'n';

const norm = (s: string | null): string => (s || '').replace(/\s+/g, ' ').trim().slice(0, 60);

/** Is the page at `path` one of the tag's pages? An invalid scope counts nowhere. */
export function inScope(t: TaggedElement, path: string): boolean {
  try {
    return !t.scope || RegExp(t.scope, 'i').test(path);
  } catch {
    return false;
  }
}

/**
 * How well `el` is the fingerprinted element: -1 not at all (another kind, or its text or link
 * differs where `strict`), else 1 + 4 for the same text + 4 for the same link + 1 for the same
 * role + 1 for the same place. Not strict (the selector's own matches): one of text and link
 * agreeing is enough, as a deploy may reword a button the selector still finds.
 */
export function fit(el: Element, f: Fingerprint, strict: boolean): number {
  if (el.localName !== f.tag) return -1;
  const text = f.text === undefined || norm(el.textContent) === f.text;
  const href = f.href === undefined || el.getAttribute('href') === f.href;
  if (strict ? !(text && href) : !(f.text === undefined && f.href === undefined) && !((f.text !== undefined && text) || (f.href !== undefined && href))) return -1;
  const up = el.parentElement;
  const index = up ? [...up.children].filter((c) => c.localName === el.localName).indexOf(el) : 0;
  return 1 + (f.text !== undefined && text ? 4 : 0) + (f.href !== undefined && href ? 4 : 0) + +(el.getAttribute('role') === (f.role ?? null)) + +(index === f.index);
}

/** The best-fitting of `list` (all that tie), or none. */
function best(list: Iterable<Element>, f: Fingerprint, strict: boolean): Element[] {
  let top = -1;
  let out: Element[] = [];
  for (const el of list) {
    const s = fit(el, f, strict);
    if (s > top) (top = s), (out = []);
    if (s >= 0 && s === top) out.push(el);
  }
  return out;
}

/**
 * The elements tag `t` stands for on the page at `path`, and how they were found: none off the
 * tag's pages. Without a fingerprint: the selector's matches. With one: the selector's matches
 * that fit it best; when none fits (a deploy moved, renamed or reworded the element, or gave
 * the selector to another one), the elements of its kind whose text and link are the
 * fingerprint's, best place first. An invalid selector finds nothing by selector.
 */
export function tagTargets(t: TaggedElement, path: string, root: ParentNode = document): { els: Element[]; by: Found } {
  if (!inScope(t, path)) return { els: [], by: 'n' };
  let matches: Element[] = [];
  try {
    matches = [...root.querySelectorAll(t.selector)];
  } catch {
    // An invalid selector (a hostile or broken tag): the fingerprint may still find it.
  }
  const f = t.fingerprint;
  if (!f) return { els: matches, by: matches.length ? 's' : 'n' };
  const bySelector = best(matches, f, false);
  if (bySelector.length) return { els: bySelector, by: 's' };
  let byPrint: Element[] = [];
  try {
    byPrint = best(root.querySelectorAll(f.tag), f, true);
  } catch {
    // Not a tag name: the server's contract forbids it, a forged answer may not.
  }
  return { els: byPrint, by: byPrint.length ? 'f' : 'n' };
}
