import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension } from './chromium.ts';
import { startBackend, type Backend } from './extension-backend.ts';
import { englishLeaks } from '../extension/english-leak.ts';

// Names, page titles and file names from the seeded lead: data, not language.
const ALLOW = ['Anna de Vries', 'Acme Logistics', 'Head of Operations', 'Pricing', 'Case study', 'Product tour', 'whitepaper.pdf', 'B2B starter', 'result (won', 'leadglow import'];
import type { WxtBrowser } from 'wxt/browser';

// Functions passed to evaluate() run in extension pages, where `chrome` is the API.
declare const chrome: WxtBrowser;

// The built extension in Chromium: a Gmail-like page (served through context.route) names
// a lead, the side panel (opened as a tab) shows it from a running server; then the server
// makes the lead sales-ready and the panel, badge and notification follow. Prints the time
// from the page naming the lead to the panel showing it, cold and warm. Screenshots of each
// panel state go to test-output/.

const EXT = resolve('.output/e2e/chrome-mv3');
const OUT = resolve('test-output');
const GMAIL = 'https://mail.google.com/mail/u/0/#inbox';
const ANNA = { email: 'anna.devries@acme-logistics.nl', name: 'Anna de Vries', jobTitle: 'Head of Operations', company: { domain: 'acme-logistics.nl', name: 'Acme Logistics', size: 400, industry: 'software' } };

let backend: Backend;
let context: BrowserContext;
let close: () => Promise<void>;
let extId: string;
let mail: Page;
let panel: Page;
let tabId: number;

const shot = (name: string) => panel.screenshot({ path: `${OUT}/panel-${name}.png`, fullPage: true });
const send = (msg: unknown) => panel.evaluate((m) => chrome.runtime.sendMessage(m), msg);

/** ms from the page naming `who` to the panel's heading showing it. */
async function timeToPanel(who: { email: string; name: string }): Promise<number> {
  await panel.evaluate((name) => {
    const w = window as unknown as { shownAt?: number };
    delete w.shownAt;
    const check = () => {
      if (document.querySelector('[data-testid="lead-name"]')?.textContent === name) {
        w.shownAt ??= Date.now();
        obs.disconnect();
      }
    };
    const obs = new MutationObserver(check);
    obs.observe(document.body, { childList: true, subtree: true, characterData: true });
  }, who.name);
  const t0 = await mail.evaluate((from) => (window as unknown as { openThread(f: unknown): number }).openThread(from), who);
  await panel.waitForFunction(() => (window as unknown as { shownAt?: number }).shownAt !== undefined, undefined, { timeout: 10_000 });
  const shownAt = await panel.evaluate(() => (window as unknown as { shownAt: number }).shownAt);
  return shownAt - t0;
}

