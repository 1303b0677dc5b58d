import { closest, cut, doc, loc, on, selector, text } from './dom.ts';
import type { Fingerprint, TaggedElement } from '../shared/contracts/marketing.ts';
import type { Emit } from './types.ts';

// Marketers tag high-intent pages and elements in markup, or pick elements in the extension's
// tagging mode (saved on the server as selectors, fetched once per page load). The server
// bounds weights by the scoring model: anything a browser sends can be forged.

export interface Marks {
  weight?: number;
  tags?: string[];
}

/** Parses a weight ("20") and a comma list of tags into contract-sized values (undefined ones vanish in JSON). */
export function marks(weight?: string | null, tags?: string | null): Marks {
  const w = parseFloat(weight!);
  const t = tags?.split(',').map((s) => s.trim().slice(0, 40)).filter(Boolean).slice(0, 10);
  return { weight: w === w ? Math.max(-100, Math.min(100, w)) : undefined, tags: t?.[0] ? t : undefined }; // w === w: not NaN
}

/** `<meta name="leadglow:weight">` and `<meta name="leadglow:tags">`, read per page view (SPA routes may swap them). */
export function pageMarks(): Marks {
  const meta = (n: string) => doc.querySelector<HTMLMetaElement>('meta[name="leadglow:' + n + '"]')?.content;
  return marks(meta('weight'), meta('tags'));
}

let tagged: TaggedElement[] = [];
let asked: unknown;

/**
 * Fetches the site's tagged selectors (`GET /v1/tags`, a simple request: no preflight), once
 * per page load. Any failure (network, status, shape) leaves markup tags only.
 */
export const fetchTags = (url: string): unknown =>
  (asked ||= fetch(url)
    .then((r) => r.ok && r.json())
    .then((t: { elements: TaggedElement[] }) => (tagged = t.elements.filter((e) => e.selector && e.tag)))
    .catch(() => {}));

/** How well an element fits a fingerprint: of the same kind, 1 for the same link, 1 for the same text. */
const fit = (el: Element, f: Fingerprint) => el.localName == f.tag && +(el.getAttribute('href') === f.href) + +(text(el).slice(0, 60) === f.text);

/**
 * The elements tag `t` stands for on this page: none off the tag's pages. Without a
 * fingerprint: the selector's matches. With one: of the selector's matches, those that fit it
 * best; when none fits at all (a deploy renamed or moved the element, or gave the selector to
 * another one), the best fitting elements of its kind anywhere on the page. Throws on an
 * invalid selector.
 */
export function tagTargets(t: TaggedElement): Element[] {
  const f = t.fingerprint;
  let best: Element[] = [];
  let top = 0;
  let s: number;
  if (!t.scope || RegExp(t.scope, 'i').test(loc.pathname))
    for (const list of [doc.querySelectorAll(t.selector), f ? doc.getElementsByTagName(f.tag) : []])
      if (!top) for (const x of list) (s = +(!f || fit(x, f))) > top && ((top = s), (best = [])), s && s == top && best.push(x);
  return best;
}

/**
 * One click event for a click on a tagged element or anything inside it: tagged in markup,
 * by a selector from the server, or both (weight from markup, tags from both). The listener
 * sits on the document, so elements a SPA adds later count too.
 */
export const watchTaggedClicks = (emit: Emit): void =>
  on(doc, 'click', (e) => {
    const m = closest(e, '[data-leadglow-weight],[data-leadglow-tag]');
    let el = m;
    let sel: string | undefined;
    let tags = m?.dataset.leadglowTag;
    for (const t of tagged)
      try {
        // The first tag that claims the click wins; an invalid selector throws and is skipped.
        // Only a click inside the selector's match or the fingerprint's kind can count: the rest is not worth a page search.
        const c = !sel && (closest(e, t.selector) || closest(e, t.fingerprint?.tag!)) && tagTargets(t).find((x) => x.contains(e.target));
        if (c) [el, sel, tags] = [c as HTMLElement, t.selector, [t.tag, tags].join()];
      } catch {}
    if (el) emit({ type: 'click', selector: sel || cut(selector(el)), text: text(el), ...marks(m?.dataset.leadglowWeight, tags) });
  });
