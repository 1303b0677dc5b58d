import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createSecureContext, createServer as createTlsServer } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { allowPrivateFromEnv, checkOutboundTarget, isPrivateAddress, pinnedFetch } from '../../../server/outbound/pinned-fetch.ts';
import { deliverWebhook } from '../../../server/outbound/webhook-send.ts';

// Issue 18, finding 5: webhooks followed redirects, also to loopback, with the signature header.
// Now private and loopback targets are refused unless the operator allows them, and no redirect
// is followed.

const SECRET = 'whsec_test_0123456789';
const servers: Array<{ close(done: () => void): unknown }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
});

type Hit = { url: string; headers: IncomingHttpHeaders };
async function receiver(answer: (hits: Hit[]) => { status: number; headers?: Record<string, string> }): Promise<{ url: string; hits: Hit[] }> {
  const hits: Hit[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      hits.push({ url: req.url ?? '', headers: req.headers });
      const a = answer(hits);
      res.writeHead(a.status, a.headers ?? {}).end();
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, hits };
}

describe('isPrivateAddress', () => {
  it('refuses loopback, private, link-local and mapped addresses; allows public ones', () => {
    for (const a of ['127.0.0.1', '127.1.2.3', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '64:ff9b::a00:1', 'not-an-ip']) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
    for (const a of ['93.184.215.14', '8.8.8.8', '172.32.0.1', '2a00:1450:4001:80b::200e', '::ffff:8.8.8.8']) expect(isPrivateAddress(a), a).toBe(false);
  });
});

describe('checkOutboundTarget', () => {
  const resolveTo = (addresses: string[]) => async () => addresses;
  it('checks every address a name resolves to', async () => {
    expect(await checkOutboundTarget('https://hooks.example.com/x', { allowPrivate: false, resolve: resolveTo(['93.184.215.14']) })).toEqual({ ok: true, addresses: ['93.184.215.14'] });
    const mixed = await checkOutboundTarget('https://hooks.example.com/x', { allowPrivate: false, resolve: resolveTo(['93.184.215.14', '10.0.0.7']) });
    expect(mixed).toEqual({ ok: false, error: expect.stringMatching(/hooks\.example\.com.*private or loopback.*10\.0\.0\.7.*LEADGLOW_WEBHOOK_ALLOW_PRIVATE/) });
    expect((await checkOutboundTarget('http://169.254.169.254/latest/meta-data', { allowPrivate: false })).ok).toBe(false);
    expect((await checkOutboundTarget('http://[::1]:8080/', { allowPrivate: false })).ok).toBe(false);
    expect((await checkOutboundTarget('http://localhost:8080/', { allowPrivate: false })).ok).toBe(false);
    expect((await checkOutboundTarget('file:///etc/passwd', { allowPrivate: true })).ok).toBe(false);
    expect((await checkOutboundTarget('http://127.0.0.1:9/', { allowPrivate: true })).ok).toBe(true);
  });

  it('reads the operator switch from the environment', () => {
    expect(allowPrivateFromEnv({})).toBe(false);
    expect(allowPrivateFromEnv({ LEADGLOW_WEBHOOK_ALLOW_PRIVATE: '1' })).toBe(true);
    expect(allowPrivateFromEnv({ LEADGLOW_WEBHOOK_ALLOW_PRIVATE: 'TRUE' })).toBe(true);
    expect(allowPrivateFromEnv({ LEADGLOW_WEBHOOK_ALLOW_PRIVATE: '0' })).toBe(false);
  });
});

