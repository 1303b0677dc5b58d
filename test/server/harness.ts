import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startServer, type RunningServer, type ServerOptions } from '../../server/http/app.ts';
import { uuidv7 } from '../../shared/ids.ts';
import { openDatabase } from '../../server/db/open.ts';
import { createKey } from '../../server/auth/api-keys.ts';
import { startPostgres, type TestPostgres } from './postgres.ts';

// Test receivers listen on 127.0.0.1, which webhook delivery refuses unless the operator allows
// private targets (server/outbound/pinned-fetch.ts); test/server/outbound/outbound.test.ts checks the refusal itself.
process.env.LEADGLOW_WEBHOOK_ALLOW_PRIVATE ??= '1';

export const BACKENDS = ['sqlite', 'postgres'] as const;
export type BackendName = (typeof BACKENDS)[number];

/** Starts and stops one PostgreSQL cluster per test file (only when a test asks for it). */
export function usePostgres(): () => TestPostgres {
  let pgc: TestPostgres | undefined;
  beforeAll(async () => {
    pgc = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await pgc?.stop();
  });
  return () => {
    if (!pgc) throw new Error('PostgreSQL did not start');
    return pgc;
  };
}

export type TestServer = RunningServer & {
  siteKey: string;
  rep: string;
  admin: string;
  /** What it was started with (data folder or database URL), to reopen the same storage. */
  options: ServerOptions;
  cleanup(): Promise<void>;
};

export async function testServer(backend: BackendName, pgc: (() => TestPostgres) | undefined, options: ServerOptions = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'leadglow-test-'));
  const opts: ServerOptions = { port: 0, dataDir: dir, rateLimit: false, linkSecret: 'test-secret-0123456789abcdef', ...options };
  if (backend === 'postgres') opts.databaseUrl = await pgc!().newDatabase();
  const server = await startServer(opts);
  const siteKey = await server.createKey({ role: 'site', site: 'acme', origins: ['https://acme.test'] });
  const rep = await server.createKey({ role: 'rep', name: 'Rita Rep' });
  const admin = await server.createKey({ role: 'admin', name: 'Ada Admin' });
  return {
    ...server,
    siteKey,
    rep,
    admin,
    options: opts,
    async cleanup() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Waits until `condition` holds, looking again every `everyMs`; throws naming `what` after
 * `timeoutMs`. Tests wait for what they need this way, never for a fixed time, so that they
 * pass on a busy machine and do not wait longer than needed on an idle one.
 */
export async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000, everyMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

let seq = 0;
/** A page view (or another type with `extra`) `agoMs` before now. */
export function ev(site: string, anon: string, type: string, agoMs: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const ts = Date.now() - agoMs;
  const base: Record<string, unknown> = { id: uuidv7(ts), type, ts, site, anonymousId: anon, sessionId: `s-${anon}-${seq++ % 3}` };
  if (type !== 'identify' && type !== 'custom' && type !== 'email_open') base.url = 'https://acme.test/';
  return { ...base, ...extra };
}

/** An answer's status and body, JSON where it parses (errors may be text). */
export async function answer(r: Response): Promise<{ status: number; json: any; headers: Headers }> {
  const text = await r.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: r.status, json, headers: r.headers };
}

export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: any; headers: Headers }> {
  return answer(await fetch(`${url}/v1/events`, { method: 'POST', headers: { 'content-type': 'text/plain', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) }));
}

export async function get(url: string, token: string | undefined, path: string): Promise<{ status: number; json: any }> {
  return answer(await fetch(`${url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} }));
}

/**
 * A fresh store for a server run in a child process: a data folder (and, on PostgreSQL, a new
 * database) with a site key for site "acme". The folder goes into `dirs` for cleanup.
 */
export async function freshStore(backend: (typeof BACKENDS)[number], pg: () => TestPostgres, dirs: string[]): Promise<{ dir: string; databaseUrl: string | undefined; key: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'leadglow-child-'));
  dirs.push(dir);
  const databaseUrl = backend === 'postgres' ? await pg().newDatabase() : undefined;
  const db = await openDatabase(databaseUrl ? { databaseUrl } : { dataDir: dir });
  const key = await createKey(db.write, { role: 'site', site: 'acme' });
  await db.close();
  return { dir, databaseUrl, key };
}

/** One `leadglow serve` process of a cluster, with the instance id its /healthz reports. */
export type ClusterInstance = { child: ChildProcess; url: string; id: string };

/**
 * `count` `leadglow serve` processes on one PostgreSQL, each with its own data folder, started
 * at once (a generous deadline: several processes starting on a busy 2-core machine); `stop`
 * ends those still running and removes their folders.
 */
export async function startCluster(databaseUrl: string, env: Record<string, string>, count = 3): Promise<{ nodes: ClusterInstance[]; stop(): Promise<void> }> {
  const dirs: string[] = [];
  const nodes = await Promise.all(
    Array.from({ length: count }, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'leadglow-cluster-'));
      dirs.push(dir);
      const s = await spawnCliServer(dir, databaseUrl, env, 150_000);
      const health = (await (await fetch(`${s.url}/healthz`)).json()) as { instance: string };
      return { ...s, id: health.instance };
    }),
  );
  const stop = async () => {
    await Promise.all(nodes.map((n) => (n.child.exitCode === null && n.child.signalCode === null ? new Promise((r) => (n.child.once('exit', r), n.child.kill('SIGTERM'))) : undefined)));
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  };
  return { nodes, stop };
}

/** `leadglow serve` in a child process (for kill -9 tests); resolves once it listens. */
export function spawnCliServer(dataDir: string, databaseUrl: string | undefined, extraEnv: Record<string, string> = {}, startMs = 120_000): Promise<{ child: ChildProcess; url: string }> {
  const env = { ...process.env, ...extraEnv };
  delete env.DATABASE_URL;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  const root = resolve(import.meta.dirname, '../..');
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli/cli.ts', 'serve', '--port', '0', '--data', dataDir, '--quiet'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((res, rej) => {
    let out = '';
    const timer = setTimeout(() => rej(new Error(`server did not start in ${startMs / 1000} s: ${out}`)), startMs);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        res({ child, url: m[1]! });
      }
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => rej(new Error(`server exited (${code}): ${out}`)));
  });
}
