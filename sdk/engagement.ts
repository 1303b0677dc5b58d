import { doc } from './dom.ts';
import type { Emit, LgEvent } from './types.ts';

// Engaged time: how long the page was visible. Reported as a delta each time the page is
// hidden or left (the server sums per page view), so no timer ever runs.

let emit: Emit;
let page: LgEvent | undefined;
let since: number | undefined;

/** Starts measuring a new page view (pageview() has reported the previous one). */
export function beginEngagement(pv: LgEvent, e: Emit): void {
  page = pv;
  emit = e;
  since = doc.hidden ? undefined : Date.now();
}

/**
 * Sends the visible time since the last report and stops counting until the page is visible
 * again: on a navigation Chrome fires pagehide while the page still says it is visible.
 */
export function reportEngagement(): void {
  const ms = since && Date.now() - since;
  since = undefined;
  if (page && ms! > 0) emit({ type: 'engagement', url: page.url, pageViewId: page.id, engagedMs: Math.min(ms!, 864e5) });
}

/** The page became visible again: resume counting. */
export const resumeEngagement = (): unknown => (since ||= Date.now());
