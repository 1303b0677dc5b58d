import { fork, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultModel } from '../../shared/scoring/index.ts';
import { startPostgres, type TestPostgres } from '../server/postgres.ts';
import type { Figure } from './figures.ts';
import type { LoadRequest, LoadResult } from './load.ts';
import { seedBulk } from './seed.ts';
import { rebuildAllSummaries } from '../../server/db/lead-summary.ts';
import { openDatabase } from '../../server/db/open.ts';

// The server benchmark, with every party in its own process: the server under test
// (server-process.ts), a bare node:http server (bare-server.ts) as the baseline, and the load
// generator (wrk with load.lua, or autocannon in load.ts). This process only starts them and reads their answers, so
// neither server pays for its clients. On 2 cores the load generator and the server still
// share the machine, the same way for both servers, so the ratio is what to compare.
//
// 1. Ingest: 10-event batches with fresh ids, `BENCH_CONNECTIONS` in flight (32) for
//    `BENCH_SECONDS` (10), on SQLite and on a throwaway PostgreSQL cluster; the baseline is the
//    mean of a bare run before and after, so drift on a shared machine hits both sides.
//    The server's peak RSS during that load is read from /proc.
// 2. Scale: `BENCH_LEADS` (100,000) leads of `BENCH_EVENTS_PER_LEAD` (50) events, bulk-seeded
//    (seed.ts), then lead lookups over HTTP timed inside the server (alone, and again while the
//    ingest load of phase 1 runs against the same server), a report and a backtest over HTTP
//    with the server's event loop watched, and a publish with its background rescore.
//    `BENCH_SCALE` picks the parts (lookup,report,backtest,rescore); a part left out prints
//    "not measured". `BENCH_SCALE_DIR` keeps the seeded store there between runs (each run
//    works on a copy), so a second run at 100k leads skips the seeding.

const HERE = dirname(fileURLToPath(import.meta.url));
const env = process.env;
const SECONDS = Number(env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 32);
const LEADS = Number(env.BENCH_LEADS ?? 100_000);
const PER_LEAD = Number(env.BENCH_EVENTS_PER_LEAD ?? 50);
const LOOKUPS = Number(env.BENCH_LOOKUPS ?? 2_000);
const PHASES = (env.BENCH_SERVER ?? 'sqlite,postgres,scale').split(',');
const SCALE_PARTS = (env.BENCH_SCALE ?? 'lookup,report,backtest,rescore').split(',');
const SCALE_DIR = env.BENCH_SCALE_DIR;

const GOAL_RATIO = 0.1;
const GOAL_RSS_MB = 300;
const GOAL_LOOKUP_MS = 5;
const GOAL_REPORT_S = 5;
const GOAL_RESCORE_S = 10;

type Child = { proc: ChildProcess; hello: Record<string, string> };

function start(script: string, extraEnv: Record<string, string>): Promise<Child> {
  // BENCH_CPU_PROF=DIR: the server under test writes a V8 CPU profile there when it stops.
  const prof = script === 'server-process.ts' && env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${env.BENCH_CPU_PROF}`] : [];
  const proc = fork(join(HERE, script), [], { execArgv: ['--import', 'tsx', ...prof], env: { ...env, ...extraEnv }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    proc.once('message', (hello) => resolve({ proc, hello: hello as Record<string, string> }));
    proc.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it was ready`)));
    proc.once('error', reject);
  });
}

function ask<T>(child: Child, message: object): Promise<T> {
  return new Promise((resolve) => {
    child.proc.once('message', (m) => resolve(m as T));
    child.proc.send(message);
  });
}

async function stop(child: Child): Promise<void> {
  if (child.proc.exitCode !== null) return;
  const exited = new Promise((r) => child.proc.once('exit', r));
  child.proc.send({ cmd: 'close' });
  await exited;
}

/**
 * The load generator: Debian's `wrk` (C, one thread, load.lua) when it is installed, else
 * autocannon (npm) in its own node process (load.ts); BENCH_CLIENT=wrk|autocannon chooses.
 * wrk is preferred because a slower client caps the bare server first and so flatters the
 * ratio: on this machine autocannon drives a bare node:http server at a fraction of wrk's rate.
 */
export const CLIENT = env.BENCH_CLIENT ?? (existsSync('/usr/bin/wrk') ? 'wrk' : 'autocannon');

