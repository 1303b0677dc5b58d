import { cut, doc, guard, loc, on, win } from './dom.ts';
import { pageMarks } from './tags.ts';
import type { Emit, LgEvent } from './types.ts';

let last: string | undefined;

/**
 * Sends a page_view unless this URL was the last one counted: routers often replaceState the
 * URL they just pushed, and pushState to the current URL is not a new page. Hash changes
 * count only for hash routers. UTM parameters are left in the URL for the server to read:
 * parsing them here cost every visitor ~80 bytes.
 */
export function pageview(emit: Emit, hash?: boolean, leave?: () => void): LgEvent | undefined {
  const key = hash ? loc.href : loc.href.split('#')[0];
  if (key === last) return;
  leave?.(); // the previous page's last words (engagement) come before the next page
  // After an SPA navigation the previous route is the referrer, as it would be for a full load.
  const referrer = last ?? doc.referrer;
  const e = emit({ type: 'page_view', title: cut(doc.title), referrer: /^https?:\/\//.test(referrer) ? cut(referrer, 2048) : '', ...pageMarks() });
  // Only a sent view counts: a view dropped before consent must be sent once consent arrives.
  if (e) last = key;
  return e;
}

/** Calls `onNav` after every history navigation. */
export function watchNavigation(onNav: () => void, hash?: boolean): void {
  const nav = guard(onNav);
  for (const m of ['pushState', 'replaceState'] as const) {
    const orig = history[m];
    history[m] = function (this: History, ...a: Parameters<History['pushState']>) {
      orig.apply(this, a);
      nav();
    };
  }
  on(win, 'popstate', nav);
  if (hash) on(win, 'hashchange', nav);
}
