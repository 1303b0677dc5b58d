import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookBody, type StageChange } from '../../../shared/contracts/api.ts';
import { startServer } from '../../../server/http/app.ts';
import { webhookFromEnv } from '../../../server/outbound/webhook-dispatch.ts';
import { verifySignature } from '../../../server/outbound/webhook-send.ts';
import { BACKENDS, ev, post, testServer, usePostgres, type TestServer } from '../harness.ts';

// Stage-change webhooks against a real receiver on 127.0.0.1.

const pg = usePostgres();
const SECRET = 'whsec_delivery_test_0123456789';

type Received = { body: string; signature: string; attempt: number; status: number };

/** A receiver whose answer per request is decided by `respond` (undefined: never answer). */
async function receiver(respond: (n: number, body: string) => number | undefined): Promise<{ url: string; got: Received[]; close(): Promise<void> }> {
  const got: Received[] = [];
  const hung: ServerResponse[] = [];
  let n = 0;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const status = respond(++n, body);
      got.push({ body, signature: String(req.headers['leadglow-signature']), attempt: Number(req.headers['leadglow-attempt']), status: status ?? 0 });
      if (status === undefined) hung.push(res);
      else res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    got,
    close: () =>
      new Promise<void>((r) => {
        hung.forEach((h) => h.destroy());
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A CTO who asks for a demo: sales-ready under the default model. */
const salesReady = (site: string, anon: string, email: string) => [
  ev(site, anon, 'identify', 3000, { traits: { email, name: 'Pat <!channel>', jobTitle: 'CTO' }, source: 'form' }),
  ev(site, anon, 'form_submit', 2000, { formId: 'demo-request', fields: ['email'] }),
];

describe.each(BACKENDS)('stage webhooks on %s', (backend) => {
  let s: TestServer;
  let rx: Awaited<ReturnType<typeof receiver>>;
  const failFirst = new Map<string, number>();
  beforeAll(async () => {
    // Two failures for a lead whose email is in the body, then success.
    rx = await receiver((_n, body) => {
      const email = (JSON.parse(body) as { change: StageChange }).change.email ?? '';
      if (email.startsWith('hang')) return undefined;
      const seen = (failFirst.get(email) ?? 0) + 1;
      failFirst.set(email, seen);
      return email.startsWith('flaky') && seen <= 2 ? 503 : 204;
    });
    s = await testServer(backend, pg, { webhook: { url: rx.url, secret: SECRET, baseDelayMs: 20, maxAttempts: 4, timeoutMs: 60_000 } });
  });
  afterAll(async () => {
    await s?.cleanup();
    await rx?.close();
  });

  const forLead = (email: string, to?: string) =>
    rx.got.filter((g) => {
      const b = JSON.parse(g.body) as { change: StageChange };
      return b.change.email === email && (to === undefined || b.change.to === to);
    });

  it('posts a signed, Slack-compatible body when a lead becomes sales-ready', async () => {
    expect((await post(s.url, { events: salesReady(s.siteKey, 'wh-1', 'pat@hooli.com') })).status).toBe(200);
    await until(() => forLead('pat@hooli.com', 'sales_ready').length > 0);
    const [hit] = forLead('pat@hooli.com', 'sales_ready');
    expect(verifySignature(SECRET, hit!.body, hit!.signature, { nowSec: Math.floor(Date.now() / 1000) })).toEqual({ ok: true });
    expect(verifySignature('another-secret-0123456789', hit!.body, hit!.signature, { nowSec: Math.floor(Date.now() / 1000) }).ok).toBe(false);
    // A receiver can check the whole body with the shared schema.
    const body = WebhookBody.parse(JSON.parse(hit!.body));
    const change = body.change;
    expect(change).toMatchObject({ email: 'pat@hooli.com', to: 'sales_ready' });
    expect(body.text).toMatch(/is now \*Sales-ready\*/);
    expect(body.text).toContain('pat@hooli.com');
    // Names come from web forms: no channel-wide ping.
    expect(body.text).not.toContain('<!channel>');
    expect(body.text).toContain('&lt;!channel&gt;');
    expect(hit!.attempt).toBe(1);
  });

  it('retries: a receiver failing twice still gets it, on the third attempt', async () => {
    await post(s.url, { events: salesReady(s.siteKey, 'wh-2', 'flaky@hooli.com') });
    await until(() => forLead('flaky@hooli.com', 'sales_ready').some((g) => g.status === 204));
    const hits = forLead('flaky@hooli.com', 'sales_ready');
    expect(hits.map((h) => [h.attempt, h.status])).toEqual([
      [1, 503],
      [2, 503],
      [3, 204],
    ]);
    // The same change each time, signed afresh.
    expect(new Set(hits.map((h) => h.body)).size).toBe(1);
    for (const h of hits) expect(verifySignature(SECRET, h.body, h.signature, { nowSec: Math.floor(Date.now() / 1000) }).ok).toBe(true);
    const metrics = await (await fetch(`${s.url}/metrics`, { headers: { authorization: `Bearer ${s.admin}` } })).text();
    expect(metrics).toMatch(/leadglow_webhooks_total\{result="delivered"\} [1-9]/);
  });

  it('never blocks ingest: a receiver that never answers does not hold the request', async () => {
    const t0 = Date.now();
    const r = await post(s.url, { events: salesReady(s.siteKey, 'wh-3', 'hang@hooli.com') });
    expect(r.status).toBe(200);
    expect(r.json.accepted).toBe(2);
    await until(() => forLead('hang@hooli.com').length > 0);
    // The receiver holds the delivery (60 s timeout); the request was answered long before.
    expect(Date.now() - t0).toBeLessThan(5000);
    const again = await post(s.url, { events: [ev(s.siteKey, 'wh-4', 'page_view', 100)] });
    expect(again.status).toBe(200);
  });
});

describe('webhook configuration', () => {
  it('refuses to start with a webhook URL and no secret', async () => {
    const dir = join(tmpdir(), `leadglow-never-${process.pid}-${Date.now()}`);
    await expect(startServer({ port: 0, dataDir: dir, webhook: { url: 'http://127.0.0.1:9/x', secret: '' } })).rejects.toThrow(/secret of at least 16/);
    await expect(startServer({ port: 0, dataDir: dir, webhook: { url: 'ftp://example.test/', secret: SECRET } })).rejects.toThrow(/http/);
    // Checked before the database is opened: nothing was created.
    expect(existsSync(dir)).toBe(false);
  });

  it('reads LEADGLOW_WEBHOOK_URL and LEADGLOW_WEBHOOK_SECRET', () => {
    expect(webhookFromEnv({})).toBeUndefined();
    expect(webhookFromEnv({ LEADGLOW_WEBHOOK_URL: ' https://hooks.slack.test/T/B/x ', LEADGLOW_WEBHOOK_SECRET: SECRET })).toEqual({ url: 'https://hooks.slack.test/T/B/x', secret: SECRET });
  });
});
