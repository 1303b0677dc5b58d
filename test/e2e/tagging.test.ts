import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WxtBrowser } from 'wxt/browser';
import { buildSdk } from '../../sdk/build.ts';
import { startServer, type RunningServer } from '../../server/http/app.ts';
import { launchChromium, launchWithExtension } from './chromium.ts';

declare const chrome: WxtBrowser;

// Tagging mode end to end, in Chromium with the built extension and the real server and SDK:
// a marketer connected with an admin token switches tagging on for their pricing page from the
// side panel, hovers and clicks an untagged button (the page never sees that click), tags it
// `demo` for 25 points and publishes the draft. Then a visitor in a fresh browser subscribes
// with their email and clicks the button: the lead's interest rises by 25, with a reason citing
// the tag's rule. Also: selectors made in the real browser on a saved page each match exactly
// their element. Screenshots: test-output/tagging-*.png.

const OUT = resolve('test-output');
const EXT_OUT = '.output/e2e-tagging';
const EXT = resolve(EXT_OUT, 'chrome-mv3');
const VISITOR = 'maja.berg@nordlys-shipping.no';

let server: RunningServer;
let site: Server;
let origin: string;
let dataDir: string;
let admin: string;
let rep: string;
let context: BrowserContext;
let closeExtension: () => Promise<void>;
let visitorBrowser: Browser;
let extId: string;
let marketer: Page;
let panel: Page;
/** The rule the marketer's tag became, for the visitor's test. */
let ruleId = '';

const send = (msg: unknown) => panel.evaluate((m) => chrome.runtime.sendMessage(m), msg);
const api = async (path: string, token = rep) => {
  const r = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: r.status, json: (await r.json()) as any };
};
const taggerState = () => marketer.evaluate(() => document.querySelector('leadglow-tagger')?.getAttribute('data-state') ?? 'none');

