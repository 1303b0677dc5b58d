import type { TaggedElement } from '../shared/contracts/marketing.ts';
import type { TagHealthReport } from '../shared/contracts/tag-health.ts';
import { inScope, tagTargets, type Found } from './tag-match.ts';
import type { TagHit, TagsHandover } from './tags.ts';

// Entry of the tags script (dist/sdk/leadglow-tags.js, served at /v1/tags.js), which the
// snippet loads only for sites with tags picked in the extension, and hands the served tags.
// 1. Matching: `window.__lgTag(click)` answers which tag a click is on (selector, page scope,
//    fingerprint fallback: tag-match.ts). The snippet calls it from its own click listener and
//    sends the one event, so nothing is counted twice.
// 2. Health: which tags of this page were found by selector, by fingerprint only, or not at all,
//    once per path per page load, sent as one beacon when the page is hidden. Tag ids and
//    paths only: no visitor id, no URL query, nothing typed.
// Nothing here may throw into the host page.

type Win = { __lgTag?: (e: Event) => TagHit | undefined; __lgTags?: TagsHandover };

const w = window as Win;
const handed = w.__lgTags;

if (handed && !w.__lgTag)
  try {
    const [{ elements }, server, site, canSend] = handed;
    const tags: TaggedElement[] = elements.filter((t) => t && t.selector && t.tag).slice(0, 200);
    const path = () => location.pathname;
    /** Per path: tag id -> how it was found. Sent once per path per page load. */
    const seen = new Map<string, Record<string, Found>>();
    const sent = new Set<string>();

    /** Looks at the current page: how each of its tags is found now (a later look replaces an earlier one). */
    const look = () => {
      try {
        const p = path();
        if (sent.has(p)) return;
        const found: Record<string, Found> = {};
        let any = false;
        for (const t of tags) if (t.id && inScope(t, p)) (found[t.id] = tagTargets(t, p).by), (any = true);
        if (any) seen.set(p, found);
      } catch {}
    };

    /** Sends what was seen, as one text/plain beacon (no preflight, survives the page going away). */
    const report = () => {
      try {
        look();
        if (!seen.size || !canSend()) return;
        const body: TagHealthReport = { pages: [...seen].slice(0, 20).map(([p, found]) => ({ path: p.slice(0, 300), found })) };
        for (const p of seen.keys()) sent.add(p);
        seen.clear();
        navigator.sendBeacon(server + '/v1/tags/health?site=' + site, JSON.stringify(body));
      } catch {}
    };

    w.__lgTag = (e: Event): TagHit | undefined => {
      const target = e.target as Element;
      const p = path();
      for (const t of tags)
        try {
          // Only a click inside the selector's match or the fingerprint's kind can count: the rest is not worth a page search.
          const near = target.closest?.(t.selector) || (t.fingerprint && target.closest?.(t.fingerprint.tag));
          const hit = near && tagTargets(t, p).els.find((x) => x.contains(target));
          if (hit) return [hit as HTMLElement, t.selector, t.tag];
        } catch {}
    };

    addEventListener('pagehide', report, true);
    document.addEventListener('visibilitychange', () => document.hidden && report(), true);
    // A SPA navigation: what the previous page showed, before the router swaps it.
    const push = history.pushState;
    history.pushState = function (this: History, ...a: Parameters<History['pushState']>) {
      look();
      return push.apply(this, a);
    };
  } catch {}
