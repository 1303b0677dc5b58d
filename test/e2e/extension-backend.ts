import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { visit } from '../extension/fake-api.ts';
import { B2B_STARTER, type LeadProfile } from '../../shared/index.ts';

// The server the Chromium run talks to: the real one, seeded through POST /v1/events.

export type Backend = {
  url: string;
  repToken: string;
  /** For the dashboard's screenshots. */
  adminToken: string;
  seedLead(profile: LeadProfile & { email: string }): Promise<void>;
  makeSalesReady(email: string): Promise<void>;
  /** Answer as a server that is down or has revoked the token. */
  setMode(mode: 'ok' | 'down' | 'revoked'): void;
  close(): Promise<void>;
};

const DAY = 86_400_000;

/** The real server (on a temporary SQLite folder) behind a proxy that can play failures. */
export function startBackend(): Promise<Backend> {
  return startRealServer();
}

// The real server's programmatic entry as announced: startServer({port, dataDir}) with
// createKey(); events go in through POST /v1/events with a site key.
async function startRealServer(): Promise<Backend> {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dataDir = mkdtempSync(resolve(tmpdir(), 'leadglow-ext-e2e-'));
  const mod = (await import(/* @vite-ignore */ resolve('server/http/app.ts'))) as {
    startServer(o: { port?: number; dataDir?: string; log?: boolean }): Promise<{ url: string; close(): Promise<void>; createKey(o: { role: 'site' | 'rep' | 'admin'; site?: string; origins?: string[] }): Promise<string> | string }>;
  };
  const server = await mod.startServer({ port: 0, dataDir, log: false });
  const site = 'site-e2e';
  const siteKey = await server.createKey({ role: 'site', site, origins: ['https://www.example-saas.com'] });
  const repToken = await server.createKey({ role: 'rep' });
  // The rep's workspace is the model's own domain: colleagues on the page are not leads.
  const adminToken = await server.createKey({ role: 'admin' });
  const published = await fetch(`${server.url}/v1/models`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({ ...B2B_STARTER, version: 2, ownDomains: ['leadglow-demo.com'] }),
  });
  if (!published.ok) throw new Error(`publishing the e2e model: ${published.status} ${await published.text()}`);
  const anon = new Map<string, string>();
  async function send(events: unknown[]) {
    const res = await fetch(`${server.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${siteKey}`, origin: 'https://www.example-saas.com' },
      body: JSON.stringify({ events }),
    });
    if (!res.ok) throw new Error(`ingest ${res.status}: ${await res.text()}`);
  }
  const proxy = await failureProxy(server.url);
  return {
    url: proxy.url,
    repToken,
    adminToken,
    setMode: proxy.setMode,
    async seedLead(profile) {
      const now = Date.now();
      const anonymousId = randomUUID();
      anon.set(profile.email, anonymousId);
      const events = [
        ...visit(site, 's1', now - 3 * DAY, [{ path: '/product/tour', title: 'Product tour' }, { path: '/pricing', title: 'Pricing', engagedMs: 190_000 }, { download: 'whitepaper.pdf' }]),
        ...visit(site, 's2', now - DAY, [{ path: '/case-studies/acme', title: 'Case study: Acme', engagedMs: 75_000 }, { path: '/pricing', title: 'Pricing' }]),
      ].map((e) => ({ ...e, anonymousId, site: siteKey }));
      const identify = { id: randomUUID(), type: 'identify', ts: now - DAY + 60_000, site: siteKey, anonymousId, sessionId: 's2', url: 'https://www.example-saas.com/contact', source: 'form', traits: { email: profile.email, name: profile.name, company: profile.company?.name, jobTitle: profile.jobTitle } };
      await send([...events, identify]);
    },
    async makeSalesReady(email) {
      const anonymousId = anon.get(email)!;
      await send(visit(site, 's3', Date.now() - 60_000, [{ form: 'demo-request' }]).map((e) => ({ ...e, anonymousId, site: siteKey })));
    },
    async close() {
      await proxy.close();
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A pass-through proxy in front of the real server that can play a server that is down
 * (connections dropped) or a revoked token (401 on every call), so the panel's failure
 * states are shown against the real API rather than a fake.
 */
async function failureProxy(target: string): Promise<{ url: string; setMode(mode: 'ok' | 'down' | 'revoked'): void; close(): Promise<void> }> {
  const { createServer, request } = await import('node:http');
  const upstream = new URL(target);
  let mode: 'ok' | 'down' | 'revoked' = 'ok';
  const proxy = createServer((req, res) => {
    if (mode === 'down') return void req.socket.destroy();
    if (mode === 'revoked') {
      res.writeHead(401, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
      return void res.end(JSON.stringify({ error: 'token revoked' }));
    }
    const forward = request(
      { hostname: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((ok) => proxy.listen(0, '127.0.0.1', ok));
  const { port } = proxy.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    setMode: (m) => void (mode = m),
    close: () => new Promise<void>((ok) => { proxy.closeAllConnections(); proxy.close(() => ok()); }),
  };
}
