import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WxtBrowser } from 'wxt/browser';
import { buildSdk } from '../../sdk/build.ts';
import { startServer, type RunningServer } from '../../server/http/app.ts';
import { DEMO_FILES, startDemoSite, type DemoSite } from '../../server/demo/site.ts';
import { eventOwners } from '../../server/db/event-rows.ts';
import { factsOf, leadHistory, leadRows } from '../../server/scoring/lead-scores.ts';
import { loadLiveModels } from '../../server/scoring/live-models.ts';
import type { Feedback } from '../../shared/contracts/lead.ts';
import { scoreLead } from '../../shared/scoring/index.ts';
import { launchWithExtension } from './chromium.ts';
import { openRepPanelOnGmail, openThread } from './rep-panel.ts';

declare const chrome: WxtBrowser;

// The golden path of issue 7, in one Chromium run with the built extension loaded:
// 1. an anonymous visitor browses the demo site (blog, product, pricing twice) with the real
//    SDK and downloads the case-study PDF;
// 2. submits the whitepaper form: the anonymous history joins the new lead;
// 3. a Gmail-like page names the lead: the side panel shows fit and interest equal to
//    scoreLead() on the lead's stored history under the live model, reasons and timeline;
// 4. the demo-request form makes the lead sales-ready: the panel shows the notification state;
// 5. the rep rejects, then accepts the lead; the server records the feedback.
// Screenshots of steps 3 and 4: test-output/golden-path-3-lead.png, -4-sales-ready.png.

const OUT = resolve('test-output');
const EXT_OUT = '.output/e2e-golden';
const EXT = resolve(EXT_OUT, 'chrome-mv3');
const VISITOR = { email: 'ines.okafor@cobalt-freight.com', name: 'Ines Okafor', company: 'Cobalt Freight', jobTitle: 'VP Operations' };

let server: RunningServer;
let site: DemoSite;
let dataDir: string;
let rep: string;
let context: BrowserContext;
let closeBrowser: () => Promise<void>;
let visitor: Page;
let mail: Page;
let panel: Page;
let extId: string;
let leadId: string;

