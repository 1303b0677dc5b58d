import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/http/app.ts';
import { until } from '../server/harness.ts';
import { launchChromium } from './chromium.ts';

// `@leadglow/sdk` as a web app gets it (issue 18): `npm pack` in sdk/ (its prepack builds
// sdk/dist), the tarball installed offline into a scratch app outside the repository, a
// consumer file type-checked against the installed declarations (strict, no skipLibCheck,
// with the bundler and the Node ESM resolutions), bundled with esbuild, and run in Chromium
// against a real Leadglow server until its events are stored.

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

function run(cmd: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd, maxBuffer: 1 << 24, env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' } }, (err, stdout, stderr) =>
      err ? reject(new Error(`${cmd} ${args.join(' ')} (in ${cwd}) failed:\n${stdout}\n${stderr}`)) : resolve(stdout + stderr),
    );
  });
}

// Uses every export; the @ts-expect-error lines prove the types are real, not `any`.
const CONSUMER = `import { consent, identify, init, optOut, stats, track, type ConsentMode, type Options, type Props, type Stats, type Traits } from '@leadglow/sdk';

declare const LEADGLOW_SITE: string;
declare const LEADGLOW_SERVER: string;

const mode: ConsentMode = 'none';
const options: Options = { site: LEADGLOW_SITE, server: LEADGLOW_SERVER, consent: mode, allowAutomation: true, batchSize: 1, flushInterval: 50 };
init(options);
const props: Props = { plan: 'pro', seats: 3, trial: false, coupon: null };
track('package_installed', props);
const counters: Stats = stats;
(window as unknown as { leadglowStats: Stats }).leadglowStats = counters;

export function neverCalled(who: Traits): void {
  identify(who);
  consent('granted');
  optOut();
  // @ts-expect-error: site is required
  init({ server: LEADGLOW_SERVER });
  // @ts-expect-error: prop values are strings, numbers, booleans or null
  track('x', { nested: { a: 1 } } satisfies Props);
  // @ts-expect-error: consent takes 'granted' or 'denied'
  consent('maybe');
  // @ts-expect-error: traits are email, name, company, jobTitle
  identify({ phone: '+31' } satisfies Traits);
}
`;

const TSCONFIG = (moduleResolution: string, module: string) =>
  JSON.stringify({
    compilerOptions: { strict: true, target: 'ES2022', module, moduleResolution, lib: ['ES2022', 'DOM'], types: [], noEmit: true, skipLibCheck: false, exactOptionalPropertyTypes: true, verbatimModuleSyntax: true },
    files: ['main.ts', 'readme.ts'],
  });