describe('extension in Chromium', () => {
  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    execFileSync('npx', ['wxt', 'build'], { env: { ...process.env, LEADGLOW_E2E: '1' }, stdio: 'pipe' });
    backend = await startBackend();
    await backend.seedLead(ANNA);
    ({ context, extId, close } = await launchWithExtension(EXT));
    await context.route('https://mail.google.com/**', (route) =>
      route.fulfill({ contentType: 'text/html', body: readFileSync(resolve('test/e2e/fixtures/gmail-app.html'), 'utf8') }),
    );
    mail = await context.newPage();
    await mail.goto(GMAIL);
    panel = await context.newPage();
    await panel.setViewportSize({ width: 380, height: 900 });
    await panel.goto(`chrome-extension://${extId}/sidepanel.html`);
    tabId = await panel.evaluate(async () => (await chrome.tabs.query({ url: 'https://mail.google.com/*' }))[0]!.id!);
  }, 180_000);

  afterAll(async () => {
    await close?.();
    await backend?.close();
  });

  it('shows the lead a Gmail thread names, with scores, reasons and timeline', async () => {
    await panel.goto(`chrome-extension://${extId}/sidepanel.html?tabId=${tabId}`);
    await panel.getByTestId('not-configured').waitFor();
    await shot('not-configured');

    expect(await send({ type: 'save-connection', serverUrl: backend.url, token: backend.repToken })).toMatchObject({ status: 'ok' });
    expect(await send({ type: 'set-sites', sites: ['gmail'], origins: [] })).toEqual({ status: 'ok' });
    // Content scripts registered now reach pages loaded from now on (a hash-only goto would not load).
    await mail.reload();
    await panel.reload();
    await panel.getByTestId('no-lead').waitFor();
    await shot('no-lead');

    const cold = await timeToPanel(ANNA);
    await panel.getByTestId('timeline').waitFor();
    await panel.getByTestId('account').waitFor();
    await shot('lead');
    const text = await panel.getByTestId('lead').innerText();
    expect(text).toContain('Head of Operations · Acme Logistics');
    expect(await panel.getByTestId('fit').innerText()).toMatch(/Fit\s*\d+\s*[ABCD]/);
    expect(await panel.locator('[data-rule="pricing-page"]').innerText()).toMatch(/\+\d+ Visited pricing\s+visited Pricing \(\/pricing\), 2 times · (yesterday|\d+ days? ago)/);
    expect(await panel.getByTestId('timeline').innerText()).toMatch(/downloaded whitepaper\.pdf/);
    expect(await panel.getByTestId('interest-scale').getAttribute('aria-label')).toMatch(/^Interest \d+; MQL from 60$/);

    const warm: number[] = [];
    for (let i = 0; i < 5; i++) {
      await mail.evaluate(() => (window as unknown as { openInbox(): void }).openInbox());
      await panel.getByTestId('no-lead').waitFor();
      warm.push(await timeToPanel(ANNA));
    }
    warm.sort((a, b) => a - b);
    const median = warm[2]!;
    console.log(`[extension e2e, real server] page names lead -> panel shows it: cold ${cold} ms (goal 300), warm median ${median} ms of ${warm.join('/')} (goal 100)`);
    expect(cold).toBeLessThan(5_000);

    // Several leads in one thread: listed, sender first.
    await mail.evaluate(() =>
      (window as unknown as { openThread(f: unknown, t: unknown[]): number }).openThread({ email: 'karin@nordvik.se', name: 'Karin Lund' }, [
        { email: 'anna.devries@acme-logistics.nl', name: 'Anna de Vries' },
        { email: 'sam@leadglow-demo.com', name: 'Sam' },
      ]),
    );
    await panel.getByTestId('unknown').waitFor();
    expect(await panel.getByTestId('picker').innerText()).toMatch(/Karin Lund\s+sender\s+Anna de Vries\s+recipient$/);
    await shot('several-leads-unknown');
    await panel.getByRole('button', { name: /Anna de Vries/ }).click();
    await panel.getByTestId('lead').waitFor();
    await shot('several-leads');
  }, 60_000);

  it('turns the lead sales-ready through the server: notification, badge, hot list', async () => {
    await mail.evaluate((from) => (window as unknown as { openThread(f: unknown): number }).openThread(from), ANNA);
    await panel.getByTestId('lead').waitFor();
    await backend.makeSalesReady(ANNA.email);
    await panel.getByTestId('alert-count').waitFor({ timeout: 15_000 });
    await panel.getByText('Sales-ready', { exact: true }).first().waitFor({ timeout: 15_000 });
    await shot('sales-ready');
    const worker = context.serviceWorkers()[0]!;
    expect(await worker.evaluate(() => chrome.action.getBadgeText({}))).toBe('1');
    const notes = await worker.evaluate(() => chrome.notifications.getAll());
    expect(Object.keys(notes).some((k) => k.startsWith('stage:'))).toBe(true);

    await panel.getByTestId('tab-hot').click();
    await panel.getByTestId('hot').waitFor();
    expect(await panel.getByTestId('hot').innerText()).toContain('Anna de Vries');
    await shot('hot-leads');
    await expect.poll(() => worker.evaluate(() => chrome.action.getBadgeText({}))).toBe('');
    await panel.getByTestId('alert-count').waitFor({ state: 'detached' });
  }, 60_000);

  it('shows the cached lead with its age when the server is down, and signed out when the token is revoked', async () => {
    await panel.getByRole('button', { name: 'Lead', exact: true }).click();
    await panel.getByTestId('lead').waitFor();
    backend.setMode('down');
    await panel.getByRole('button', { name: 'Accept' }).click();
    await panel.getByRole('button', { name: 'Send' }).click();
    await panel.getByTestId('offline').waitFor({ timeout: 15_000 });
    await shot('offline');
    backend.setMode('revoked');
    await panel.getByTestId('tab-hot').click();
    await panel.getByTestId('signed-out').waitFor({ timeout: 15_000 });
    await shot('signed-out');
    backend.setMode('ok');
  }, 60_000);

  it('screenshots the panel, hot list and every dashboard view in en, nl and sv, with no English in nl and sv', async () => {
    expect(await send({ type: 'save-connection', serverUrl: backend.url, token: backend.adminToken })).toMatchObject({ status: 'ok' });
    const dash = await context.newPage();
    await dash.setViewportSize({ width: 1280, height: 900 });
    const texts = (p: Page) =>
      p.evaluate(() => {
        const out = document.body.innerText.split('\n').map((l) => l.trim()).filter(Boolean);
        for (const el of document.querySelectorAll('[aria-label], [title]')) out.push(el.getAttribute('aria-label') ?? '', el.getAttribute('title') ?? '');
        return out.filter(Boolean);
      });
    const leaks: string[] = [];
    const check = async (p: Page, lang: string, what: string) => {
      if (lang !== 'en') leaks.push(...englishLeaks(await texts(p), lang as 'nl' | 'sv', ALLOW).map((l) => `${lang} ${what}: ${l}`));
    };
    for (const lang of ['en', 'nl', 'sv']) {
      await panel.goto(`chrome-extension://${extId}/sidepanel.html?tabId=${tabId}&lang=${lang}`);
      await mail.evaluate((from) => (window as unknown as { openThread(f: unknown): number }).openThread(from), ANNA);
      await panel.getByTestId('timeline').waitFor();
      await panel.screenshot({ path: `${OUT}/store-${lang}-panel.png`, fullPage: true });
      await check(panel, lang, 'panel');
      await panel.getByTestId('tab-hot').click();
      await panel.getByTestId('hot').waitFor();
      await panel.screenshot({ path: `${OUT}/store-${lang}-hot-list.png`, fullPage: true });
      await check(panel, lang, 'hot list');

      await dash.goto(`chrome-extension://${extId}/dashboard.html?lang=${lang}`);
      await dash.getByTestId('action-bar').waitFor();
      await dash.screenshot({ path: `${OUT}/store-${lang}-dashboard-editor.png` });
      await check(dash, lang, 'editor');
      const tabNames = { en: ['Versions', 'Reports', 'Backtest'], nl: ['Versies', 'Rapporten', 'Backtest'], sv: ['Versioner', 'Rapporter', 'Backtest'] }[lang]!;
      for (const [i, name] of ['versions', 'reports', 'backtest'].entries()) {
        await dash.getByRole('button', { name: tabNames[i], exact: true }).click();
        await dash.waitForFunction(() => !document.body.innerText.includes('…'), undefined, { timeout: 5_000 }).catch(() => undefined);
        await dash.screenshot({ path: `${OUT}/store-${lang}-dashboard-${name}.png`, fullPage: true });
        await check(dash, lang, name);
      }
      await dash.locator('nav button').filter({ hasText: /Predictive|Voorspellend|Prediktiv/ }).first().click().catch(() => undefined);
      await dash.screenshot({ path: `${OUT}/store-${lang}-dashboard-predictive.png`, fullPage: true });
    }
    await dash.close();
    expect(leaks).toEqual([]);
  }, 180_000);
});
