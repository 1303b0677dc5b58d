import { existsSync, readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../../server/http/app.ts';
import { openDatabase } from '../../../server/db/open.ts';
import { testServer, until, type TestServer } from '../harness.ts';

// Issue 18, finding 5: a body sent one byte every 5 s was never cut off; /metrics needed no
// token; a token could open any number of event streams; the email-link secret was stored in
// clear in the database.

describe('server limits', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer('sqlite', undefined, { streamsPerToken: 2, requestTimeoutMs: 2_000, headersTimeoutMs: 1_500, metricsToken: 'scrape-0123456789abcdef0123456789' });
  });
  afterAll(async () => {
    await s?.cleanup();
  });

  it('puts /metrics behind an admin key or the metrics token', async () => {
    const status = async (auth?: string) => (await fetch(`${s.url}/metrics`, { headers: auth ? { authorization: auth } : {} })).status;
    expect(await status()).toBe(401);
    expect(await status(`Bearer ${s.rep}`)).toBe(403);
    expect(await status('Bearer scrape-0123456789abcdef0123456788')).toBe(401);
    expect(await status(`Bearer ${s.admin}`)).toBe(200);
    expect(await status('Bearer scrape-0123456789abcdef0123456789')).toBe(200);
  });

  it('caps open event streams per token', async () => {
    const open = async (token: string) => {
      const controller = new AbortController();
      const r = await fetch(`${s.url}/v1/stream`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
      return { r, close: () => controller.abort() };
    };
    const a = await open(s.rep);
    const b = await open(s.rep);
    expect([a.r.status, b.r.status]).toEqual([200, 200]);
    const c = await open(s.rep);
    expect(c.r.status).toBe(429);
    expect((await c.r.json()).error).toMatch(/at most 2 open streams per token/);
    // Another token has its own allowance.
    const other = await open(s.admin);
    expect(other.r.status).toBe(200);
    other.close();
    // Closing one frees its place (once the server sees the connection close).
    a.close();
    let d: Awaited<ReturnType<typeof open>> | undefined;
    await until(async () => {
      d = await open(s.rep);
      if (d.r.status === 200) return true;
      await d.r.body?.cancel();
      return false;
    }, 'a stream place to be freed', 30_000, 50);
    d!.close();
    b.close();
  });

  it('cuts off a body sent one byte at a time, and headers sent slowly', async () => {
    const slow = (head: string, trickle: string) =>
      new Promise<{ answer: string; ms: number }>((resolve, reject) => {
        const started = Date.now();
        const socket = connect(Number(new URL(s.url).port), '127.0.0.1');
        let answer = '';
        let timer: NodeJS.Timeout | undefined;
        socket.on('connect', () => {
          socket.write(head);
          let i = 0;
          // One byte every 250 ms; the whole trickle would take far longer than the bound.
          timer = setInterval(() => socket.write(trickle[i++ % trickle.length]!), 250);
        });
        socket.on('data', (d) => (answer += d.toString()));
        socket.on('error', () => undefined);
        socket.on('close', () => {
          clearInterval(timer);
          resolve({ answer, ms: Date.now() - started });
        });
        setTimeout(() => {
          clearInterval(timer);
          socket.destroy();
          reject(new Error('the server kept a slow request open for 60 s'));
        }, 60_000);
      });
    const body = await slow(`POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n`, '{"events":[');
    expect(body.answer === '' || /^HTTP\/1\.1 408/.test(body.answer)).toBe(true);
    expect(body.ms).toBeGreaterThanOrEqual(1_500);
    const headers = await slow('GET /healthz HTTP/1.1\r\n', 'X-Slow: aaaaaaaa\r\n');
    expect(headers.answer === '' || /^HTTP\/1\.1 408/.test(headers.answer)).toBe(true);
    // Still serving everyone else.
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
  }, 150_000);
});

describe('the email-link secret at rest', () => {
  it('is sealed in the database with a key from outside it, and a clear one is sealed at start', async () => {
    const s = await testServer('sqlite', undefined, { linkSecret: undefined });
    const dir = s.options.dataDir!;
    try {
      await s.close();
      const db = await openDatabase({ dataDir: dir });
      const stored = (await db.read.selectFrom('settings').select('value').where('key', '=', 'link_secret').executeTakeFirstOrThrow()).value;
      expect(stored).toMatch(/^enc:v1:/);
      // The key is in the data folder, readable by the owner only, and not in the database file.
      const keyFile = join(dir, 'secret.key');
      expect(existsSync(keyFile)).toBe(true);
      expect(statSync(keyFile).mode & 0o077).toBe(0);
      expect(readFileSync(join(dir, 'leadglow.db')).includes(Buffer.from(readFileSync(keyFile, 'utf8').trim()))).toBe(false);
      // A database from before, with the secret in clear: sealed at the next start, same secret.
      await db.write.updateTable('settings').set({ value: 'legacy-clear-secret-0123456789' }).where('key', '=', 'link_secret').execute();
      await db.close();
      const again = await startServer({ port: 0, dataDir: dir, rateLimit: false });
      await again.close();
      const db2 = await openDatabase({ dataDir: dir });
      const resealed = (await db2.read.selectFrom('settings').select('value').where('key', '=', 'link_secret').executeTakeFirstOrThrow()).value;
      await db2.close();
      expect(resealed).toMatch(/^enc:v1:/);
      expect(resealed).not.toContain('legacy-clear-secret');
      // With another key the server refuses to start rather than mint tokens with a wrong secret.
      process.env.LEADGLOW_SECRET_KEY = 'another-key-0123456789abcdef0123456789';
      try {
        await expect(startServer({ port: 0, dataDir: dir, rateLimit: false })).rejects.toThrow(/cannot be decrypted: LEADGLOW_SECRET_KEY/);
      } finally {
        delete process.env.LEADGLOW_SECRET_KEY;
      }
    } finally {
      await s.cleanup();
    }
  });
});
