import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InspectReport, KnownPages } from '../../../shared/contracts/inspect.ts';
import { answer, ev, get, post, testServer, type TestServer } from '../harness.ts';

// The dashboard's page check over real HTTP: POST /v1/inspect fetches a page through the
// outbound rules (server/outbound/page-fetch.ts) and answers what `leadglow inspect` prints. Pages are
// real corpus forms (test/fixtures/pages/forms, provenance in its README) served on loopback,
// which only the operator's own site origins may use here: private targets are off.

const FORMS = join(process.cwd(), 'test/fixtures/pages/forms');

let s: TestServer;
let site: Server;
let origin: string;
let hang: Server;
let hangOrigin: string;
/** The Host header of every request the customer's site got. */
const hosts: string[] = [];
let siteKey: string;

function listen(server: Server): Promise<string> {
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

const inspect = async (body: unknown, token = s.admin) =>
  answer(await fetch(`${s.url}/v1/inspect`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) }));

beforeAll(async () => {
  // The customer's site: a Dutch quote form, a redirect into the network, a PDF and a huge page.
  site = createServer((req, res) => {
    hosts.push(req.headers.host ?? '');
    if (req.url === '/offerte-aanvragen/') return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(readFileSync(join(FORMS, 'nl-sterkado-zoho-offerte.html')));
    if (req.url === '/request-a-demo/') return void res.writeHead(301, { location: '/offerte-aanvragen/' }).end();
    if (req.url === '/escape') return void res.writeHead(302, { location: `${hangOrigin}/` }).end();
    if (req.url === '/brochure.pdf') return void res.writeHead(200, { 'content-type': 'application/pdf' }).end('%PDF-1.4');
    if (req.url === '/huge') return void res.writeHead(200, { 'content-type': 'text/html' }).end(`<html><body>${'<p>x</p>'.repeat(200_000)}</body></html>`);
    res.writeHead(404, { 'content-type': 'text/html' }).end('gone');
  });
  origin = await listen(site);
  // Another loopback service, not the customer's: it never answers.
  hang = createServer(() => undefined);
  hangOrigin = await listen(hang);
  s = await testServer('sqlite', undefined, {
    inspect: {
      allowPrivate: false,
      timeoutMs: 1_500,
      maxBytes: 1_000_000,
      // rebind.test answers a public address for the check, then loopback when connecting.
      resolve: (() => {
        let n = 0;
        return async (host: string) => (host === 'rebind.test' ? (n++ === 0 ? ['93.184.216.34'] : ['127.0.0.1']) : ['127.0.0.1']);
      })(),
    },
  });
  siteKey = await s.createKey({ role: 'site', site: 'sterkado', origins: [origin] });
});
afterAll(async () => {
  await s?.cleanup();
  hang?.closeAllConnections();
  await new Promise((ok) => hang?.close(ok));
  await new Promise((ok) => site?.close(ok));
});

