import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackend, type Backend } from './extension-backend.ts';
import { evaluate, FIREFOX, launchFirefox, waitFor, type Firefox } from './firefox.ts';

// The Firefox build in Debian's Firefox ESR: installed as a temporary add-on over WebDriver
// BiDi, its background answers, the side panel page renders, and a lead is looked up against
// the real server (test/e2e/extension-backend.ts).

const OUT = resolve('.output/e2e-firefox');
const EXT = resolve(OUT, 'firefox-mv3');
const ADDON_ID = 'extension@leadglow.dev';
const UUID = '6c0a1f3e-2b7d-4e59-9f0a-1e2d3c4b5a69';
const ORIGIN = `moz-extension://${UUID}`;
const ANNA = { email: 'anna.devries@acme-logistics.nl', name: 'Anna de Vries', jobTitle: 'Head of Operations', company: { domain: 'acme-logistics.nl', name: 'Acme Logistics', size: 400, industry: 'software' }, country: 'NL' };

let backend: Backend;
let ff: Firefox;
let context: string;

/** The tab showing an extension page. WebDriver may not navigate to `moz-extension:` URLs; the
 * extension opens its options page on install, and pages navigate within the extension. */
async function extensionTab(timeoutMs: number): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const tree = await ff.send<{ contexts: { context: string; url: string }[] }>('browsingContext.getTree', {});
    const tab = tree.contexts.find((c) => c.url.startsWith(ORIGIN));
    if (tab) return tab.context;
    if (Date.now() > until) throw new Error(`no extension page opened within ${timeoutMs} ms: ${tree.contexts.map((c) => c.url).join(', ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('extension in Firefox ESR', () => {
  beforeAll(async () => {
    const built = Date.now();
    execFileSync('npx', ['wxt', 'build', '-b', 'firefox', '--mv3'], { env: { ...process.env, LEADGLOW_E2E: '1', LEADGLOW_E2E_OUT: OUT }, stdio: 'pipe' });
    console.log(`firefox build: ${Date.now() - built} ms`);
    backend = await startBackend();
    await backend.seedLead(ANNA);
    ff = await launchFirefox({ [ADDON_ID]: UUID });
    await ff.send('session.new', { capabilities: {} });
    await ff.send('session.subscribe', { events: ['log.entryAdded'] });
    const installed = await ff.send<{ extension: string }>('webExtension.install', { extensionData: { type: 'path', path: EXT } });
    expect(installed.extension).toBe(ADDON_ID);
  }, 240_000);

  afterAll(async () => {
    await ff?.close();
    await backend?.close();
  });

  it('is the Firefox build of this tree', () => {
    expect(existsSync(resolve(EXT, 'manifest.json'))).toBe(true);
    expect(existsSync(FIREFOX)).toBe(true);
  });

  it('starts the background, renders the panel and looks a lead up on the real server', async () => {
    const t0 = Date.now();
    // On first install the background opens the options page: it ran.
    context = await extensionTab(15_000);
    expect(await waitFor<string>(ff, context, 'location.pathname', 5_000)).toBe('/options.html');
    // The background answers an extension page.
    const status = await waitFor<{ configured: boolean }>(ff, context, `browser.runtime.sendMessage({ type: 'get-status' })`, 15_000);
    expect(status.configured).toBe(false);
    const saved = await evaluate<{ status: string; me?: { role: string } }>(
      ff,
      context,
      `browser.runtime.sendMessage({ type: 'save-connection', serverUrl: ${JSON.stringify(backend.url)}, token: ${JSON.stringify(backend.repToken)} })`,
    );
    expect(saved).toMatchObject({ status: 'ok', me: { role: 'rep' } });

    // The side panel page, opened on the lead as a notification's click opens it.
    await evaluate(ff, context, `(location.assign('/sidepanel.html?lead=${encodeURIComponent(ANNA.email)}'), true)`);
    await waitFor(ff, context, `location.pathname === '/sidepanel.html' && document.readyState === 'complete'`, 10_000);
    const name = await waitFor<string>(ff, context, `document.querySelector('[data-testid="lead-name"]')?.textContent`, 15_000);
    expect(name).toBe(ANNA.name);
    const title = await evaluate<string>(ff, context, 'document.title');
    expect(title).toBe('Leadglow side panel');

    // zod runs without eval in extension pages (each try would be a blocked-eval CSP error).
    expect(await evaluate<boolean>(ff, context, '(globalThis.__zod_globalConfig ?? {}).jitless === true')).toBe(true);
    // And no blocked-eval report reached the console that WebDriver sees.
    const csp = ff.logs.filter((l) => /eval|Content[- ]Security[- ]Policy/i.test(l.text));
    expect(csp).toEqual([]);
    console.log(`firefox run: configured and lead shown in ${Date.now() - t0} ms; ${ff.logs.length} console entries, ${csp.length} CSP`);
  }, 60_000);
});
