import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createFakeApi, serveFakeApi, visit } from './extension-fake-api.ts';
import type { LeadProfile } from '../../shared/index.ts';

// The server the Chromium run talks to: the real one (server/app.ts) when it exists, else
// the fake API (scores from the real engine). Both seed a lead and can make it sales-ready.

export type Backend = {
  kind: 'server' | 'fake';
  url: string;
  repToken: string;
  seedLead(profile: LeadProfile & { email: string }): Promise<void>;
  makeSalesReady(email: string): Promise<void>;
  /** Fake only: answer as a server that is down or has revoked the token. */
  setMode?(mode: 'ok' | 'down' | 'revoked'): void;
  close(): Promise<void>;
};

const DAY = 86_400_000;

export async function startBackend(): Promise<Backend> {
  if (existsSync(resolve('server/app.ts'))) return startRealServer();
  const api = createFakeApi();
  const served = await serveFakeApi(api);
  const ids = new Map<string, string>();
  return {
    kind: 'fake',
    url: served.url,
    repToken: api.token,
    async seedLead(profile) {
      const now = Date.now();
      ids.set(profile.email, api.addLead(profile, [
        ...visit('site-e2e', 's1', now - 3 * DAY, [{ path: '/product/tour', title: 'Product tour' }, { path: '/pricing', title: 'Pricing', engagedMs: 190_000 }, { download: 'whitepaper.pdf' }]),
        ...visit('site-e2e', 's2', now - DAY, [{ path: '/case-studies/acme', title: 'Case study: Acme', engagedMs: 75_000 }, { path: '/pricing', title: 'Pricing' }]),
      ]));
    },
    async makeSalesReady(email) {
      api.addEvents(ids.get(email)!, visit('site-e2e', 's3', Date.now() - 60_000, [{ form: 'demo-request' }]));
    },
    setMode: (mode) => void (api.state.mode = mode),
    close: served.close,
  };
}

// The real server's programmatic entry as announced: startServer({port, dataDir}) with
// createKey(); events go in through POST /v1/events with a site key.
async function startRealServer(): Promise<Backend> {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dataDir = mkdtempSync(resolve(tmpdir(), 'leadglow-ext-e2e-'));
  const mod = (await import(/* @vite-ignore */ resolve('server/app.ts'))) as {
    startServer(o: { port?: number; dataDir?: string; log?: boolean }): Promise<{ url: string; close(): Promise<void>; createKey(o: { role: 'site' | 'rep' | 'admin'; site?: string; origins?: string[] }): Promise<string> | string }>;
  };
  const server = await mod.startServer({ port: 0, dataDir, log: false });
  const site = 'site-e2e';
  const siteKey = await server.createKey({ role: 'site', site, origins: ['https://www.example-saas.com'] });
  const repToken = await server.createKey({ role: 'rep' });
  const anon = new Map<string, string>();
  async function send(events: unknown[]) {
    const res = await fetch(`${server.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${siteKey}`, origin: 'https://www.example-saas.com' },
      body: JSON.stringify({ events }),
    });
    if (!res.ok) throw new Error(`ingest ${res.status}: ${await res.text()}`);
  }
  return {
    kind: 'server',
    url: server.url,
    repToken,
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
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