describe('tagging mode in Chromium', () => {
  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    execFileSync('npx', ['wxt', 'build'], { env: { ...process.env, LEADGLOW_E2E: '1', LEADGLOW_E2E_OUT: EXT_OUT }, stdio: 'pipe' });
    const { iife } = await buildSdk({ outdir: mkdtempSync(join(tmpdir(), 'leadglow-tagging-sdk-')) });
    dataDir = mkdtempSync(join(tmpdir(), 'leadglow-tagging-'));
    server = await startServer({ port: 0, dataDir, sdkFile: iife, rateLimit: false });
    // The marketer's site listens first, so its origin can go on the site key.
    let siteKey = '';
    const page = readFileSync(resolve('test/e2e/fixtures/tagging-site.html'), 'utf8');
    site = createServer((req, res) => {
      if (req.url === '/favicon.ico') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page.replaceAll('{{collector}}', server.url).replaceAll('{{siteKey}}', siteKey));
    });
    await new Promise<void>((ok) => site.listen(0, '127.0.0.1', ok));
    origin = `http://127.0.0.1:${(site.address() as { port: number }).port}`;
    siteKey = await server.createKey({ role: 'site', site: 'fjordline', origins: [origin] });
    admin = await server.createKey({ role: 'admin', name: 'Marketer' });
    rep = await server.createKey({ role: 'rep', name: 'Rep' });
    ({ context, extId, close: closeExtension } = await launchWithExtension(EXT));
    visitorBrowser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await visitorBrowser?.close();
    await closeExtension?.();
    await new Promise((ok) => (site ? site.close(ok) : ok(undefined)));
    await server?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('the marketer tags an untagged button from the side panel, saves it to the draft and publishes', async () => {
    marketer = await context.newPage();
    await marketer.setViewportSize({ width: 1100, height: 800 });
    await marketer.goto(`${origin}/pricing`);
    panel = await context.newPage();
    await panel.goto(`chrome-extension://${extId}/sidepanel.html`);
    expect(await send({ type: 'save-connection', serverUrl: server.url, token: admin })).toMatchObject({ status: 'ok', me: { role: 'admin' } });
    const tabId = await panel.evaluate(async (o) => (await chrome.tabs.query({ url: `${o}/*` }))[0]!.id!, origin);
    await panel.goto(`chrome-extension://${extId}/sidepanel.html?tabId=${tabId}`);
    await panel.getByTestId('tagging-toggle').click();
    await expect.poll(taggerState, { timeout: 10_000 }).toBe('ready');
    await expect.poll(() => panel.getByTestId('tagging-toggle').getAttribute('aria-pressed')).toBe('true');

    await marketer.bringToFront();
    await marketer.hover('#book-call');
    await marketer.click('#book-call');
    // Tagging mode caught the click: the page's own handler never ran.
    expect(await marketer.evaluate(() => (window as unknown as { pageClicks: number }).pageClicks)).toBe(0);
    expect(await marketer.locator('#page-said').textContent()).toBe('');
    // The form opened with the tag field focused; everything else by keyboard (the overlay's
    // shadow root is closed, so not even this test can reach into it).
    await marketer.keyboard.type('demo');
    await marketer.keyboard.press('Tab');
    await marketer.keyboard.press('Control+A');
    await marketer.keyboard.type('25');
    await marketer.screenshot({ path: `${OUT}/tagging-1-form.png` });
    await marketer.keyboard.press('Enter');
    await expect.poll(taggerState, { timeout: 10_000 }).toBe('saved');
    await marketer.screenshot({ path: `${OUT}/tagging-2-saved.png` });

    const models = (await api('/v1/models', admin)).json.items as { id: string; status: string }[];
    const modelId = models.find((m) => m.status === 'live')!.id;
    const draft = (await api(`/v1/models/${encodeURIComponent(modelId)}/draft`, admin)).json;
    const rule = draft.interestRules.find((r: { points: number; when: { selector?: string } }) => r.when.selector && r.points === 25);
    expect(rule).toBeDefined();
    // The saved selector picks exactly that button in the real page, and names no generated class.
    expect(await marketer.locator(rule.when.selector).count()).toBe(1);
    expect(await marketer.locator(rule.when.selector).getAttribute('id')).toBe('book-call');
    expect(rule.when.selector).not.toMatch(/css-/);

    // The Publish button has the focus now.
    await marketer.keyboard.press('Enter');
    await expect.poll(taggerState, { timeout: 10_000 }).toBe('published');
    await marketer.screenshot({ path: `${OUT}/tagging-3-published.png` });
    const live = (await api(`/v1/models/${encodeURIComponent(modelId)}`, admin)).json;
    expect(live.interestRules.some((r: { id: string }) => r.id === rule.id)).toBe(true);
    expect(live.version).toBe(draft.version);

    // Escape leaves tagging mode, and the page works as before.
    await marketer.keyboard.press('Escape');
    await expect.poll(taggerState).toBe('none');
    await expect.poll(() => panel.getByTestId('tagging-toggle').getAttribute('aria-pressed')).toBe('false');
    ruleId = rule.id;
  }, 90_000);

  it('a visitor who clicks the tagged button gains its 25 points, with the tag rule as the reason', async () => {
    expect(ruleId).not.toBe('');
    const visitor = await (await visitorBrowser.newContext()).newPage();
    const started = Date.now();
    await visitor.goto(`${origin}/pricing`);
    await visitor.fill('input[name="email"]', VISITOR);
    await visitor.click('#newsletter button[type="submit"]');
    await visitor.locator('#thanks').waitFor();
    const lead = () => api(`/v1/leads?email=${encodeURIComponent(VISITOR)}`);
    await expect.poll(async () => (await lead()).status, { timeout: 15_000 }).toBe(200);
    const interest = async () => (await lead()).json.lead.scores[0].interest as { score: number; reasons: { rule: string; points: number; label: string }[] };
    const before = await interest();
    expect(before.reasons.some((r) => r.rule === ruleId)).toBe(false);

    // Tags from the server are matched by the tags script the snippet loads for them.
    await visitor.waitForFunction(() => typeof (window as { __lgTag?: unknown }).__lgTag === 'function', undefined, { timeout: 15_000 });
    await visitor.click('#book-call');
    expect(await visitor.locator('#page-said').textContent()).toBe('We will call you.');
    await expect.poll(async () => (await interest()).reasons.some((r) => r.rule === ruleId), { timeout: 15_000 }).toBe(true);
    const after = await interest();
    const reason = after.reasons.find((r) => r.rule === ruleId)!;
    expect(reason.points).toBeCloseTo(25, 0);
    expect(reason.label).toContain('demo');
    // Everything else stayed (decay over these seconds is far below a point).
    expect(after.score - before.score).toBeCloseTo(25, 0);
    console.log(`[tagging e2e] visitor click to +25 interest in ${Date.now() - started} ms (page load, form and click included)`);
  }, 60_000);

  it('in the real browser, every element of a saved page gets a selector that matches only it', async () => {
    const bundle = await build({ entryPoints: [resolve('extension/tagging/selector.ts')], bundle: true, format: 'iife', globalName: 'lgSelector', write: false, logLevel: 'silent' });
    const page = await (await visitorBrowser.newContext({ javaScriptEnabled: true })).newPage();
    await page.route('https://pages.test/**', (route) => route.fulfill({ contentType: 'text/html', body: readFileSync(resolve('test/fixtures/pages/saas-pricing.html'), 'utf8') }));
    await page.route(/\.(css|svg|png|jpg)(\?.*)?$/, (route) => route.fulfill({ status: 404, body: '' }));
    await page.goto('https://pages.test/pricing');
    await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
    const result = await page.evaluate(() => {
      const { selectorFor } = (window as unknown as { lgSelector: { selectorFor(el: Element): string } }).lgSelector;
      const all = [...document.body.querySelectorAll('*')];
      const wrong = all.filter((el) => {
        const found = document.querySelectorAll(selectorFor(el));
        return found.length !== 1 || found[0] !== el;
      });
      const generated = all.map((el) => selectorFor(el)).filter((s) => /css-|sc-|kDiMnO|e1btn/.test(s));
      return { count: all.length, wrong: wrong.map((el) => el.outerHTML.slice(0, 80)), generated };
    });
    expect(result.count).toBeGreaterThan(80);
    expect(result.wrong).toEqual([]);
    expect(result.generated).toEqual([]);
  }, 30_000);
});