describe('webhook delivery targets', () => {
  it('does not send to a loopback receiver unless allowed', async () => {
    const rx = await receiver(() => ({ status: 200 }));
    const refused = await deliverWebhook({ url: rx.url, secret: SECRET, body: '{}', allowPrivate: false, sleep: async () => {} });
    expect(refused).toMatchObject({ ok: false, attempts: 1, error: expect.stringMatching(/private or loopback/) });
    expect(rx.hits).toHaveLength(0);
    const allowed = await deliverWebhook({ url: rx.url, secret: SECRET, body: '{}', allowPrivate: true, sleep: async () => {} });
    expect(allowed.ok).toBe(true);
    expect(rx.hits).toHaveLength(1);
  });

  it('does not follow a redirect, so the signed request goes nowhere else', async () => {
    const inside = await receiver(() => ({ status: 200 }));
    const outside = await receiver(() => ({ status: 307, headers: { location: inside.url } }));
    const r = await deliverWebhook({ url: outside.url, secret: SECRET, body: '{"x":1}', allowPrivate: true, sleep: async () => {} });
    expect(r).toMatchObject({ ok: false, attempts: 1, status: 307, error: expect.stringMatching(/redirects are not followed/) });
    expect(outside.hits).toHaveLength(1);
    expect(outside.hits[0]!.headers['leadglow-signature']).toMatch(/^t=\d+,v1=/);
    expect(inside.hits).toHaveLength(0);
  });
});

// DNS rebinding: the name answers a public address to the check and 127.0.0.1 to the
// connection. The request must connect where the check looked, not resolve again.
describe('DNS rebinding', () => {
  const PUBLIC = '192.0.2.1'; // TEST-NET-1: public to the check, routed nowhere
  const rebinding = () => {
    const calls: string[] = [];
    const resolve = async (host: string) => {
      calls.push(host);
      return calls.length === 1 ? [PUBLIC] : ['127.0.0.1'];
    };
    return { calls, resolve };
  };
  const nameFor = (url: string) => url.replace('127.0.0.1', 'hooks.rebind.test');

  it('an unpinned request with this resolver does reach loopback (the attack the pin stops)', async () => {
    const rx = await receiver(() => ({ status: 200 }));
    const dns = rebinding();
    expect(await checkOutboundTarget(nameFor(rx.url), { allowPrivate: false, resolve: dns.resolve })).toEqual({ ok: true, addresses: [PUBLIC] });
    const res = await pinnedFetch(undefined, dns.resolve)(nameFor(rx.url), { method: 'POST', headers: {}, body: '{}' });
    expect(res.status).toBe(200);
    expect(rx.hits).toHaveLength(1);
    expect(dns.calls).toHaveLength(2);
  });

  it('webhook delivery connects to the checked address and never resolves again', async () => {
    const rx = await receiver(() => ({ status: 200 }));
    const dns = rebinding();
    const r = await deliverWebhook({ url: nameFor(rx.url), secret: SECRET, body: '{}', allowPrivate: false, resolve: dns.resolve, maxAttempts: 1, timeoutMs: 3000, sleep: async () => {} });
    expect(r.ok).toBe(false);
    expect(r.status).toBeUndefined(); // no answer: 192.0.2.1 is unreachable, and loopback was never tried
    expect(dns.calls).toEqual(['hooks.rebind.test']);
    expect(rx.hits).toHaveLength(0);
  });

  it('a pinned request keeps the name as the Host header', async () => {
    const rx = await receiver(() => ({ status: 204 }));
    const port = new URL(rx.url).port;
    const res = await pinnedFetch(['127.0.0.1'])(nameFor(rx.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(res.status).toBe(204);
    expect(rx.hits[0]!.headers.host).toBe(`hooks.rebind.test:${port}`);
  });

  it('a pinned HTTPS request sends the name as SNI and checks the certificate against it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-sni-'));
    try {
      // A self-signed certificate for another name: the client must refuse it after sending SNI.
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=other.test', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
      const names: string[] = [];
      const context = createSecureContext({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) });
      const tls = createTlsServer({
        SNICallback: (servername, cb) => {
          names.push(servername);
          cb(null, context);
        },
      });
      tls.on('tlsClientError', () => undefined);
      servers.push(tls);
      await new Promise<void>((r) => tls.listen(0, '127.0.0.1', r));
      const port = (tls.address() as AddressInfo).port;
      const err = await pinnedFetch(['127.0.0.1'])(`https://hooks.rebind.test:${port}/x`, { method: 'POST', headers: {}, body: '{}' }).then(
        () => undefined,
        (e: unknown) => e as { code?: string },
      );
      expect(names).toEqual(['hooks.rebind.test']);
      // Self-signed: refused, so the pinned socket still verifies the certificate.
      expect(err?.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