function load(request: LoadRequest): Promise<LoadResult> {
  // wrk cannot pace its requests; a load at a set rate always goes through autocannon.
  const [cmd, args] =
    CLIENT === 'wrk' && !request.rate
      ? ['wrk', ['-t1', '--timeout', '30s', `-c${request.connections}`, `-d${request.seconds}s`, '-s', join(HERE, 'load.lua'), `${request.url}${request.path}`, '--', request.site, String(request.tag), String(Date.now()), request.verify]]
      : [process.execPath, ['--import', 'tsx', join(HERE, 'load.ts'), JSON.stringify(request)]];
  return new Promise((resolve, reject) => {
    const proc = spawn(cmd, args as string[], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.on('error', reject);
    proc.on('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last) as LoadResult);
      else reject(new Error(`${CLIENT} exited with ${code}: ${out.slice(-500)}`));
    });
  });
}

/** The process's resident set in MB, from /proc (Linux). */
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

/**
 * CPU seconds a process (all its threads, workers included) has used, from /proc (Linux). On a
 * shared machine at load 15 a timing mostly measures the wait for a core; the server's own CPU
 * time beside it says what the work costs.
 */
function cpuSeconds(pid: number): number {
  const { user, system } = cpuSplit(pid);
  return user + system;
}

/** The same, as user and system (kernel: syscalls such as SQLite's page reads and writes) seconds. */
function cpuSplit(pid: number): { user: number; system: number } {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
  // utime and stime are fields 14 and 15 of stat; 11 and 12 after the "pid (comm) " prefix, in ticks of 1/100 s.
  return { user: Number(fields[11]) / 100, system: Number(fields[12]) / 100 };
}

/** Samples a process's RSS every 200 ms while `work` runs; returns the work's result and the peak. */
async function withPeakRss<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  let peakMb = rssMb(pid);
  const timer = setInterval(() => (peakMb = Math.max(peakMb, rssMb(pid))), 200);
  try {
    return { result: await work(), peakMb };
  } finally {
    clearInterval(timer);
  }
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const pct = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

/** Ingest against the bare baseline on one backend; also returns the ingest rate (req/s). */
async function ingestPhase(label: string, serverEnv: Record<string, string>, tag: number): Promise<{ figures: Figure[]; rps: number }> {
  const bare = await start('bare-server.ts', {});
  const server = await start('server-process.ts', serverEnv);
  try {
    const run = (url: string, verify: LoadRequest['verify'], seconds: number, t: number) =>
      load({ url, path: '/v1/events', seconds, connections: CONNECTIONS, site: server.hello.site!, verify, tag: t });
    // Warm-up of both (JIT, connection pools, the first pages of the database).
    await run(bare.hello.url!, 'status', 2, tag);
    await run(server.hello.url!, 'accepted', 2, tag + 1);
    const before = await run(bare.hello.url!, 'status', SECONDS, tag);
    const cpu0 = cpuSplit(server.proc.pid!);
    const { result: ingest, peakMb } = await withPeakRss(server.proc.pid!, () => run(server.hello.url!, 'accepted', SECONDS, tag + 2));
    // The server process's CPU per request (on PostgreSQL the database's own work is not in it).
    const cpu1 = cpuSplit(server.proc.pid!);
    const perRequest = (s: number) => (s * 1000) / Math.max(1, ingest.requests);
    const cpuMsPerRequest = perRequest(cpu1.user + cpu1.system - cpu0.user - cpu0.system);
    const sysMsPerRequest = perRequest(cpu1.system - cpu0.system);
    const after = await run(bare.hello.url!, 'status', SECONDS, tag);
    const baseRps = (before.rps + after.rps) / 2;
    const ratio = ingest.rps / baseRps;
    const bad = ingest.errors + ingest.non2xx + ingest.mismatches;
    console.log(`  ${label}: bare node:http ${fmt(before.rps)} / ${fmt(after.rps)} req/s (before / after); durable ingest ${fmt(ingest.rps)} req/s = ${fmt(ingest.rps * 10)} events/s, p50 ${ingest.p50} ms, p99 ${ingest.p99} ms, failed: ${ingest.errors} socket errors, ${ingest.non2xx} non-2xx, ${ingest.mismatches} answers not accepting all 10; server peak RSS ${fmt(peakMb)} MB, server CPU ${fmt(cpuMsPerRequest, 3)} ms per request (${fmt(sysMsPerRequest, 3)} of it in the kernel)`);
    const figures: Figure[] = [
      { name: `durable ingest / bare node:http, 10-event batches, ${label}`, value: bad > 0 ? `${ratio.toFixed(3)} (${bad} failed)` : ratio.toFixed(3), goal: `>= ${GOAL_RATIO.toFixed(2)}`, ok: bad === 0 && ratio >= GOAL_RATIO },
    ];
    if (label === 'SQLite') figures.push({ name: 'server RSS under the ingest load (SQLite)', value: `${fmt(peakMb)} MB`, goal: `<= ${GOAL_RSS_MB} MB`, ok: peakMb <= GOAL_RSS_MB });
    return { figures, rps: ingest.rps };
  } finally {
    await stop(server);
    await stop(bare);
  }
}

