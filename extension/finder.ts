import { browser } from 'wxt/browser';
import type { PageLeads } from '../shared/contracts/messages.ts';
import { findOnPage, siteFor } from './sites/index.ts';

// Runs in the page: finds the leads on it and tells the background whenever they change.
// Mail and CRM pages are single-page apps, so a MutationObserver (debounced, no polling)
// re-reads the page; `signal` ends it when the extension reloads or the script is removed.
// Mutations inside shadow roots do not reach a document observer; the light DOM around
// them (Lightning's tab and record containers) changes on every navigation, which does.

export const DEBOUNCE_MS = 30;

export function watchPage(
  doc: Document,
  signal: AbortSignal,
  // why: sending fails only when the extension was updated or reloaded under this page: this
  // finder is orphaned, and the page's next load runs a new one that reports the leads again.
  send: (page: PageLeads) => void = (page) => void browser.runtime.sendMessage({ type: 'leads-found', page }).catch(() => undefined),
): void {
  let last = '';
  let timer: ReturnType<typeof setTimeout> | undefined;
  const scan = () => {
    timer = undefined;
    const url = doc.location?.href ?? '';
    const page = findOnPage(siteFor(url), doc, url);
    const key = JSON.stringify([page.url, page.leads, page.domain]);
    if (key === last) return;
    last = key;
    send(page);
  };
  const observer = new MutationObserver(() => {
    timer ??= setTimeout(scan, DEBOUNCE_MS);
  });
  observer.observe(doc.documentElement, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['email', 'href', 'data-hovercard-id', 'aria-label', 'title', 'data-test-key'] });
  signal.addEventListener('abort', () => {
    observer.disconnect();
    clearTimeout(timer);
  }, { once: true });
  scan();
}
