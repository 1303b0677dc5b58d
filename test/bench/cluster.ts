import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import { openDatabase, type OpenDatabase } from '../../server/db/open.ts';
import { createKey } from '../../server/auth/api-keys.ts';
import { createSharedRateLimiter } from '../../server/http/shared-rate-limit.ts';
import { uuidv7 } from '../../shared/ids.ts';
import { startPostgres } from '../server/postgres.ts';

// `npm run bench cluster`: one PostgreSQL, 1 and then 3 `leadglow serve` processes, load from
// a separate process (this file run with --load) posting 10-event batches with unique ids
// over keep-alive connections, spread round-robin over the instances as a load balancer
// would. Printed: events/s and p99 for 1 and 3 instances and their ratio; bytes per stored
// event (the events table with its indexes, and the row alone); rescoring after a publish,
// per 100k leads. Sizes: BENCH_SECONDS (8), BENCH_CONCURRENCY (32), BENCH_LEADS (2000).

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const LEADS = Number(process.env.BENCH_LEADS ?? 2_000);
const ROOT = resolve(import.meta.dirname, '../..');

type LoadResult = { requests: number; events: number; seconds: number; p50: number; p99: number; errors: number };

// --- the load generator (its own process) ---------------------------------------------------

async function runLoad(urls: string[], key: string, seconds: number, concurrency: number, leads: number): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let errors = 0;
  let n = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  const paths = ['/product', '/pricing', '/case-studies/x', '/blog/a', '/docs'];
  const post = (url: string, body: string) =>
    new Promise<number>((res) => {
      const u = new URL(`${url}/v1/events`);
      const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', agent, headers: { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) } }, (r) => {
        r.resume();
        r.on('end', () => res(r.statusCode ?? 0));
      });
      req.on('error', () => res(0));
      req.end(body);
    });
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const i = n++;
        const now = Date.now();
        // Views of identified visitors (scored), some of the same lead through different instances at once.
        const events = Array.from({ length: 10 }, (_, k) => ({
          id: uuidv7(now),
          type: 'page_view',
          ts: now - 10 + k,
          site: key,
          anonymousId: `bench-${(i * 7 + k) % leads}`,
          sessionId: `s-${i % 97}`,
          url: `https://acme.test${paths[(i + k) % paths.length]}`,
        }));
        const t = performance.now();
        const status = await post(urls[i % urls.length]!, JSON.stringify({ events }));
        latencies.push(performance.now() - t);
        if (status !== 200) errors++;
      }
    }),
  );
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
  const ok = latencies.length - errors;
  return { requests: latencies.length, events: ok * 10, seconds: (performance.now() - start) / 1000, p50: pct(50), p99: pct(99), errors };
}

if (process.argv.includes('--load')) {
  const [urls, key, seconds, concurrency, leads] = JSON.parse(process.argv[process.argv.indexOf('--load') + 1]!) as [string[], string, number, number, number];
  const r = await runLoad(urls, key, seconds, concurrency, leads);
  process.stdout.write(JSON.stringify(r));
  process.exit(0);
}

// --- the driver -----------------------------------------------------------------------------

function spawnServer(databaseUrl: string): Promise<{ child: ChildProcess; url: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'leadglow-bench-'));
  // One sealing key for every instance (README, Running several instances).
  const env = { ...process.env, DATABASE_URL: databaseUrl, LEADGLOW_RATE_LIMIT: 'off', LEADGLOW_RETRAIN_HOURS: '0', LEADGLOW_SECRET_KEY: 'bench-cluster-sealing-key-0123456789abcdef' };
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli/cli.ts', 'serve', '--port', '0', '--data', dir, '--quiet'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return new Promise((res, rej) => {
    let out = '';
    const timer = setTimeout(() => rej(new Error(`server did not start: ${out}`)), 180_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        res({ child, url: m[1]! });
      }
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  });
}

function loadFromProcess(urls: string[], key: string): Promise<LoadResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/bench/cluster.ts', '--load', JSON.stringify([urls, key, SECONDS, CONCURRENCY, LEADS])], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((res, rej) => child.once('exit', (code) => (code === 0 ? res(JSON.parse(out) as LoadResult) : rej(new Error(`load generator exited ${code}`)))));
}

const stop = (c: ChildProcess) => new Promise((r) => (c.once('exit', r), c.kill('SIGTERM')));

