import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Debian's Chromium, never a downloaded build. Without the background-networking flags it
// keeps trying hosts this sandbox cannot reach.
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-gpu',
  '--no-first-run',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/** A persistent context with an unpacked extension loaded (extensions need one). */
/**
 * Chromium with the unpacked extension, resolved once the extension is installed: its service
 * worker runs and the options page a fresh install opens (no token yet) is there. Tests open
 * their own tabs only after that, or on a loaded machine the options page can land in a tab
 * mid-navigation ("navigation interrupted by another navigation to options.html").
 */
export async function launchWithExtension(extensionDir: string): Promise<{ context: BrowserContext; extId: string; close: () => Promise<void> }> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'leadglow-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS, `--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`],
  });
  const close = async () => {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
  };
  try {
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 60_000 }));
    const extId = new URL(worker.url()).host;
    const optionsOpen = () => context.pages().some((p) => p.url().startsWith(`chrome-extension://${extId}/options.html`));
    for (const deadline = Date.now() + 60_000; !optionsOpen(); ) {
      if (Date.now() > deadline) throw new Error('the options page did not open on install');
      await context.waitForEvent('page', { timeout: 1_000 }).catch(() => undefined);
    }
    return { context, extId, close };
  } catch (err) {
    await close();
    throw err;
  }
}
