import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { WxtBrowser } from 'wxt/browser';

declare const chrome: WxtBrowser;

// The rep's side panel on a Gmail thread, as the intent and golden-path runs set it up: a
// Gmail-like page (test/e2e/fixtures/gmail-app.html, served for mail.google.com inside the
// extension's browser), the extension connected to the server with a rep key, Gmail switched
// on, and the panel bound to the Gmail tab. Each step is asserted, so a broken setup fails here.

export const GMAIL = 'https://mail.google.com/mail/u/0/#inbox';

export type RepPanel = {
  /** The Gmail-like tab; `openThread({ email, name })` opens a thread from that sender. */
  mail: Page;
  /** The side panel page, bound to the Gmail tab. */
  panel: Page;
  /** A message to the extension's background, answered as the panel would be. */
  send(message: unknown): Promise<unknown>;
};

export async function openRepPanelOnGmail(context: BrowserContext, extId: string, server: { url: string; token: string }): Promise<RepPanel> {
  await context.route('https://mail.google.com/**', (route) => route.fulfill({ contentType: 'text/html', body: readFileSync(resolve('test/e2e/fixtures/gmail-app.html'), 'utf8') }));
  const mail = await context.newPage();
  await mail.goto(GMAIL);
  const panel = await context.newPage();
  await panel.setViewportSize({ width: 380, height: 1000 });
  await panel.goto(`chrome-extension://${extId}/sidepanel.html`);
  const send = (message: unknown): Promise<unknown> => panel.evaluate((m) => chrome.runtime.sendMessage(m), message);
  const tabId = await panel.evaluate(async () => (await chrome.tabs.query({ url: 'https://mail.google.com/*' }))[0]?.id);
  expect(tabId, 'the Gmail tab').toBeTypeOf('number');
  expect(await send({ type: 'save-connection', serverUrl: server.url, token: server.token })).toMatchObject({ status: 'ok' });
  expect(await send({ type: 'set-sites', sites: ['gmail'], origins: [] })).toEqual({ status: 'ok' });
  await mail.reload();
  await panel.goto(`chrome-extension://${extId}/sidepanel.html?tabId=${tabId}`);
  return { mail, panel, send };
}

/** Opens a thread from `from` in the Gmail-like page. */
export function openThread(mail: Page, from: { email: string; name: string }): Promise<number> {
  return mail.evaluate((f) => (window as unknown as { openThread(f: unknown): number }).openThread(f), from);
}
