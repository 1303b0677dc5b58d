import { closest, cut, doc, on, selector, text } from './dom.ts';
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
        // The first configured selector that matches wins; an invalid one throws and is skipped.
        const c = !sel && closest(e, t.selector);
        if (c) [el, sel, tags] = [c, t.selector, [t.tag, tags].join()];
      } catch {}
    if (el) emit({ type: 'click', selector: sel || cut(selector(el)), text: text(el), ...marks(m?.dataset.leadglowWeight, tags) });
  });
