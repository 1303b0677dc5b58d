import { MessageChannel, Worker } from 'node:worker_threads';
import { workerCode, type Bundler, type WorkerCode } from './worker-bundle.ts';

// The one way the server starts a worker thread (reports and backtests, rescoring, training).
// The Worker is returned at once, so a pool can post to it straight away: its messages wait in
// the worker until the entry listens. Meanwhile the entry is bundled (once per process,
// worker-bundle.ts) and boot.mjs, the worker's first module, loads the bundle, or the
// TypeScript through tsx when bundling was not possible.

const BOOT = new URL('./boot.mjs', import.meta.url);

export type StartWorkerOptions = {
  /** Node options for the worker, e.g. `--cpu-prof` to profile one (default none: the parent's `--import tsx` would register tsx twice). */
  execArgv?: string[] | undefined;
  /** How the bundler is loaded (tests pass one that fails, as an install without esbuild would). */
  loadBundler?: (() => Promise<Bundler>) | undefined;
};

/** What boot.mjs is told. */
export type BootMessage = { kind: 'bundle'; code: string } | { kind: 'source'; entry: string };

/** Warned once per process: a slower start is worth knowing, not worth failing for. */
let warned = false;

/** Starts a worker thread on `entry` (a TypeScript module's URL). */
export function startWorker(entry: URL, options: StartWorkerOptions = {}): Worker {
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(BOOT, {
    execArgv: options.execArgv ?? [],
    workerData: { bootPort: port2 },
    transferList: [port2],
  });
  void workerCode(entry, options.loadBundler).then((code) => {
    port1.postMessage(bootMessage(entry, code));
    port1.close();
  });
  return worker;
}

function bootMessage(entry: URL, code: WorkerCode): BootMessage {
  if (code.kind === 'bundle') return code;
  if (!warned) {
    warned = true;
    process.emitWarning(`worker threads load their TypeScript through tsx, which starts each about a CPU-second slower: ${code.why}`, { code: 'LEADGLOW_WORKER_SOURCE' });
  }
  return { kind: 'source', entry: entry.href };
}
