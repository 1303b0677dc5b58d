import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { startServer } from '../../server/http/app.ts';

// The server under test, in its own process (forked by server.ts): the real `startServer` with
// rate limits and webhooks off, on BENCH_DATA_DIR (SQLite) or DATABASE_URL (PostgreSQL).
// It reports its address and keys over IPC, times lead lookups server-side (from the moment
// node hands the request over to the end of the answer, so routing, auth, queries and JSON are
// in and the client's and the network's time are out), and watches its event loop while a
// report or a rescore runs. RSS is read by the parent from /proc.

process.env.LEADGLOW_RETRAIN_HOURS ??= '0';

const server = await startServer({
  port: 0,
  host: '127.0.0.1',
  rateLimit: false,
  webhook: false,
  ...(process.env.BENCH_DATA_DIR ? { dataDir: process.env.BENCH_DATA_DIR } : { databaseUrl: process.env.DATABASE_URL! }),
});
const site = await server.createKey({ role: 'site', site: 'bench' });
const rep = await server.createKey({ role: 'rep' });
const admin = await server.createKey({ role: 'admin' });

// Each lookup's time and the process's CPU time meanwhile (all threads, so GC helpers too): with
// one lookup at a time and nothing else running, the CPU is what the lookup cost, whatever
// share of a core a busy machine gave the process. Beside it, from the main thread's schedstat
// (Linux; NaN elsewhere): its own CPU time, which is what holds the event loop, and its time
// runnable but waiting for a core; and whether a garbage-collection pass started during the
// lookup. Together they say what a slow lookup was made of.
const lookups: number[] = [];
const lookupsCpu: number[] = [];
const lookupsMainCpu: number[] = [];
const lookupsWaited: number[] = [];
const lookupWindows: [number, number][] = [];
const gcStarts: number[] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcStarts.push(e.startTime);
}).observe({ entryTypes: ['gc'] });
const SCHEDSTAT = `/proc/self/task/${process.pid}/schedstat`;
/** The main thread's time on a core and waiting in the run queue so far (ms). */
function mainThreadMs(): [onCpu: number, waiting: number] {
  try {
    const [run, wait] = readFileSync(SCHEDSTAT, 'utf8').split(' ');
    return [Number(run) / 1e6, Number(wait) / 1e6];
  } catch {
    return [Number.NaN, Number.NaN];
  }
}
server.app.server.prependListener('request', (req, res) => {
  if (!req.url?.startsWith('/v1/leads?email=')) return;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const main0 = mainThreadMs();
  res.once('finish', () => {
    const t1 = performance.now();
    lookups.push(t1 - t0);
    const cpu = process.cpuUsage(cpu0);
    lookupsCpu.push((cpu.user + cpu.system) / 1000);
    const main1 = mainThreadMs();
    lookupsMainCpu.push(main1[0] - main0[0]);
    lookupsWaited.push(main1[1] - main0[1]);
    lookupWindows.push([t0, t1]);
  });
});

/**
 * Per lookup (in order), whether a GC pass started while it ran, and how many passes started
 * since the last call (V8 runs most scavenges as tasks between requests); forgets both lists.
 */
function lookupsWithGc(): { gc: boolean[]; gcPasses: number } {
  const starts = gcStarts.splice(0).sort((a, b) => a - b);
  let k = 0;
  const gc = lookupWindows.splice(0).map(([t0, t1]) => {
    while (k < starts.length && starts[k]! < t0) k++;
    return k < starts.length && starts[k]! < t1;
  });
  return { gc, gcPasses: starts.length };
}

const loop = monitorEventLoopDelay({ resolution: 10 });

export type ServerMessage =
  | { cmd: 'lookups' }
  | { cmd: 'loop-start' }
  | { cmd: 'loop-stop' }
  | { cmd: 'scored'; modelId: string; version: number }
  | { cmd: 'close' };

process.on('message', (m: ServerMessage) => {
  void (async () => {
    if (m.cmd === 'lookups') process.send!({ lookups: lookups.splice(0), cpu: lookupsCpu.splice(0), mainCpu: lookupsMainCpu.splice(0), waited: lookupsWaited.splice(0), ...lookupsWithGc() });
    else if (m.cmd === 'loop-start') {
      loop.reset();
      loop.enable();
      process.send!({ ok: true });
    } else if (m.cmd === 'loop-stop') {
      loop.disable();
      process.send!({ maxMs: loop.max / 1e6, p99Ms: loop.percentile(99) / 1e6 });
    } else if (m.cmd === 'scored') {
      // How many leads carry a score of this model version (the background rescore's progress).
      const row = await server.db.read
        .selectFrom('lead_scores')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('model_id', '=', m.modelId)
        .where('model_version', '=', m.version)
        .executeTakeFirst();
      process.send!({ n: Number(row?.n ?? 0) });
    } else if (m.cmd === 'close') {
      await server.close();
      process.exit(0);
    }
  })();
});
process.on('disconnect', () => void server.close().then(() => process.exit(0)));

process.send!({ url: server.url, site, rep, admin, backend: server.db.backend });
