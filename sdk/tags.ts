import { closest, cut, doc, loc, on, selector, text } from './dom.ts';
import type { TaggedElement } from '../shared/contracts/marketing.ts';
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

/**
 * The elements tag `t` stands for on this page: the selector's matches, none off the tag's
 * pages. Throws on an invalid selector. The tag's fingerprint (shared/contracts/model.ts) is
 * kept on the server and served, but the snippet does not fall back to it: that costs about
 * 120 B gzip, over the 4,096 B budget, and waits for a lazily loaded part (issue 19).
 */
export const tagTargets = (t: TaggedElement): Element[] => (!t.scope || RegExp(t.scope, 'i').test(loc.pathname) ? [...doc.querySelectorAll(t.selector)] : []);

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
        // Only a click inside the selector's match can count: the rest is not worth a page search.
        const c = !sel && closest(e, t.selector) && tagTargets(t).find((x) => x.contains(e.target));
        if (c) [el, sel, tags] = [c as HTMLElement, t.selector, [t.tag, tags].join()];
      } catch {}
    if (el) emit({ type: 'click', selector: sel || cut(selector(el)), text: text(el), ...marks(m?.dataset.leadglowWeight, tags) });
  });
