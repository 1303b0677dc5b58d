import { build, type BuildOptions } from 'esbuild';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { gzipSync, brotliCompressSync } from 'node:zlib';
import { readFileSync, writeFileSync } from 'node:fs';
import { minify } from 'terser';

// Two builds from one codebase: the snippet (IIFE) and an ESM module. `core: true` is the
// Plausible-style variant without the IndexedDB outbox (retries stay in memory).

const here = fileURLToPath(new URL('.', import.meta.url));
export const DIST = join(here, '../dist/sdk');

export interface BuildSdkOptions {
  /** Leave out the IndexedDB outbox. Default false. */
  core?: boolean;
  /** Default dist/sdk. */
  outdir?: string;
}

/** The esbuild options both bundles share; the benchmark builds with them too. */
export const sdkBuildOptions = (core = false): BuildOptions => ({
  bundle: true,
  minify: true,
  target: 'es2022',
  legalComments: 'none',
  // Internal property names end in `_` (queue, outbox); public options, API and event fields do not.
  mangleProps: /_$/,
  // No "use strict" prologue: modules and classes are strict anyway, and the snippet has neither.
  tsconfigRaw: { compilerOptions: { alwaysStrict: false } },
  define: { 'globalThis.LEADGLOW_CORE': String(core) },
  logLevel: 'warning',
});

export const ENTRY = join(here, 'iife.ts');
/** The tags script (sdk/tags-script.ts), loaded by the snippet only on sites with element tags. */
export const TAGS_ENTRY = join(here, 'tags-script.ts');
export const TAGS_FILE = 'leadglow-tags.js';

/** The snippet's size budget, gzip level 9, for the full build with every feature (enforced by test/sdk/build.test.ts). */
export const BUDGET_GZIP = 4096;
/**
 * The tags script's budget, gzip level 9: it is a second request, on sites with element tags
 * only, cached a year per version. Room for some growth over today's ~1,010 B, and small against the snippet.
 */
export const TAGS_BUDGET_GZIP = 1280;

/**
 * A second pass over esbuild's output with terser (three compress passes): it folds what
 * esbuild leaves (repeated property reads, small functions inlined once), some 130 bytes
 * gzip off a snippet that every visitor downloads. hoist_funs moves function declarations
 * to the top of their scope, where JavaScript hoists them anyway (30 bytes more: the `var`
 * runs join up). Pure JavaScript, build time only.
 */
export async function squeeze(code: string, esm: boolean): Promise<string> {
  const r = await minify(code, { ecma: 2020, module: esm, compress: { passes: 3, hoist_funs: true }, mangle: true, format: { comments: false } });
  return r.code!;
}

/**
 * Builds the SDK; returns the paths of the minified IIFE, the ESM module and the tags script
 * (one for both variants: the snippet and the npm module load the same one from the server).
 */
export async function buildSdk({ core = false, outdir = DIST }: BuildSdkOptions = {}): Promise<{ iife: string; esm: string; tags: string }> {
  const name = core ? 'leadglow.core' : 'leadglow';
  const iife = join(outdir, name + '.js');
  const esm = join(outdir, name + '.mjs');
  const tags = join(outdir, TAGS_FILE);
  const common = sdkBuildOptions(core);
  await Promise.all([
    build({ ...common, entryPoints: [ENTRY], format: 'iife', outfile: iife }),
    build({ ...common, entryPoints: [join(here, 'index.ts')], format: 'esm', outfile: esm }),
    build({ ...common, entryPoints: [TAGS_ENTRY], format: 'iife', outfile: tags }),
  ]);
  for (const [file, isEsm] of [[iife, false], [esm, true], [tags, false]] as const) writeFileSync(file, await squeeze(readFileSync(file, 'utf8'), isEsm));
  return { iife, esm, tags };
}

export const sizes = (file: string): { raw: number; gzip: number; brotli: number } => {
  const b = readFileSync(file);
  return { raw: b.length, gzip: gzipSync(b, { level: 9 }).length, brotli: brotliCompressSync(b).length };
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const core of [false, true]) {
    const out = await buildSdk({ core });
    for (const f of core ? [out.iife, out.esm] : [out.iife, out.esm, out.tags]) {
      const s = sizes(f);
      console.log(`${f}: ${s.raw} B, ${s.gzip} B gzip, ${s.brotli} B brotli`);
    }
  }
}
