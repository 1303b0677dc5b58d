import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSdk } from '../../sdk/build.ts';
import { snippet } from '../../sdk/snippet.ts';
import { startServer, type RunningServer } from '../../server/http/app.ts';
import { LeadView } from '../../shared/contracts/api.ts';
import type { Evidence } from '../../shared/contracts/lead.ts';
import { english, wordEvidence } from '../../shared/scoring/wording.ts';
import { launchChromium, launchWithExtension } from './chromium.ts';
import { openRepPanelOnGmail, openThread } from './rep-panel.ts';


// Form intent on real pages, end to end in Chromium (issue 11): two forms from the corpus
// (test/fixtures/pages/forms, provenance in its README), each served at the path its site used
// with the README's snippet injected into <head>, loaded with the built SDK. A visitor fills
// in the form and sends it; nothing on these pages names a form id the model knows, so only
// the classifier can make the lead sales-ready. The lead's reason must name the signal, and
// the rep's side panel (the built extension) must show it. Screenshots: test-output/intent-*.png.

const OUT = resolve('test-output');
const EXT_OUT = '.output/e2e-intent';
const EXT = resolve(EXT_OUT, 'chrome-mv3');
const FORMS = resolve('test/fixtures/pages/forms');

/** The corpus pages, at the paths their sites used; `fill` is what the visitor types. */
const PAGES = [
  {
    name: 'en',
    file: 'en-picofemto-demo-modal.html',
    path: '/',
    visitor: { email: 'dana.reyes@harbor-robotics.com', name: 'Dana Reyes' },
    fill: { 'input[name="name"]': 'Dana Reyes', 'input[name="email"]': 'dana.reyes@harbor-robotics.com', 'input[name="company"]': 'Harbor Robotics', 'textarea[name="message"]': 'A demo for our ops team, please.' },
    submit: '#form-demo button[name="submit"]',
    reason: 'a demo request: form “form-demo” on /',
  },
  {
    name: 'nl',
    file: 'nl-sterkado-zoho-offerte.html',
    path: '/offerte-aanvragen/',
    visitor: { email: 'sanne.bakker@vanderlinden-bouw.nl', name: 'Sanne Bakker' },
    fill: { 'input[name="SingleLine"]': 'Van der Linden Bouw', 'input[name="Name_First"]': 'Sanne', 'input[name="Name_Last"]': 'Bakker', 'input[name="Email"]': 'sanne.bakker@vanderlinden-bouw.nl', 'input[name="Number"]': '120' },
    submit: '#algemeen button[type="submit"]',
    reason: 'a quote request: button “Vraag een vrijblijvende offerte aan” on /offerte-aanvragen/',
  },
] as const;

let server: RunningServer;
let site: Server;
let origin: string;
let dataDir: string;
let rep: string;
let context: BrowserContext;
let closeExtension: () => Promise<void>;
let visitors: Browser;
let panel: Page;
let mail: Page;
let extId: string;

const api = async (path: string) => {
  const r = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${rep}` } });
  return { status: r.status, json: (await r.json()) as unknown };
};

/** Every piece of evidence in a lead's read shape (reasons, stage reason, timeline). */
function evidenceIn(value: unknown): Evidence[] {
  if (Array.isArray(value)) return value.flatMap(evidenceIn);
  if (value === null || typeof value !== 'object') return [];
  const own = (value as { kind?: unknown }).kind === 'submitted' ? [value as Evidence] : [];
  return [...own, ...Object.values(value).flatMap(evidenceIn)];
}

/** Polls `read` until `ok` holds, or fails after `ms` (generous: two browsers and a server share a busy 2-core machine) with what it saw last. */
async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(v).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('form intent on real pages, in Chromium: the visitor asks, the lead is sales-ready, the panel says why', () => {
  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    execFileSync('npx', ['wxt', 'build'], { env: { ...process.env, LEADGLOW_E2E: '1', LEADGLOW_E2E_OUT: EXT_OUT }, stdio: 'pipe' });
    const { iife } = await buildSdk({ outdir: mkdtempSync(join(tmpdir(), 'leadglow-intent-sdk-')) });
    dataDir = mkdtempSync(join(tmpdir(), 'leadglow-intent-'));
    server = await startServer({ port: 0, dataDir, sdkFile: iife, rateLimit: false });
    // The site listens first, so its origin can go on the site key.
    let siteKey = '';
    site = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const page = PAGES.find((p) => p.path === path);
      if (req.method === 'GET' && page) {
        const tag = snippet({ src: `${server.url}/leadglow.js`, site: siteKey, data: { allowAutomation: true } });
        const html = readFileSync(join(FORMS, page.file), 'utf8').replace(/<head>/i, () => `<head>\n${tag}\n`);
        return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
      }
      // Where a form posts (picofemto's ../includes/form-demo.php): a thank-you page.
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Thanks</title><p id="thanks">Thanks</p>');
    });
    await new Promise<void>((ok) => site.listen(0, '127.0.0.1', ok));
    origin = `http://127.0.0.1:${(site.address() as { port: number }).port}`;
    siteKey = await server.createKey({ role: 'site', site: 'corpus', origins: [origin] });
    rep = await server.createKey({ role: 'rep', name: 'Rep' });
    visitors = await launchChromium();
    ({ context, extId, close: closeExtension } = await launchWithExtension(EXT));
    ({ mail, panel } = await openRepPanelOnGmail(context, extId, { url: server.url, token: rep }));
  }, 240_000);

  afterAll(async () => {
    await visitors?.close();
    await closeExtension?.();
    await new Promise((ok) => (site ? site.close(ok) : ok(undefined)));
    await server?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  for (const page of PAGES) {
    it(`${page.name}: ${page.file} at ${page.path}`, async () => {
      const visit = await visitors.newContext();
      const tab = await visit.newPage();
      const errors: string[] = [];
      tab.on('pageerror', (e) => errors.push(e.message));
      // Zoho's form service is not ours to call: its answer is a thank-you page.
      await visit.route('https://forms.zohopublic.eu/**', (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>Bedankt</title><p id="thanks">Bedankt</p>' }));
      await tab.goto(origin + page.path);
      await until(() => server.db.read.selectFrom('events').select('id').where('type', '=', 'page_view').execute(), (rows) => rows.length > 0, 'the page view');
      for (const [selector, value] of Object.entries(page.fill)) await tab.fill(selector, value);
      await tab.click(page.submit);
      await tab.locator('#thanks').waitFor({ timeout: 30_000 });
      expect(errors).toEqual([]);
      await visit.close();

      // The server: the classifier made it a hand-raise, and the reason names the signal.
      const found = await until(() => api(`/v1/leads?email=${encodeURIComponent(page.visitor.email)}`), (r) => r.status === 200 && (r.json as { lead: { scores: { stage: string }[] } }).lead.scores[0]?.stage === 'sales_ready', `${page.visitor.email} to become sales-ready`);
      const view = LeadView.parse(found.json);
      const words = evidenceIn(view).map((e) => wordEvidence(e, english));
      expect(words).toContain(page.reason);

      // The rep's panel: the lead of the email in front of them, sales-ready, with that reason.
      await openThread(mail, page.visitor);
      await until(() => panel.getByTestId('lead').innerText().catch(() => ''), (text) => text.includes(page.visitor.name) && text.includes(page.reason), `the panel to show ${page.visitor.name} with “${page.reason}”`);
      await panel.getByText('Sales-ready', { exact: true }).first().waitFor({ timeout: 30_000 });
      await panel.screenshot({ path: `${OUT}/intent-${page.name}.png`, fullPage: true });
    }, 120_000);
  }
});
