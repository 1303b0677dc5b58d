import { readFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { dirname, extname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// A worker entry (.ts) and every source file it imports, bundled once per process into one ES
// module, so a worker thread starts by parsing one file instead of registering tsx and
// compiling each TypeScript module through its loader: measured on the 2-core machine, about
// 0.45 CPU-s until idle instead of about 1.4 (test/bench/MEASUREMENTS.md, "Worker start").
//
// - The bundle never touches the disk: it goes to the worker as text (start-worker.ts), so
//   nothing is written into the source tree (installs may be read-only) and no other local user
//   can swap a file between its writing and its running.
// - It is made once per process and entry, from the sources as they are at that moment, so a
//   changed source is never run from an old bundle (a new process bundles again).
// - Packages stay outside it, imported by the absolute file URL esbuild resolves them to from
//   the importing source, with Node's own conditions: the worker loads the same files the main
//   thread does, though the bundle has no node_modules beside it.
// - Each source keeps its own `import.meta.url` (and dirname, filename), so a module that finds a
//   file next to itself finds the same file bundled.
// - esbuild is a dependency of the server (and of tsx, which runs it), imported only here and
//   only when a worker starts: an install without it, a platform without its binary, or a
//   failed build gives the reason, and the worker loads the TypeScript through tsx instead
//   (boot.mjs), slower to start and otherwise the same.

/** How a worker loads its entry: the bundle's text, or the TypeScript source through tsx and why. */
export type WorkerCode = { kind: 'bundle'; code: string } | { kind: 'source'; why: string };

/** The part of esbuild's API used here (a structural type, so nothing imports esbuild eagerly). */
export type Bundler = Pick<typeof import('esbuild'), 'build' | 'stop'>;

/** Per bundler (tests bring their own), per entry. */
const bundles = new WeakMap<() => Promise<Bundler>, Map<string, Promise<WorkerCode>>>();
/** Builds under way: the esbuild service is stopped when none is, so an idle server keeps no child process. */
let building = 0;

/**
 * The entry's code for a worker, bundled on the first call in this process and the same
 * promise after. `loadBundler` is esbuild's import (a test passes one that fails, as a
 * production install without esbuild would).
 */
export function workerCode(entry: URL, loadBundler: () => Promise<Bundler> = importEsbuild): Promise<WorkerCode> {
  let byEntry = bundles.get(loadBundler);
  if (!byEntry) {
    byEntry = new Map();
    bundles.set(loadBundler, byEntry);
  }
  let code = byEntry.get(entry.href);
  if (!code) {
    code = bundle(entry, loadBundler);
    byEntry.set(entry.href, code);
  }
  return code;
}

async function importEsbuild(): Promise<Bundler> {
  const esbuild = await import('esbuild');
  return esbuild.default ?? esbuild;
}

async function bundle(entry: URL, loadBundler: () => Promise<Bundler>): Promise<WorkerCode> {
  // Counted before esbuild is loaded: a build that finishes meanwhile must not stop the
  // service this one is about to use (two entries bundled at once).
  building++;
  let bundler: Bundler;
  try {
    bundler = await loadBundler();
  } catch (error) {
    building--;
    return { kind: 'source', why: `esbuild is not available (${reason(error)})` };
  }
  try {
    const result = await bundler.build({
      entryPoints: [fileURLToPath(entry)],
      bundle: true,
      write: false,
      platform: 'node',
      format: 'esm',
      // What this Node runs, as tsx compiles for it.
      target: `node${process.versions.node}`,
      // Node's conditions for an import, without the "module" one esbuild adds by default:
      // a package then resolves to the file Node itself would load.
      conditions: [],
      logLevel: 'silent',
      plugins: [sourcesInPackagesOut],
    });
    const text = result.outputFiles?.[0]?.text;
    if (text === undefined) return { kind: 'source', why: 'esbuild gave no output' };
    // Stack traces name the entry, not a data: URL of the whole bundle (start-worker.ts).
    return { kind: 'bundle', code: `${text}\n//# sourceURL=${entry.href}.bundle.mjs\n` };
  } catch (error) {
    return { kind: 'source', why: `bundling ${fileURLToPath(entry)} failed (${reason(error)})` };
  } finally {
    if (--building === 0) await bundler.stop?.();
  }
}

/** The first line of an error, or esbuild's first message (its own message only counts them). */
function reason(error: unknown): string {
  const first = (error as { errors?: { text?: unknown }[] } | undefined)?.errors?.[0]?.text;
  if (typeof first === 'string') return first;
  return error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
}

/** Marks esbuild's own resolution of a package, so the plugin does not answer it again. */
const RESOLVING = Symbol('resolving');

/** Loaders by extension for the sources read here; anything else keeps esbuild's default. */
const LOADERS: Record<string, 'ts' | 'tsx' | 'js' | 'jsx'> = { '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx', '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.jsx': 'jsx' };

const sourcesInPackagesOut: import('esbuild').Plugin = {
  name: 'leadglow-worker-sources',
  setup(build) {
    // Bare specifiers: builtins stay as written; a package stays outside the bundle, imported
    // by the absolute URL of the file esbuild resolves it to from the importing source.
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === RESOLVING) return undefined;
      if (isBuiltin(args.path)) return { path: args.path, external: true };
      const found = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: RESOLVING });
      if (found.errors.length > 0) return { errors: found.errors };
      return { path: pathToFileURL(found.path).href, external: true };
    });
    // Each source's import.meta points at the source, not at the bundle.
    build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, async (args) => {
      const loader = LOADERS[extname(args.path)];
      if (!loader) return undefined;
      const text = await readFile(args.path, 'utf8');
      const meta: Record<string, string> = { url: pathToFileURL(args.path).href, filename: args.path, dirname: dirname(args.path) };
      return { contents: text.replace(/\bimport\.meta\.(url|filename|dirname)\b/g, (_, key: string) => JSON.stringify(meta[key])), loader };
    });
  },
};
