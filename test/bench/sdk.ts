import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Plugin } from 'esbuild';
import { BUDGET_GZIP, buildSdk, ENTRY, sdkBuildOptions, sizes, squeeze, TAGS_BUDGET_GZIP } from '../../sdk/build.ts';
import { launchChromium } from '../e2e/chromium.ts';
import { startSdkServer } from '../e2e/sdk-server.ts';

// SDK benchmark: bundle sizes against the budget, and the main-thread cost of capturing an
// event in Chromium, next to baselines measured in the same page in the same run.

const BUDGET_FULL = BUDGET_GZIP;
const BUDGET_CORE = 2 * 1024;
const GOAL_MS = 0.1;
const N = 2000;

// What each capture feature adds to the full bundle: the bundle built with the feature's
// module replaced by no-ops, subtracted from the full one. Not shipped; a guide for trimming.
const FEATURES: Record<string, [module: string, stub: (source: string) => string]> = {
  'forms and form identify': ['forms', () => 'export const watchForms=()=>{}'],
  'tagged elements (markup; loads the tags script)': ['tags', () => 'export const watchTaggedClicks=()=>{},fetchTags=()=>{},pageMarks=()=>({})'],
  'engaged time': ['engagement', () => 'export const beginEngagement=()=>{},reportEngagement=()=>{},resumeEngagement=()=>{}'],
  'downloads (without the default list)': ['downloads', () => 'export const watchDownloads=()=>{}'],
  'SPA navigation': ['pageview', (src) => src.replace(/export function watchNavigation[^]*$/, 'export const watchNavigation=()=>{}')],
  'email-link identity': ['email-link', () => 'export const takeEmailToken=()=>{}'],
  'outbox (localStorage write-ahead)': ['outbox', () => 'const n=async()=>[];export const createOutbox=()=>({put_:n,peek_:n,remove_:n,clear_:n})'],
};

async function gzipWithout(module: string, stub: (source: string) => string): Promise<number> {
  const plugin: Plugin = {
    name: 'stub',
    setup(b) {
      b.onLoad({ filter: new RegExp(`[/\\\\]sdk[/\\\\]${module}\\.ts$`) }, (a) => ({ contents: stub(readFileSync(a.path, 'utf8')), loader: 'ts' }));
    },
  };
  const r = await build({ ...sdkBuildOptions(), entryPoints: [ENTRY], format: 'iife', write: false, plugins: [plugin] });
  return gzipSync(await squeeze(r.outputFiles![0]!.text, false), { level: 9 }).length;
}

export async function benchSdk(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'leadglow-bench-'));
  const full = await buildSdk({ outdir: dir });
  const core = await buildSdk({ outdir: dir, core: true });
  console.log('sdk size (minified IIFE; gzip level 9, brotli default)');
  for (const [name, file, budget] of [
    ['full (with outbox)', full.iife, BUDGET_FULL],
    ['core (no outbox)', core.iife, BUDGET_CORE],
    ['tags script', full.tags, TAGS_BUDGET_GZIP],
  ] as const) {
    const s = sizes(file);
    console.log(
      `  ${name.padEnd(20)} ${String(s.raw).padStart(6)} B raw  ${String(s.gzip).padStart(5)} B gzip  ${String(s.brotli).padStart(5)} B brotli  ` +
        `budget ${budget} B gzip: ${(s.gzip / budget).toFixed(2)}x ${s.gzip <= budget ? 'OK' : 'OVER'}`,
    );
  }

  const fullGzip = sizes(full.iife).gzip;
  console.log('what each feature adds to the full bundle (gzip; the outbox is full minus core)');
  for (const [name, [module, stub]] of Object.entries(FEATURES)) console.log(`  ${name.padEnd(40)} ${String(fullGzip - (await gzipWithout(module, stub))).padStart(5)} B`);

  const server = await startSdkServer(full.iife);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(server.origin + '/double.html');
    await page.waitForFunction(() => (window as unknown as { leadglow: { q?: unknown } }).leadglow.q === undefined);
    // A string, not a function: tsx would wrap named functions in a helper the page lacks.
    const r = (await page.evaluate(`(async () => {
      const n = ${N};
      const props = { plan: 'pro', seats: 5 };
      const sink = [];
      const noop = () => {};
      const time = (fn) => {
        for (let i = 0; i < 200; i++) fn(i); // warm up
        const t = performance.now();
        for (let i = 0; i < n; i++) fn(i);
        return (performance.now() - t) / n;
      };
      const empty = time((i) => noop('track', 'bench', props, i));
      const push = time((i) => sink.push({ type: 'custom', name: 'bench', props, ts: Date.now(), i }));
      const track = time(() => window.leadglow('track', 'bench', props));
      // The same calls plus the work they defer to the end of the task: the write-ahead to the
      // IndexedDB outbox (one transaction per burst) and the fetch calls.
      await new Promise((r) => setTimeout(r, 1500));
      const t = performance.now();
      for (let i = 0; i < n; i++) window.leadglow('track', 'bench', props);
      await new Promise((r) => setTimeout(r, 0));
      const deferred = (performance.now() - t) / n;
      return { empty, push, track, deferred };
    })()`)) as { empty: number; push: number; track: number; deferred: number };
    const expected = 2 + 200 + 2 * N; // page view and the page's own event, warm-up, measured calls
    const end = Date.now() + 10_000;
    while (server.events.length < expected && Date.now() < end) await new Promise((res) => setTimeout(res, 100));
    console.log(`sdk capture cost in Chromium (${N} leadglow('track') calls, batches of 10 sent with fetch)`);
    console.log(`  baseline empty call      ${r.empty.toFixed(5)} ms/call`);
    console.log(`  baseline array push      ${r.push.toFixed(5)} ms/call`);
    console.log(
      `  leadglow('track')        ${r.track.toFixed(5)} ms/event  goal ${GOAL_MS} ms: ${(r.track / GOAL_MS).toFixed(2)}x ${r.track < GOAL_MS ? 'OK' : 'OVER'}; ` +
        `${(r.track / r.push).toFixed(1)}x a bare push`,
    );
    console.log(
      `  incl. deferred work       ${r.deferred.toFixed(5)} ms/event  goal ${GOAL_MS} ms: ${(r.deferred / GOAL_MS).toFixed(2)}x ${r.deferred < GOAL_MS ? 'OK' : 'OVER'} (outbox write-ahead, fetch)`,
    );
    console.log(`  events received by the test server: ${server.events.length} (expected ${expected})`);
  } finally {
    await browser.close();
    await server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchSdk();