const api = async (path: string) => {
  const r = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${rep}` } });
  return { status: r.status, json: (await r.json()) as any };
};
async function storedTypes(): Promise<string[]> {
  const rows = await server.db.read.selectFrom('events').select(['type', 'body']).orderBy('ts').execute();
  return rows.map((r) => r.type);
}
async function feedbackOf(id: string): Promise<Feedback | undefined> {
  const row = await server.db.read.selectFrom('leads').select('feedback').where('id', '=', id).executeTakeFirst();
  return row?.feedback ? (JSON.parse(row.feedback) as Feedback) : undefined;
}

describe('golden path: demo site → lead → side panel → sales-ready → feedback', () => {
  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    execFileSync('npx', ['wxt', 'build'], { env: { ...process.env, LEADGLOW_E2E: '1', LEADGLOW_E2E_OUT: EXT_OUT }, stdio: 'pipe' });
    const sdkDir = mkdtempSync(join(tmpdir(), 'leadglow-golden-sdk-'));
    const { iife } = await buildSdk({ outdir: sdkDir });
    dataDir = mkdtempSync(join(tmpdir(), 'leadglow-golden-'));
    server = await startServer({ port: 0, dataDir, sdkFile: iife, rateLimit: false });
    // The demo site listens first so its origin can go on the site key.
    const holder = await startDemoSite({ collector: server.url, siteKey: 'pending', port: 0 });
    const origin = holder.origin;
    const port = Number(new URL(origin).port);
    await holder.close();
    const siteKey = await server.createKey({ role: 'site', site: 'demo', origins: [origin] });
    rep = await server.createKey({ role: 'rep', name: 'Demo rep' });
    // Only the test's served copy lets a webdriver browser be tracked.
    site = await startDemoSite({ collector: server.url, siteKey, port, data: { allowAutomation: true } });
    ({ context, extId, close: closeBrowser } = await launchWithExtension(EXT));
    visitor = await context.newPage();
  }, 180_000);

  afterAll(async () => {
    await closeBrowser?.();
    await site?.close();
    await server?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('1-2. an anonymous visitor browses, downloads the case study, then fills in the whitepaper form', async () => {
    const pages = ['/blog/why-lead-scoring', '/product', '/pricing', '/', '/pricing', '/case-studies/northwind-logistics'];
    for (const [i, path] of pages.entries()) {
      await visitor.goto(site.origin + path);
      // Each page view reaches the server before the next page (the order the test checks).
      await expect.poll(async () => (await storedTypes()).filter((t) => t === 'page_view').length, { timeout: 15_000 }).toBeGreaterThanOrEqual(i + 1);
    }
    // The PDF opens in the same tab: the SDK saw the click and flushes on the way out.
    await visitor.click(`a[href="${DEMO_FILES.caseStudyPdf}"]`);
    await expect.poll(storedTypes, { timeout: 15_000 }).toContain('download');
    expect((await storedTypes()).filter((t) => t === 'page_view').length).toBeGreaterThanOrEqual(6);
    expect(await server.db.read.selectFrom('leads').select('id').execute()).toEqual([]);

    await visitor.goto(site.origin + '/whitepaper');
    await visitor.fill('input[name="email"]', VISITOR.email);
    await visitor.fill('input[name="name"]', VISITOR.name);
    await visitor.fill('input[name="company"]', VISITOR.company);
    await visitor.fill('input[name="job_title"]', VISITOR.jobTitle);
    await visitor.click('#whitepaper button[type="submit"]');
    await visitor.locator('#whitepaper-thanks').waitFor();
    expect(visitor.url()).toBe(site.origin + '/whitepaper');

    await expect.poll(async () => (await api(`/v1/leads?email=${encodeURIComponent(VISITOR.email)}`)).status, { timeout: 15_000 }).toBe(200);
    const view = (await api(`/v1/leads?email=${encodeURIComponent(VISITOR.email)}`)).json;
    leadId = view.lead.id;
    expect(view.lead.name).toBe(VISITOR.name);
    expect(view.lead.jobTitle).toBe(VISITOR.jobTitle);
    // The anonymous history joined the lead: every stored event is now theirs.
    const owners = await eventOwners(server.db.read).execute();
    expect(owners.every((o) => o.lead_id === leadId)).toBe(true);
    const history = await leadHistory(server.db.read, leadId);
    const paths = history.filter((e) => e.type === 'page_view').map((e) => new URL(e.url!).pathname);
    expect(paths).toEqual(['/blog/why-lead-scoring', '/product', '/pricing', '/', '/pricing', '/case-studies/northwind-logistics', '/whitepaper']);
    expect(history.some((e) => e.type === 'download' && e.fileUrl.endsWith(DEMO_FILES.caseStudyPdf))).toBe(true);
    expect(history.some((e) => e.type === 'form_submit' && e.formId === 'whitepaper')).toBe(true);
  }, 90_000);

  it('3. the side panel shows the scores the engine computes for that history, the reasons and the timeline', async () => {
    ({ mail, panel } = await openRepPanelOnGmail(context, extId, { url: server.url, token: rep }));
    await openThread(mail, { email: VISITOR.email, name: VISITOR.name });
    await panel.getByTestId('lead').waitFor({ timeout: 15_000 });
    await panel.getByTestId('timeline').waitFor();

    // Expected: the pure engine on the stored history, the lead's facts and the live model.
    const live = await loadLiveModels(server.db.read);
    const row = (await leadRows(server.db.read, [leadId])).get(leadId)!;
    const expected = scoreLead(live.primary, factsOf(row), await leadHistory(server.db.read, leadId), Date.now());
    const fitText = await panel.getByTestId('fit').innerText();
    const interestText = await panel.getByTestId('interest').innerText();
    expect(fitText).toMatch(new RegExp(`\\b${Math.round(expected.fit.score)}\\s*${expected.fit.grade}\\b`));
    expect(Number(/(\d+)/.exec(interestText)![1])).toBe(Math.round(expected.interest.score));
    expect(expected.interest.score).toBeGreaterThan(0);

    const reasons = await panel.getByTestId('reasons').innerText();
    expect(reasons).toMatch(/visited Pricing/i);
    for (const r of expected.interest.reasons.slice(0, 2)) expect(reasons).toContain(`+${Math.round(r.points)}`);
    const timeline = await panel.getByTestId('timeline').innerText();
    expect(timeline).toMatch(/Pricing/);
    expect(timeline).toMatch(/Product tour/);
    expect(timeline).toMatch(/case-study-northwind-logistics\.pdf/);
    await panel.screenshot({ path: `${OUT}/golden-path-3-lead.png`, fullPage: true });
  }, 60_000);

  it('4. the demo-request form makes the lead sales-ready and the extension shows the notification state', async () => {
    await visitor.goto(site.origin + '/demo');
    await visitor.fill('input[name="email"]', VISITOR.email);
    await visitor.fill('input[name="name"]', VISITOR.name);
    await visitor.click('#demo-request button[type="submit"]');
    await visitor.locator('#demo-thanks').waitFor();
    await panel.getByTestId('alert-count').waitFor({ timeout: 20_000 });
    await panel.getByText('Sales-ready', { exact: true }).first().waitFor({ timeout: 15_000 });
    const worker = context.serviceWorkers()[0]!;
    await expect.poll(() => worker.evaluate(() => chrome.action.getBadgeText({}))).toBe('1');
    const notes = await worker.evaluate(() => chrome.notifications.getAll());
    expect(Object.keys(notes).some((k) => k.startsWith('stage:'))).toBe(true);
    const stage = await server.db.read.selectFrom('lead_scores').select('stage').where('lead_id', '=', leadId).executeTakeFirstOrThrow();
    expect(stage.stage).toBe('sales_ready');
    await panel.screenshot({ path: `${OUT}/golden-path-4-sales-ready.png`, fullPage: true });
  }, 60_000);

  it('5. the rep rejects, then accepts the lead; the server records the feedback', async () => {
    await panel.getByRole('button', { name: 'Reject' }).click();
    await panel.getByRole('textbox').fill('wrong region');
    await panel.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => feedbackOf(leadId), { timeout: 10_000 }).toMatchObject({ verdict: 'rejected', reason: 'wrong region' });
    await panel.getByRole('button', { name: 'Accept' }).click();
    await panel.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => feedbackOf(leadId), { timeout: 10_000 }).toMatchObject({ verdict: 'accepted' });
  }, 60_000);
});
