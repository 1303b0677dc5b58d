import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { StageChange } from '../../../shared/contracts/api.ts';
import { backoffMs, deliverWebhook, signBody, slackEscape, slackText, verifySignature } from '../../../server/outbound/webhook-send.ts';

const SECRET = 'whsec_test_0123456789';
// The receivers here listen on 127.0.0.1; outbound.test.ts checks that this is refused by default.
process.env.LEADGLOW_WEBHOOK_ALLOW_PRIVATE = '1';

describe('signBody', () => {
  it('matches an independent HMAC over "<t>.<body>"', () => {
    const body = '{"a":1}';
    const expected = createHmac('sha256', SECRET).update(`1700000000.${body}`).digest('hex');
    expect(signBody(SECRET, body, 1700000000)).toBe(`t=1700000000,v1=${expected}`);
  });

  it('changes with the body, the timestamp and the secret', () => {
    const a = signBody(SECRET, 'x', 1);
    expect(signBody(SECRET, 'y', 1)).not.toBe(a);
    expect(signBody(SECRET, 'x', 2).split(',')[1]).not.toBe(a.split(',')[1]);
    expect(signBody('other', 'x', 1)).not.toBe(a);
  });

  it('refuses a non-integer timestamp (milliseconds passed as a float, say)', () => {
    expect(() => signBody(SECRET, 'x', 1.5)).toThrow(/timestamp/);
  });
});

describe('verifySignature', () => {
  const body = '{"event":"stage"}';
  const header = signBody(SECRET, body, 1000);

  it('accepts its own signature within the tolerance', () => {
    expect(verifySignature(SECRET, body, header, { nowSec: 1200 })).toEqual({ ok: true });
    expect(verifySignature(SECRET, body, `t=1000, v1=${'0'.repeat(64)}, ${header.split(',')[1]}`, { nowSec: 1000 })).toEqual({ ok: true });
  });

  it('rejects a changed body, another secret, stale and malformed headers', () => {
    expect(verifySignature(SECRET, body + ' ', header, { nowSec: 1000 })).toEqual({ ok: false, error: 'mismatch' });
    expect(verifySignature('nope', body, header, { nowSec: 1000 })).toEqual({ ok: false, error: 'mismatch' });
    expect(verifySignature(SECRET, body, header, { nowSec: 1301 })).toEqual({ ok: false, error: 'stale' });
    expect(verifySignature(SECRET, body, header.replace('t=1000', 't=1001'), { nowSec: 1000 })).toEqual({ ok: false, error: 'mismatch' });
    expect(verifySignature(SECRET, body, 'v1=abc', { nowSec: 1000 })).toEqual({ ok: false, error: 'malformed' });
    expect(verifySignature(SECRET, body, 't=1000', { nowSec: 1000 })).toEqual({ ok: false, error: 'malformed' });
  });
});

describe('slackText', () => {
  const change: StageChange = {
    leadId: 'lead-1',
    email: 'jane@acme.example',
    name: 'Jane Doe',
    modelId: 'b2b-starter',
    from: 'mql',
    to: 'sales_ready',
    reason: { kind: 'hand-raise', rule: 'Requested a demo', evidence: { kind: 'submitted', form: 'demo-request' } },
    at: Date.UTC(2025, 0, 2, 3, 4, 5, 678),
  };

  it('says who, the new and old stage, why, the model and when', () => {
    expect(slackText(change)).toEqual({
      text: ':fire: *Jane Doe (jane@acme.example)* is now *Sales-ready* (was MQL)\nRequested a demo: submitted form demo-request · model b2b-starter · 2025-01-02T03:04:05Z',
    });
    expect(StageChange.safeParse(change).success).toBe(true);
  });

  it('falls back to the email, then the lead id, and links the name when given a URL', () => {
    expect(slackText({ ...change, name: undefined }).text).toMatch(/^:fire: \*jane@acme\.example\* is now/);
    expect(slackText({ ...change, name: undefined, email: undefined }).text).toMatch(/^:fire: \*lead-1\* is now/);
    expect(slackText({ ...change, to: 'known', from: 'anonymous' }).text).toMatch(/^\*Jane Doe \(jane@acme\.example\)\* is now \*Known\* \(was Anonymous\)/);
    expect(slackText(change, { leadUrl: 'https://lg.example/leads/lead-1?a=1|2' }).text).toMatch(
      /^:fire: \*<https:\/\/lg\.example\/leads\/lead-1\?a=1%7C2\|Jane Doe \(jane@acme\.example\)>\* is now/,
    );
  });

  it('escapes mrkdwn control characters from form input, so names cannot ping a channel', () => {
    const text = slackText({ ...change, name: '<!channel> Tom & <b>', reason: { kind: 'rejected', note: 'a > b' } }).text;
    expect(text).toContain('&lt;!channel&gt; Tom &amp; &lt;b&gt;');
    expect(text).toContain('rejected by sales: a &gt; b');
    expect(text).not.toMatch(/<!channel>/);
    expect(slackEscape('&amp;')).toBe('&amp;amp;');
  });
});

