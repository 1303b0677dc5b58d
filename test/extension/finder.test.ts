// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { watchPage } from '../../extension/finder.ts';
import type { PageLeads } from '../../shared/contracts/messages.ts';

// The content script re-reads a single-page app when it changes.

describe('watchPage', () => {
  const ctl = new AbortController();
  afterEach(() => ctl.abort());

  it('reports the page, then again when an address-bearing attribute (a translated label) changes', async () => {
    history.replaceState({}, '', '/mail/inbox/id/AAQkADAwATM0MDAAMS1iNjBmLTk0ZDgALTAwAi0wMAoAEABn');
    document.body.innerHTML = '<div role="main"><span aria-label="Von: jana@example.com">Jana</span></div>';
    const sent: PageLeads[] = [];
    watchPage(document, ctl.signal, (p) => sent.push(p));
    expect(sent.map((p) => p.leads.map((l) => l.email))).toEqual([['jana@example.com']]);
    document.querySelector('span')!.setAttribute('aria-label', 'Von: piet@example.com');
    await vi.waitFor(() => expect(sent.at(-1)?.leads.map((l) => l.email)).toEqual(['piet@example.com']), { timeout: 5_000 });
  });
});