describe('@leadglow/sdk from npm pack', () => {
  let app: string;
  let packed: string;
  let server: RunningServer;
  let dataDir: string;
  let page: Server;
  let browser: Browser;

  beforeAll(async () => {
    app = mkdtempSync(join(tmpdir(), 'leadglow-sdk-app-'));
    packed = mkdtempSync(join(tmpdir(), 'leadglow-sdk-pack-'));
    dataDir = mkdtempSync(join(tmpdir(), 'leadglow-sdk-data-'));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => (page ? page.close(r) : r(undefined)));
    await server?.close();
    for (const d of [app, packed, dataDir]) if (d) rmSync(d, { recursive: true, force: true });
  });

  it('packs only built files, installs offline, type-checks, bundles and sends events from Chromium', async () => {
    await run('npm', ['pack', '--offline', '--pack-destination', packed], join(ROOT, 'sdk'));
    const [tarball] = readdirSync(packed).filter((f) => f.endsWith('.tgz'));
    expect(tarball).toBe('leadglow-sdk-0.1.0.tgz');
    const entries = (await run('tar', ['-tzf', join(packed, tarball!)], packed)).trim().split('\n').sort();
    expect(entries).toEqual(
      expect.arrayContaining(['package/README.md', 'package/package.json', 'package/dist/index.js', 'package/dist/index.d.ts', 'package/dist/LICENSE', 'package/dist/types/sdk/index.d.ts']),
    );
    // No TypeScript sources, nothing of the server, the extension or zod.
    expect(entries.filter((e) => /\.ts$/.test(e) && !/\.d\.ts$/.test(e))).toEqual([]);
    expect(entries.filter((e) => /server|extension|node_modules/.test(e))).toEqual([]);

    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'scratch-app', private: true, type: 'module' }));
    await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', join(packed, tarball!)], app);
    const installed = JSON.parse(readFileSync(join(app, 'node_modules/@leadglow/sdk/package.json'), 'utf8')) as { dependencies?: object };
    expect(installed.dependencies ?? {}).toEqual({});
    const bundle = readFileSync(join(app, 'node_modules/@leadglow/sdk/dist/index.js'), 'utf8');
    expect(bundle).not.toMatch(/from ['"]zod['"]|require\(/);
    for (const f of readdirSync(join(app, 'node_modules/@leadglow/sdk/dist/types'), { recursive: true, encoding: 'utf8' })) {
      if (f.endsWith('.d.ts')) expect(readFileSync(join(app, 'node_modules/@leadglow/sdk/dist/types', f), 'utf8'), f).not.toMatch(/['"]zod['"]/);
    }

    // The consumer, and the README's own example, type-checked against the installed package.
    const readme = readFileSync(join(ROOT, 'sdk/README.md'), 'utf8').match(/```ts\n([\s\S]*?)```/)?.[1];
    expect(readme).toContain("from '@leadglow/sdk'");
    writeFileSync(join(app, 'main.ts'), CONSUMER);
    writeFileSync(join(app, 'readme.ts'), readme + '\nexport {};\n');
    writeFileSync(join(app, 'tsconfig.json'), TSCONFIG('bundler', 'ESNext'));
    writeFileSync(join(app, 'tsconfig.node.json'), TSCONFIG('nodenext', 'NodeNext'));
    await run(process.execPath, [TSC, '-p', 'tsconfig.json'], app);
    await run(process.execPath, [TSC, '-p', 'tsconfig.node.json'], app);

    // A real server, and a page on another origin that the site key allows.
    server = await startServer({ port: 0, dataDir, rateLimit: false });
    let script = '';
    page = createServer((req, res) => {
      if (req.url === '/app.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Scratch app</title><h1>Pricing</h1><script type="module" src="/app.js"></script>');
    });
    await new Promise<void>((r) => page.listen(0, '127.0.0.1', r));
    const origin = `http://127.0.0.1:${(page.address() as AddressInfo).port}`;
    const site = await server.createKey({ role: 'site', site: 'scratch', origins: [origin] });

    const out = await build({
      absWorkingDir: app,
      entryPoints: ['main.ts'],
      bundle: true,
      format: 'esm',
      write: false,
      logLevel: 'silent',
      define: { LEADGLOW_SITE: JSON.stringify(site), LEADGLOW_SERVER: JSON.stringify(server.url) },
    });
    script = out.outputFiles[0]!.text;
    expect(script).toContain('package_installed');

    browser = await launchChromium();
    const tab = await browser.newPage();
    const errors: string[] = [];
    tab.on('pageerror', (e) => errors.push(e.message));
    await tab.goto(`${origin}/pricing`);

    const stored = async () => server.db.read.selectFrom('events').select(['type', 'body']).where('site', '=', 'scratch').execute();
    await until(async () => (await stored()).some((e) => e.type === 'custom'), 'the custom event from the packaged SDK is stored', 60_000, 50);
    const events = await stored();
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['page_view', 'custom']));
    const custom = JSON.parse(events.find((e) => e.type === 'custom')!.body) as { name: string; url: string; props: unknown };
    expect(custom).toMatchObject({ name: 'package_installed', url: `${origin}/pricing`, props: { plan: 'pro', seats: 3, trial: false, coupon: null } });
    expect(await tab.evaluate(() => (window as unknown as { leadglowStats: { rejected: number } }).leadglowStats.rejected)).toBe(0);
    expect(errors).toEqual([]);
  }, 300_000);
});
