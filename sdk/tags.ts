import { canSend } from './consent.ts';
import { closest, cut, doc, on, selector, text, win } from './dom.ts';
import type { SiteTags } from '../shared/contracts/marketing.ts';
import type { Emit } from './types.ts';

// Marketers tag high-intent pages and elements in markup, or pick elements in the extension's
// tagging mode (saved on the server as selectors, fetched once per page load). The server
// bounds weights by the scoring model: anything a browser sends can be forged.
//
// The snippet itself knows markup tags only. Tags picked in the extension are matched by a
// second script (sdk/tags-script.ts, `/v1/tags.js`), loaded only when the site has some: it
// falls back to a tag's fingerprint when a deploy broke the selector, which the 4,096 B budget
// of a snippet every visitor downloads has no room for.

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

/**
 * What the tags script finds for a click: the tagged element, its selector as saved, its tag.
 * It sets `window.__lgTag`; the snippet calls it from its own click listener, so a click is
 * one event however many scripts know about it.
 */
export type TagHit = [el?: HTMLElement, selector?: string, tag?: string];
/** What the snippet hands the tags script in `window.__lgTags`: the served tags, server origin, site key, and whether sending is allowed now. */
export type TagsHandover = [tags: SiteTags, server: string, site: string, canSend: () => boolean];

type TagsWindow = { __lgTag?: (e: Event) => TagHit | undefined; __lgTags?: TagsHandover };

let asked: unknown;

/**
 * Fetches the site's tags (`GET /v1/tags`, a simple request: no preflight), once per page
 * load. When the answer names a script (the site has element tags), it is loaded from the
 * same server, and handed the answer. Any failure (network, status, shape) leaves markup tags only.
 */
export const fetchTags = (server: string, site: string): unknown =>
  // Site keys are base64url: no escaping needed in the query.
  (asked ||= fetch(server + '/v1/tags?site=' + site)
    .then((r) => r.ok && r.json())
    .then((t: SiteTags) => {
      if (t.script) {
        (win as TagsWindow).__lgTags = [t, server, site, canSend];
        const s = doc.createElement('script');
        s.src = server + t.script;
        doc.head.append(s);
      }
    })
    .catch(() => {}));

/**
 * One click event for a click on a tagged element or anything inside it: tagged in markup, by
 * the tags script (a tag from the server), or both (weight from markup, tags from both). The
 * listener sits on the document, so elements a SPA adds later count too.
 */
export const watchTaggedClicks = (emit: Emit): void =>
  on(doc, 'click', (e) => {
    const m = closest(e, '[data-leadglow-weight],[data-leadglow-tag]');
    const [el = m, sel, tag] = (win as TagsWindow).__lgTag?.(e) || [];
    if (el) emit({ type: 'click', selector: sel || cut(selector(el)), text: text(el), ...marks(m?.dataset.leadglowWeight, [tag, m?.dataset.leadglowTag].join()) });
  });