type Timed = { s: number; cpu: number; ok: boolean; stallMs: number };

/**
 * A seeded store for the scale phase: in BENCH_SCALE_DIR (seeded once per size, then copied for
 * each run, since a run publishes a model and ingests), else seeded into the run's own folder.
 */
async function seededStore(dir: string): Promise<void> {
  const scale = `${fmt(LEADS)} leads / ${fmt(LEADS * PER_LEAD)} events`;
  const seed = async (into: string) => {
    const cpu0 = process.cpuUsage();
    const seconds = await seedBulk({ dataDir: into, leads: LEADS, perLead: PER_LEAD, now: Date.now() });
    const cpu = process.cpuUsage(cpu0);
    console.log(`  seeded ${scale} (bench-only bulk seeder) in ${fmt(seconds, 1)} s, CPU ${fmt((cpu.user + cpu.system) / 1e6, 1)} s`);
    // The bulk seeder writes rows past ingest, so the per-lead summaries that reports, backtests
    // and rescoring read are built here from the rows, as migration 0011 does for existing data.
    const db = await openDatabase({ dataDir: into });
    try {
      const t = performance.now();
      const built = process.cpuUsage();
      await rebuildAllSummaries(db.write);
      const used = process.cpuUsage(built);
      console.log(`  built the lead summaries from the rows in ${fmt((performance.now() - t) / 1000, 1)} s (CPU ${fmt((used.user + used.system) / 1e6, 1)} s)`);
    } finally {
      await db.close();
    }
  };
  if (!SCALE_DIR) return seed(dir);
  const marker = join(SCALE_DIR, 'seeded.json');
  const want = JSON.stringify({ leads: LEADS, perLead: PER_LEAD, summaries: 1 }); // a store from before the summaries is seeded again
  if (!existsSync(marker) || readFileSync(marker, 'utf8') !== want) {
    rmSync(SCALE_DIR, { recursive: true, force: true });
    mkdirSync(SCALE_DIR, { recursive: true });
    await seed(SCALE_DIR);
    writeFileSync(marker, want);
  } else {
    console.log(`  ${scale}: the store seeded earlier in ${SCALE_DIR}`);
    // Brought to the current schema once, here, so a migration added since (e.g. one that
    // rewrites the summaries) is not paid again by every run's copy nor timed as the server's.
    const t = performance.now();
    const db = await openDatabase({ dataDir: SCALE_DIR });
    await db.close();
    const s = (performance.now() - t) / 1000;
    if (s > 1) console.log(`  brought it to the current schema in ${fmt(s, 1)} s`);
  }
  copyFileSync(join(SCALE_DIR, 'leadglow.db'), join(dir, 'leadglow.db'));
}

/**
 * `count` lookups by email, one after another as a rep's panel asks, each a different lead
 * spread over the whole store, or as many as fit while `until` is pending. Returns the
 * server-side and client-side times, the server's CPU per lookup (all threads) and its main
 * thread's (ms, sorted), how many lookups a GC pass started in, and how many did not answer 200.
 */
async function lookups(
  server: Child,
  count: number,
  until?: Promise<unknown>,
): Promise<{ serverMs: number[]; clientMs: number[]; cpuMs: number[]; mainCpuMs: number[]; waitedMs: number[]; withGc: number; gcPasses: number; noGcMs: number[]; failed: number }> {
  const rep = { authorization: `Bearer ${server.hello.rep}` };
  let done = until === undefined;
  void until?.finally(() => (done = true));
  let next = 0;
  let failed = 0;
  const clientMs: number[] = [];
  await ask(server, { cmd: 'lookups' }); // drop earlier timings
  while (until ? !done : next < count) {
    const j = (next++ * 7919) % LEADS;
    const t = performance.now();
    const r = await fetch(`${server.hello.url}/v1/leads?email=lead${j}@corp${j % 5000}.example`, { headers: rep });
    await r.arrayBuffer();
    clientMs.push(performance.now() - t);
    if (r.status !== 200) failed++;
  }
  const { lookups: serverMs, cpu, mainCpu, waited, gc, gcPasses } = await ask<{ lookups: number[]; cpu: number[]; mainCpu: number[]; waited: number[]; gc: boolean[]; gcPasses: number }>(server, { cmd: 'lookups' });
  const sorted = (a: number[]) => a.sort((x, y) => x - y);
  const noGcMs = sorted(serverMs.filter((_, i) => !gc[i]));
  return { serverMs: sorted(serverMs), clientMs: sorted(clientMs), cpuMs: sorted(cpu), mainCpuMs: sorted(mainCpu), waitedMs: sorted(waited), withGc: gc.filter(Boolean).length, gcPasses, noGcMs, failed };
}