async function identifyAll(url: string, key: string): Promise<void> {
  for (let i = 0; i < LEADS; i += 50) {
    const events = Array.from({ length: Math.min(50, LEADS - i) }, (_, k) => ({
      id: uuidv7(),
      type: 'identify',
      ts: Date.now() - 60_000,
      site: key,
      anonymousId: `bench-${i + k}`,
      sessionId: 's',
      traits: { email: `bench${i + k}@hooli.com`, jobTitle: 'CTO' },
      source: 'form',
    }));
    const r = await fetch(`${url}/v1/events`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ events }) });
    if (r.status !== 200) throw new Error(`identify: ${r.status}`);
  }
}

type Bytes = { before: number; after: number; filled: number; row: number; body: number; oldBody: number; score: number };

/**
 * Bytes per stored event as stored now (migration 0010: monthly partitions, owners through
 * identities, the body without what columns hold; summed over the partitions, indexes
 * included) against the same events laid out as before 0010 in this same run: one table, the
 * lead id written on every row, the whole event in the body, and the three B-tree indexes.
 */
async function bytesPerEvent(db: OpenDatabase): Promise<Bytes> {
  await sql`DROP TABLE IF EXISTS events_before`.execute(db.write);
  await sql`CREATE TABLE events_before (id text PRIMARY KEY, site text NOT NULL, anonymous_id text NOT NULL, lead_id text,
    ts bigint NOT NULL, type text NOT NULL, body text NOT NULL, received_at bigint NOT NULL)`.execute(db.write);
  // The old body: the same text the server wrote then (JSON.stringify of the whole event; key order aside, the same bytes).
  await sql`INSERT INTO events_before SELECT e.id, e.site, e.anonymous_id, coalesce(e.lead_id, i.lead_id), e.ts, e.type,
      '{"id":"' || e.id || '","type":"' || e.type || '","ts":' || e.ts || ',"site":"' || e.site || '","anonymousId":"' || e.anonymous_id || '"' ||
      CASE WHEN e.body = '{}' THEN '}' ELSE ',' || substr(e.body, 2) END, e.received_at
    FROM events e LEFT JOIN identities i ON i.site = e.site AND i.anonymous_id = e.anonymous_id`.execute(db.write);
  await sql`CREATE INDEX events_before_lead ON events_before (lead_id, ts, id)`.execute(db.write);
  await sql`CREATE INDEX events_before_anon ON events_before (site, anonymous_id)`.execute(db.write);
  await sql`CREATE INDEX events_before_ts ON events_before (ts)`.execute(db.write);
  await sql`VACUUM ANALYZE events_before`.execute(db.write);
  await sql`VACUUM ANALYZE events`.execute(db.write);
  const r = await sql<{ after: string; filled: string; before: string; rows: string; row: string; body: string; old_body: string }>`
    SELECT (SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits WHERE inhparent = 'events'::regclass) AS after,
           (SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits WHERE inhparent = 'events'::regclass
              AND EXISTS (SELECT 1 FROM events f WHERE f.tableoid = inhrelid)) AS filled,
           pg_total_relation_size('events_before') AS before, count(*) AS rows,
           avg(pg_column_size(e.*)) AS row, avg(pg_column_size(e.body)) AS body,
           (SELECT avg(pg_column_size(b.body)) FROM events_before b) AS old_body FROM events e`.execute(db.read);
  const s = await sql<{ total: string; rows: string }>`SELECT pg_total_relation_size('lead_scores') AS total, count(*) AS rows FROM lead_scores`.execute(db.read);
  await sql`DROP TABLE events_before`.execute(db.write);
  const x = r.rows[0]!;
  const y = s.rows[0]!;
  const n = Number(x.rows);
  return { before: Number(x.before) / n, after: Number(x.after) / n, filled: Number(x.filled) / n, row: Number(x.row), body: Number(x.body), oldBody: Number(x.old_body), score: Number(y.total) / Number(y.rows) };
}