describe('POST /v1/inspect', () => {
  it("checks a page of the customer's own site (a site key's origin, even on loopback): forms with fields, intent, signal and hand-raise", async () => {
    const r = await inspect({ url: `${origin}/offerte-aanvragen/` });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    const report = InspectReport.parse(r.json);
    expect(report.url).toBe(`${origin}/offerte-aanvragen/`);
    expect(report.forms).toHaveLength(1);
    expect(report.forms[0]).toMatchObject({ id: 'algemeen', intent: 'quote', handRaise: true, signal: { source: 'button', text: 'Vraag een vrijblijvende offerte aan' } });
    expect(report.forms[0]!.fields).toEqual(expect.arrayContaining(['Email', 'Name_First', 'MultiLine']));
    expect(report.downloads).toEqual([]);
  });

  it('follows a redirect on the same site, and reports the address it landed on', async () => {
    const r = await inspect({ url: `${origin}/request-a-demo/` });
    expect(r.status).toBe(200);
    expect(InspectReport.parse(r.json).url).toBe(`${origin}/offerte-aanvragen/`);
  });

  it('refuses loopback and private targets that are not the customer’s site, with a clear error', async () => {
    for (const url of [`${hangOrigin}/`, 'http://169.254.169.254/latest/meta-data/', 'http://[::1]:9/', 'http://10.0.0.8/admin']) {
      const r = await inspect({ url });
      expect(r.status, url).toBe(422);
      expect(r.json.error).toBe('could not check the page');
      expect(r.json.details[0], url).toMatch(/^url: .*private or loopback address.*LEADGLOW_WEBHOOK_ALLOW_PRIVATE/);
    }
    // A redirect from the customer's site into the network is refused at the hop.
    const escape = await inspect({ url: `${origin}/escape` });
    expect(escape.status).toBe(422);
    expect(escape.json.details[0]).toContain(`url: ${hangOrigin}/: refused 127.0.0.1`);
    // A name that resolves to a public address for the check and to loopback when connecting:
    // the socket goes to the checked public address (pinned), never to the page on loopback.
    const port = new URL(origin).port;
    const rebind = await inspect({ url: `http://rebind.test:${port}/offerte-aanvragen/` });
    expect(rebind.status).toBe(422);
    expect(rebind.json.details[0]).toMatch(/^url: http:\/\/rebind\.test:\d+\/offerte-aanvragen\/: /);
    expect(hosts.filter((h) => h.startsWith('rebind.test'))).toEqual([]);
  });

  it('unreachable, slow, wrong and oversized pages: 422 naming the URL and the cause', async () => {
    await s.createKey({ role: 'site', site: 'slow', origins: [hangOrigin] });
    const slow = await inspect({ url: `${hangOrigin}/pricing` });
    expect(slow.status).toBe(422);
    expect(slow.json.details).toEqual([`url: ${hangOrigin}/pricing: no answer within 1500 ms`]);
    const closed = createServer();
    const closedOrigin = await listen(closed);
    await new Promise((ok) => closed.close(ok));
    await s.createKey({ role: 'site', site: 'closed', origins: [closedOrigin] });
    const refused = await inspect({ url: `${closedOrigin}/` });
    expect(refused.json.details).toEqual([`url: ${closedOrigin}/: the connection was refused`]);
    expect((await inspect({ url: `${origin}/missing` })).json.details).toEqual([`url: ${origin}/missing: the site answered HTTP 404`]);
    expect((await inspect({ url: `${origin}/brochure.pdf` })).json.details).toEqual([`url: ${origin}/brochure.pdf: not an HTML page (application/pdf)`]);
    expect((await inspect({ url: `${origin}/huge` })).json.details).toEqual([`url: ${origin}/huge: the page is larger than 1000000 bytes`]);
  });

  it('bad requests: 400 naming the field; a rep token is refused', async () => {
    const ftp = await inspect({ url: 'ftp://files.example.com/x' });
    expect(ftp.status).toBe(400);
    expect(ftp.json.details).toEqual(['url: expected an http(s) URL such as https://www.example.com/pricing']);
    const extra = await inspect({ url: `${origin}/`, follow: true });
    expect(extra.status).toBe(400);
    expect(extra.json.details.join()).toContain('follow');
    const model = await inspect({ url: `${origin}/offerte-aanvragen/`, model: 'nope' });
    expect(model.json.details).toEqual(['model: no live model "nope"']);
    expect((await inspect({ url: `${origin}/offerte-aanvragen/` }, s.rep)).status).toBe(403);
  });
});

describe('GET /v1/inspect/pages', () => {
  it("lists the pages the snippet reported on the customer's origins, most viewed first", async () => {
    const views = [
      ev(siteKey, 'a1', 'page_view', 3000, { url: `${origin}/offerte-aanvragen/?utm_source=x` }),
      ev(siteKey, 'a1', 'page_view', 2000, { url: `${origin}/offerte-aanvragen/` }),
      ev(siteKey, 'a2', 'page_view', 1000, { url: `${origin}/over-ons` }),
    ];
    expect((await post(s.url, { events: views }, { origin })).status).toBe(200);
    const r = await get(s.url, s.admin, '/v1/inspect/pages?limit=10');
    expect(r.status).toBe(200);
    expect(KnownPages.parse(r.json).pages).toEqual([
      { url: `${origin}/offerte-aanvragen/`, views: 2 },
      { url: `${origin}/over-ons`, views: 1 },
    ]);
    expect((await get(s.url, s.admin, '/v1/inspect/pages?limit=0')).status).toBe(400);
  });
});
