import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { buildSdk } from '../../sdk/build.ts';
import { launchChromium } from './chromium.ts';
import { startSdkServer, type SdkServer } from './sdk-server.ts';

/** One browser, one server and the built IIFE for a test file. Each test gets a fresh context. */
export async function setupSdkRun(): Promise<{ browser: Browser; server: SdkServer; sdkFile: string; close: () => Promise<void> }> {
  // Each test file builds into its own folder: files run in parallel.
  const { iife } = await buildSdk({ outdir: mkdtempSync(join(tmpdir(), 'leadglow-sdk-')) });
  const [browser, server] = await Promise.all([launchChromium(), startSdkServer(iife)]);
  return { browser, server, sdkFile: iife, close: async () => void (await Promise.all([browser.close(), server.close()])) };
}

/** A page that records uncaught errors (pageerror) and CSP violations. */
export async function openPage(context: BrowserContext): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Uncaught/.test(m.text())) errors.push(m.text());
  });
  return { page, errors };
}

export type SdkLab = { server: SdkServer; context: BrowserContext; sdkFile: string };

/**
 * Registers a test file's hooks: one run (browser, server, built SDK) for the file, a fresh
 * browser context and a reset server for each test. Read the fields inside tests.
 */
export function useSdkRun(): SdkLab {
  const lab = {} as SdkLab;
  let run: Awaited<ReturnType<typeof setupSdkRun>> | undefined;
  beforeAll(async () => {
    run = await setupSdkRun();
    lab.server = run.server;
    lab.sdkFile = run.sdkFile;
  }, 60_000);
  afterAll(() => run?.close());
  beforeEach(async () => {
    lab.server.reset();
    lab.context = await run!.browser.newContext();
  });
  afterEach(() => lab.context.close());
  return lab;
}