/**
 * Lookups, report, backtest and rescoring on a bulk-seeded SQLite store. `ingestRps`: the SQLite
 * ingest rate of phase 1 in this run, if it ran; the lookups under load send half of it.
 */
async function scalePhase(ingestRps: number | undefined): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'leadglow-bench-scale-'));
  const scale = `${fmt(LEADS)} leads / ${fmt(LEADS * PER_LEAD)} events`;
  const unmeasured = (name: string, goal: string): Figure => ({ name, value: 'not measured', goal, ok: undefined });
  const figures: Figure[] = [];
  try {
    await seededStore(dir);
    const server = await start('server-process.ts', { BENCH_DATA_DIR: dir });
    try {
      const url = server.hello.url!;
      const admin = { authorization: `Bearer ${server.hello.admin}`, 'content-type': 'application/json' };

      if (SCALE_PARTS.includes('lookup')) {
        // Alone: a warm-up round (caches, JIT, the store's pages), then the measured one.
        await lookups(server, Math.min(500, LOOKUPS));
        const alone = await lookups(server, LOOKUPS);
        const p99 = pct(alone.serverMs, 99);
        console.log(`  lead lookup: server-side p50 ${fmt(pct(alone.serverMs, 50), 2)} ms, p99 ${fmt(p99, 2)} ms, max ${fmt(alone.serverMs.at(-1) ?? Number.NaN, 2)} ms; client-side p50 ${fmt(pct(alone.clientMs, 50), 2)} ms, p99 ${fmt(pct(alone.clientMs, 99), 2)} ms; ${alone.serverMs.length} lookups, ${alone.failed} failed; server CPU per lookup p50 ${fmt(pct(alone.cpuMs, 50), 2)} ms, p99 ${fmt(pct(alone.cpuMs, 99), 2)} ms (all threads), its main thread's p50 ${fmt(pct(alone.mainCpuMs, 50), 2)} ms, p99 ${fmt(pct(alone.mainCpuMs, 99), 2)} ms (what the times above are on a machine with a core to spare), its wait for a core p50 ${fmt(pct(alone.waitedMs, 50), 2)} ms, p99 ${fmt(pct(alone.waitedMs, 99), 2)} ms; ${fmt(alone.gcPasses)} GC passes meanwhile, ${fmt(alone.withGc)} of them inside a lookup (server-side p99 of the lookups without one ${fmt(pct(alone.noGcMs, 99), 2)} ms)`);
        figures.push({ name: `lead lookup p99 server-side, ${scale}`, value: `${fmt(p99, 2)} ms`, goal: `< ${GOAL_LOOKUP_MS} ms`, ok: alone.failed === 0 && p99 < GOAL_LOOKUP_MS });

        // While events arrive: new anonymous visitors' page views in 10-event batches, so the
        // group commits are the ones production sees. Paced at a quarter of the rate phase 1
        // measured on an empty store (BENCH_LOOKUP_INGEST_RATE sets it): a saturated server
        // answers every request a turn of its event loop late, whatever a lookup costs, so
        // saturation says nothing about lookups. Half was too much for the 5M-event store with
        // the load generator on the same 2 cores (1,450 req/s sent, 491 answered).
        const rate = Math.max(10, Math.round(Number(env.BENCH_LOOKUP_INGEST_RATE ?? (ingestRps ? ingestRps / 4 : 200))));
        await ask(server, { cmd: 'loop-start' });
        const ingest = load({ url, path: '/v1/events', seconds: SECONDS, connections: CONNECTIONS, site: server.hello.site!, verify: 'accepted', tag: 12, rate });
        const busy = await lookups(server, 0, ingest);
        const ingested = await ingest;
        // The event loop's delays meanwhile: how long a commit (or anything else) held it.
        const loop = await ask<{ maxMs: number; p99Ms: number }>(server, { cmd: 'loop-stop' });
        const busyP99 = pct(busy.serverMs, 99);
        const bad = ingested.errors + ingested.non2xx + ingested.mismatches;
        console.log(`  lead lookup while ${fmt(rate)} ingest req/s are sent (${fmt(ingested.rps)} answered per s, ${bad} failed): server-side p50 ${fmt(pct(busy.serverMs, 50), 2)} ms, p99 ${fmt(busyP99, 2)} ms, max ${fmt(busy.serverMs.at(-1) ?? Number.NaN, 2)} ms; client-side p99 ${fmt(pct(busy.clientMs, 99), 2)} ms; ${busy.serverMs.length} lookups, ${busy.failed} failed; main thread per lookup: CPU p99 ${fmt(pct(busy.mainCpuMs, 99), 2)} ms, wait for a core p99 ${fmt(pct(busy.waitedMs, 99), 2)} ms; GC passes inside a lookup ${fmt(busy.withGc)} of ${fmt(busy.gcPasses)}; event-loop delay p99 ${fmt(loop.p99Ms, 1)} ms, max ${fmt(loop.maxMs, 1)} ms`);
        // A server that did not keep up with the pace was saturated: its figure is not a lookup's.
        const keptUp = ingested.rps >= 0.9 * rate;
        figures.push({
          name: `lead lookup p99 server-side, ${scale}, while ${fmt(rate * 10)} events/s arrive`,
          value: `${fmt(busyP99, 2)} ms${keptUp ? '' : ` (saturated: ${fmt(ingested.rps)} of ${fmt(rate)} req/s answered)`}`,
          goal: `< ${GOAL_LOOKUP_MS} ms`,
          ok: busy.failed === 0 && bad === 0 && keptUp && busy.serverMs.length > 0 && busyP99 < GOAL_LOOKUP_MS,
        });
      } else figures.push(unmeasured(`lead lookup p99 server-side, ${scale}`, `< ${GOAL_LOOKUP_MS} ms`));

      // A report and a backtest, while the server's event loop is watched.
      const pid = server.proc.pid!;
      const timed = async (what: string, request: () => Promise<Response>): Promise<Timed> => {
        await ask(server, { cmd: 'loop-start' });
        const cpu0 = cpuSeconds(pid);
        const t = performance.now();
        const r = await request();
        await r.arrayBuffer();
        const s = (performance.now() - t) / 1000;
        const cpu = cpuSeconds(pid) - cpu0;
        const loop = await ask<{ maxMs: number }>(server, { cmd: 'loop-stop' });
        console.log(`  ${what}: ${fmt(s, 1)} s (HTTP ${r.status}), server CPU ${fmt(cpu, 1)} s; longest event-loop stall meanwhile ${fmt(loop.maxMs)} ms`);
        return { s, cpu, ok: r.status === 200, stallMs: loop.maxMs };
      };
      const reportValue = (r: Timed) => `${fmt(r.s, 1)} s (CPU ${fmt(r.cpu, 1)} s), stall ${fmt(r.stallMs)} ms${r.ok ? '' : ' (failed)'}`;
      const reportGoal = `<= ${GOAL_REPORT_S} s, off the event loop`;
      let stallBudget = 50;
      if (SCALE_PARTS.includes('report') || SCALE_PARTS.includes('backtest')) {
        // The same watch over an idle stretch: on a busy machine a starved process "stalls" doing nothing.
        await ask(server, { cmd: 'loop-start' });
        await new Promise((r) => setTimeout(r, 5_000));
        const idleStall = (await ask<{ maxMs: number }>(server, { cmd: 'loop-stop' })).maxMs;
        console.log(`  longest event-loop stall over 5 s with nothing to do: ${fmt(idleStall)} ms (the machine's noise)`);
        // "Off the event loop": no stall longer than 50 ms, or twice the idle stall on a busy machine.
        stallBudget = Math.max(50, 2 * idleStall);
      }
      const draft = { ...defaultModel, version: defaultModel.version + 1, interestRules: defaultModel.interestRules.map((r) => (r.id === 'pricing-page' ? { ...r, points: r.points + 5 } : r)) };
      for (const [part, what, request] of [
        ['report', 'report', () => fetch(`${url}/v1/reports?weeks=26`, { headers: admin })],
        ['backtest', 'backtest', () => fetch(`${url}/v1/backtest`, { method: 'POST', headers: admin, body: JSON.stringify({ draft, weeks: 26 }) })],
      ] as const) {
        const name = `${what} over ${fmt(LEADS)} leads (longest event-loop stall)`;
        if (!SCALE_PARTS.includes(part)) {
          figures.push(unmeasured(name, reportGoal));
          continue;
        }
        const r = await timed(what, request);
        figures.push({ name, value: reportValue(r), goal: reportGoal, ok: r.ok && r.s <= GOAL_REPORT_S && r.stallMs <= stallBudget });
      }

      if (SCALE_PARTS.includes('rescore')) {
        // Publish a new version and wait until every lead carries a score of it. Progress is
        // polled through GET /v1/rescoring (one row), as the dashboard follows it: counting the
        // rows of the new version every 250 ms scanned all of lead_scores (no index has the
        // version) on the server's event loop, and at 100k leads that scan, not the rescore, set
        // the time. One count at the end checks that every lead was rescored.
        const cpu0 = cpuSeconds(pid);
        const t = performance.now();
        const publishedAt = Date.now();
        const published = await fetch(`${url}/v1/models`, { method: 'POST', headers: admin, body: JSON.stringify(draft) });
        await published.arrayBuffer();
        let rescoreS = Number.NaN;
        let scored = 0;
        let cpuEnd = Number.NaN;
        if (published.status === 201) {
          for (;;) {
            const status = (await (await fetch(`${url}/v1/rescoring`, { headers: admin })).json()) as { startedAt?: number; finishedAt?: number };
            if (status.finishedAt !== undefined && (status.startedAt ?? 0) >= publishedAt) break;
            await new Promise((r) => setTimeout(r, 250));
          }
          rescoreS = (performance.now() - t) / 1000;
          cpuEnd = cpuSeconds(pid);
          scored = (await ask<{ n: number }>(server, { cmd: 'scored', modelId: draft.id, version: draft.version })).n;
          if (scored < LEADS) rescoreS = Number.NaN;
        }
        const rescoreCpu = cpuEnd - cpu0;
        const per100k = (rescoreS * 100_000) / LEADS;
        const cpuPer100k = (rescoreCpu * 100_000) / LEADS;
        console.log(`  rescoring after a publish: ${fmt(rescoreS, 1)} s for ${fmt(LEADS)} leads = ${fmt(per100k, 1)} s per 100k leads (HTTP ${published.status}; ${fmt(scored)} leads carry the new version); server CPU ${fmt(rescoreCpu, 1)} s = ${fmt(cpuPer100k, 1)} s per 100k`);
        figures.push({ name: 'rescoring after a publish, per 100k leads', value: `${fmt(per100k, 1)} s (CPU ${fmt(cpuPer100k, 1)} s)`, goal: `<= ${GOAL_RESCORE_S} s`, ok: per100k <= GOAL_RESCORE_S });
      } else figures.push(unmeasured('rescoring after a publish, per 100k leads', `<= ${GOAL_RESCORE_S} s`));
      return figures;
    } finally {
      await stop(server);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchServer(): Promise<Figure[]> {
  console.log(`server benchmark: server, bare node:http and load generator (${CLIENT}) in separate processes; ${CONNECTIONS} connections, ${SECONDS} s per run, loopback`);
  const figures: Figure[] = [];
  let sqliteRps: number | undefined;
  if (PHASES.includes('sqlite')) {
    const dir = mkdtempSync(join(tmpdir(), 'leadglow-bench-'));
    try {
      const sqlite = await ingestPhase('SQLite', { BENCH_DATA_DIR: dir }, 0);
      figures.push(...sqlite.figures);
      sqliteRps = sqlite.rps;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (PHASES.includes('postgres')) {
    let pg: TestPostgres | undefined;
    try {
      const url = env.DATABASE_URL ?? (await (pg = await startPostgres()).newDatabase());
      figures.push(...(await ingestPhase('PostgreSQL', { DATABASE_URL: url }, 8)).figures);
    } catch (error) {
      console.log(`  PostgreSQL: not measured (${error instanceof Error ? error.message : String(error)})`);
      figures.push({ name: 'durable ingest / bare node:http, 10-event batches, PostgreSQL', value: 'not measured', goal: `>= ${GOAL_RATIO.toFixed(2)}`, ok: undefined });
    } finally {
      await pg?.stop();
    }
  }
  if (PHASES.includes('scale')) figures.push(...(await scalePhase(sqliteRps)));
  return figures;
}