describe('backoffMs', () => {
  it('doubles per attempt with jitter between half and the full delay', () => {
    expect(backoffMs(1, 100, () => 0)).toBe(50);
    expect(backoffMs(1, 100, () => 0.999999)).toBe(100);
    expect(backoffMs(3, 100, () => 0)).toBe(200);
    expect(backoffMs(3, 100, () => 0.5)).toBe(300);
    expect(backoffMs(5, 100, () => 0.999999)).toBe(1600);
  });
});

// A real HTTP server on 127.0.0.1 that answers from a script, one status per request.
type Received = { headers: IncomingHttpHeaders; body: string };
let server: Server | undefined;

async function scriptedServer(statuses: (number | 'hang' | 'drop')[], extraHeaders: Record<string, string> = {}) {
  const received: Received[] = [];
  let i = 0;
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const step = statuses[Math.min(i++, statuses.length - 1)]!;
      if (step === 'hang') return; // never answers: the client's timeout must fire
      if (step === 'drop') return void req.socket.destroy();
      res.writeHead(step, { 'content-type': 'text/plain', ...extraHeaders });
      res.end(`status ${step}`);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, received };
}

afterEach(async () => {
  const s = server;
  server = undefined;
  if (s) {
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
});

function recorder() {
  const sleeps: number[] = [];
  return { sleeps, sleep: async (ms: number) => void sleeps.push(ms) };
}

describe('deliverWebhook', () => {
  const body = JSON.stringify({ type: 'stage', leadId: 'lead-1' });

  it('retries 5xx and 429, then succeeds, with growing delays and a valid signature on each attempt', async () => {
    const { url, received } = await scriptedServer([500, 503, 429, 200]);
    const { sleeps, sleep } = recorder();
    let clock = 1_700_000_000_000;
    const r = await deliverWebhook({ url, secret: SECRET, body, baseDelayMs: 100, sleep, random: () => 0, now: () => (clock += 1000) });
    expect(r).toMatchObject({ ok: true, attempts: 4, status: 200 });
    expect(r.log.map((a) => a.status)).toEqual([500, 503, 429, 200]);
    expect(sleeps).toEqual([50, 100, 200]);
    expect(received).toHaveLength(4);
    for (const [i, req] of received.entries()) {
      expect(req.body).toBe(body);
      expect(req.headers['content-type']).toBe('application/json');
      expect(req.headers['leadglow-attempt']).toBe(String(i + 1));
      const sig = req.headers['leadglow-signature'] as string;
      const t = Number(/t=(\d+)/.exec(sig)![1]);
      expect(verifySignature(SECRET, body, sig, { nowSec: t })).toEqual({ ok: true });
    }
    // Each attempt is signed afresh with the current time.
    const ts = received.map((q) => /t=(\d+)/.exec(q.headers['leadglow-signature'] as string)![1]);
    expect(new Set(ts).size).toBe(4);
  });

  it('does not retry other 4xx', async () => {
    const { url, received } = await scriptedServer([410, 200]);
    const { sleeps, sleep } = recorder();
    const r = await deliverWebhook({ url, secret: SECRET, body, baseDelayMs: 100, sleep });
    expect(r).toMatchObject({ ok: false, attempts: 1, status: 410, error: 'HTTP 410' });
    expect(received).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('gives up after maxAttempts and reports the last status', async () => {
    const { url, received } = await scriptedServer([502]);
    const { sleeps, sleep } = recorder();
    const r = await deliverWebhook({ url, secret: SECRET, body, maxAttempts: 3, baseDelayMs: 10, sleep, random: () => 0.5 });
    expect(r).toMatchObject({ ok: false, attempts: 3, status: 502, error: 'HTTP 502' });
    expect(received).toHaveLength(3);
    expect(sleeps).toEqual([8, 15]);
  });

  it('caps delays at maxDelayMs, including a longer Retry-After', async () => {
    const { url } = await scriptedServer([429, 429, 200], { 'retry-after': '7' });
    const { sleeps, sleep } = recorder();
    const r = await deliverWebhook({ url, secret: SECRET, body, baseDelayMs: 10, maxDelayMs: 5000, sleep, random: () => 0 });
    expect(r.ok).toBe(true);
    expect(sleeps).toEqual([5000, 5000]);
  });

  it('waits for Retry-After (seconds or an HTTP date) when it is longer than the backoff', async () => {
    const now = Date.UTC(2025, 0, 1);
    const { url } = await scriptedServer([503, 503, 200], { 'retry-after': new Date(now + 3000).toUTCString() });
    const { sleeps, sleep } = recorder();
    await deliverWebhook({ url, secret: SECRET, body, baseDelayMs: 10, sleep, random: () => 0, now: () => now });
    expect(sleeps).toEqual([3000, 3000]);
  });

  it('uses the backoff when Retry-After is shorter', async () => {
    const { url } = await scriptedServer([503, 200], { 'retry-after': '0' });
    const { sleeps, sleep } = recorder();
    await deliverWebhook({ url, secret: SECRET, body, baseDelayMs: 400, sleep, random: () => 0 });
    expect(sleeps).toEqual([200]);
  });

  it('retries network errors: connection refused, then a dropped connection, then success', async () => {
    const { url, received } = await scriptedServer(['drop', 200]);
    // A port nothing listens on: grab one, then close it.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const deadPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));

    const urls = [`http://127.0.0.1:${deadPort}/hook`, url, url];
    let call = 0;
    const { sleeps, sleep } = recorder();
    const r = await deliverWebhook({
      url,
      secret: SECRET,
      body,
      baseDelayMs: 10,
      sleep,
      random: () => 0,
      fetch: (_u, init) => fetch(urls[call++]!, init),
    });
    expect(r.ok).toBe(true);
    expect(r.attempts).toBe(3);
    expect(r.log[0]!.error).toBe('ECONNREFUSED');
    expect(r.log[0]!.status).toBeUndefined();
    expect(r.log[1]!.error).toBeTruthy();
    expect(r.log[2]!.status).toBe(200);
    expect(received).toHaveLength(2);
    expect(sleeps).toEqual([5, 10]);
  });

  it('times out a receiver that never answers and retries', async () => {
    const { url, received } = await scriptedServer(['hang', 204]);
    const { sleep } = recorder();
    const r = await deliverWebhook({ url, secret: SECRET, body, baseDelayMs: 1, timeoutMs: 150, sleep });
    expect(r).toMatchObject({ ok: true, attempts: 2, status: 204 });
    expect(r.log[0]!.error).toBe('timeout');
    expect(received).toHaveLength(2);
  });

  it('reports the network error when every attempt fails, without throwing', async () => {
    const r = await deliverWebhook({
      url: 'http://127.0.0.1:1/hook',
      secret: SECRET,
      body,
      maxAttempts: 2,
      baseDelayMs: 1,
      sleep: async () => {},
      fetch: async () => {
        throw new TypeError('fetch failed', { cause: { code: 'ENOTFOUND' } });
      },
    });
    expect(r).toEqual({ ok: false, attempts: 2, error: 'ENOTFOUND', log: [{ error: 'ENOTFOUND', delayMs: 1 }, { error: 'ENOTFOUND' }] });
  });

  it('lets callers add headers but not override the signature', async () => {
    const { url, received } = await scriptedServer([200]);
    await deliverWebhook({ url, secret: SECRET, body, headers: { 'X-Extra': '1', 'leadglow-signature': 'forged', 'Leadglow-Attempt': '9' } });
    expect(received[0]!.headers['x-extra']).toBe('1');
    expect(received[0]!.headers['leadglow-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(received[0]!.headers['leadglow-attempt']).toBe('1');
  });
});