async function rescoreSeconds(url: string, admin: string, db: OpenDatabase): Promise<number> {
  const live = (await (await fetch(`${url}/v1/models/b2b-starter`, { headers: { authorization: `Bearer ${admin}` } })).json()) as { version: number };
  const next = { ...live, version: live.version + 1, competitorDomains: ['rival.test'] };
  const t = performance.now();
  const r = await fetch(`${url}/v1/models`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify(next) });
  if (r.status !== 201) throw new Error(`publish: ${r.status}`);
  const deadline = Date.now() + 30 * 60_000;
  for (;;) {
    const stale = await db.read.selectFrom('lead_scores').select((eb) => eb.fn.countAll().as('n')).where('model_version', '<', next.version).executeTakeFirstOrThrow();
    if (Number(stale.n) === 0) return (performance.now() - t) / 1000;
    if (Date.now() > deadline) throw new Error('rescoring did not finish');
    await new Promise((res) => setTimeout(res, 50));
  }
}

export async function benchCluster(): Promise<void> {
  const pgc = await startPostgres();
  const children: ChildProcess[] = [];
  try {
    const databaseUrl = await pgc.newDatabase();
    const db = await openDatabase({ databaseUrl });
    const key = await createKey(db.write, { role: 'site', site: 'acme' });
    const admin = await createKey(db.write, { role: 'admin' });
    const first = await spawnServer(databaseUrl);
    children.push(first.child);
    await identifyAll(first.url, key);

    const one = await loadFromProcess([first.url], key);
    const more = await Promise.all([spawnServer(databaseUrl), spawnServer(databaseUrl)]);
    children.push(...more.map((m) => m.child));
    const three = await loadFromProcess([first.url, ...more.map((m) => m.url)], key);
    const line = (name: string, r: LoadResult) =>
      console.log(`${name.padEnd(12)} ${Math.round(r.events / r.seconds).toLocaleString('en-US').padStart(8)} events/s   p50 ${r.p50.toFixed(1)} ms   p99 ${r.p99.toFixed(1)} ms   (${r.requests} requests, ${r.errors} errors)`);
    console.log(`load: ${CONCURRENCY} connections, 10-event batches, ${SECONDS} s, ${LEADS} identified visitors, from a separate process`);
    line('1 instance', one);
    line('3 instances', three);
    const ratio = three.events / three.seconds / (one.events / one.seconds);
    console.log(`3 / 1 instances: ${ratio.toFixed(2)}   (goal ≥ 1.0 on one machine: coordination costs no throughput; scaling out needs cores)`);

    // The shared rate limit's check (one upsert on an UNLOGGED table per request and limiter),
    // timed from this process with as many checks in flight as the load had requests.
    const limiter = createSharedRateLimiter(db.write, 'key', { capacity: 1e9, refillPerSecond: 1e9 }, { secret: 'bench' });
    const checks = 4_000;
    let next = 0;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < checks) await limiter.take(`bench-${next++ % 50}`, Date.now());
    }));
    const perSecond = checks / ((performance.now() - t0) / 1000);
    const requestsPerSecond = three.requests / three.seconds;
    console.log(`shared rate limit: ${Math.round(perSecond).toLocaleString('en-US')} checks/s on one pool of 10 connections, ${(requestsPerSecond / perSecond).toFixed(2)} of it at the 3-instance request rate   (goal ≤ 0.25: two checks per request stay a minor cost)`);

    const b = await bytesPerEvent(db);
    console.log(
      `bytes per event, indexes included: ${Math.round(b.after)} as stored (partitioned, owners through identities, lean body) vs ${Math.round(b.before)} laid out as before 0010 = ${(b.after / b.before).toFixed(2)}   (goal ≤ 0.6)`,
    );
    console.log(
      `  in the months that hold events (empty months ahead and their indexes left out; what counts at scale): ${Math.round(b.filled)} = ${(b.filled / b.before).toFixed(2)} of before; row ${Math.round(b.row)} B, of which body ${Math.round(b.body)} B (before 0010: body ${Math.round(b.oldBody)} B)`,
    );
    console.log(`bytes per lead_scores row (one model): ${Math.round(b.score)} with indexes`);

    const rescored = Number((await db.read.selectFrom('leads').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const s = await rescoreSeconds(first.url, admin, db);
    console.log(`rescoring after a publish: ${rescored} leads in ${s.toFixed(1)} s = ${((s / rescored) * 100_000).toFixed(0)} s per 100k leads   (goal ≤ 10 s per 100k)`);
    await db.close();
  } finally {
    await Promise.all(children.map(stop));
    await pgc.stop();
  }
}
