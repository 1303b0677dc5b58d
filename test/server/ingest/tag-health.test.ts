import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../shared/contracts/api.ts';
import { SiteTags } from '../../../shared/contracts/marketing.ts';
import { TagHealthList } from '../../../shared/contracts/tag-health.ts';
import { defaultModel } from '../../../shared/scoring/index.ts';
import { answer, BACKENDS, testServer, usePostgres, type TestServer } from '../harness.ts';

// The tags script's routes on both backends: GET /v1/tags names the script only when there are
// element tags, GET /v1/tags.js serves it (cached for good per version), and the health beacon
// (POST /v1/tags/health) feeds the admin's lost-tag report (GET /v1/tags/health): only served
// tags on their own pages count, and a tag's state keeps the time it began.

const pg = usePostgres();
const ID = defaultModel.id;
const ORIGIN = 'https://acme.test';
const SCRIPT = '(()=>{window.leadglowTagsTest=1})();\n';

describe.each(BACKENDS)('tag health and the tags script on %s', (backend) => {
  const dir = mkdtempSync(join(tmpdir(), 'leadglow-tags-routes-'));
  let s: TestServer;
  let pricing = '';
  let nav = '';
  const tags = async () => SiteTags.parse((await answer(await fetch(`${s.url}/v1/tags?site=${s.siteKey}`))).json);
  const beacon = (body: unknown, site = s.siteKey, origin = ORIGIN) =>
    fetch(`${s.url}/v1/tags/health?site=${site}`, { method: 'POST', headers: { 'content-type': 'text/plain', origin }, body: typeof body === 'string' ? body : JSON.stringify(body) }).then(answer);
  const report = async (token = s.admin) => answer(await fetch(`${s.url}/v1/tags/health`, { headers: { authorization: `Bearer ${token}` } }));
  const items = async () => TagHealthList.parse((await report()).json).items;
  const tag = async (body: object) => {
    const r = await answer(await fetch(`${s.url}/v1/models/${ID}/draft/tags`, { method: 'POST', headers: { authorization: `Bearer ${s.admin}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }));
    expect(r.status).toBe(200);
  };

  beforeAll(async () => {
    writeFileSync(join(dir, 'leadglow.js'), '(()=>{})();\n');
    writeFileSync(join(dir, 'leadglow-tags.js'), SCRIPT);
    s = await testServer(backend, pg, { sdkFile: join(dir, 'leadglow.js') });
  });
  afterAll(async () => {
    await s?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('names no script while the site has no element tags; one on its own server once it has', async () => {
    expect(await tags()).toEqual({ elements: [] });
    await tag({ target: 'element', selector: '#plans .demo', tag: 'demo', weight: 20, pattern: '/pricing', fingerprint: { tag: 'a', text: 'Book a demo', href: '/demo', index: 0 } });
    await tag({ target: 'element', selector: 'nav a.trial', tag: 'trial', weight: 10, pattern: '/*' });
    const t = await tags();
    expect(t.script).toMatch(/^\/v1\/tags\.js\?v=[\w-]{16}$/);
    expect(t.elements.map((e) => [e.selector, e.scope])).toEqual([['#plans .demo', '^/pricing$'], ['nav a.trial', undefined]]);
    pricing = t.elements[0]!.id!;
    nav = t.elements[1]!.id!;
    expect(pricing).toMatch(/^[a-z0-9]+$/);
    expect(nav).not.toBe(pricing);
  });

  it('serves the tags script: for a year under its current version, five minutes otherwise, 304 on its ETag, CORS for any page', async () => {
    const path = (await tags()).script!;
    const r = await fetch(`${s.url}${path}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(r.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
    expect(await r.text()).toBe(SCRIPT);
    const old = await fetch(`${s.url}/v1/tags.js?v=old`);
    expect(old.headers.get('cache-control')).toBe('public, max-age=300');
    expect((await fetch(`${s.url}${path}`, { headers: { 'if-none-match': r.headers.get('etag')! } })).status).toBe(304);
  });

  it('refuses bad beacons with the reason, and accepts nothing from them', async () => {
    const good = { pages: [{ path: '/pricing', found: { [pricing]: 's' } }] };
    expect((await beacon(good, 'nope')).status).toBe(404);
    const foreign = await beacon(good, s.siteKey, 'https://evil.test');
    expect(foreign.status).toBe(403);
    expect(ApiError.parse(foreign.json).error).toMatch(/evil\.test/);
    const bad = await beacon({ pages: [{ path: 'pricing', found: { [pricing]: 'yes' } }] });
    expect(bad.status).toBe(400);
    expect(ApiError.parse(bad.json).details!.join('\n')).toMatch(/pages\.0\.path|pages\[0\]\.path/);
    expect((await beacon('{not json')).status).toBe(400);
    expect(await items()).toEqual([]);
  });

  it('asks for an admin token for the report', async () => {
    expect((await answer(await fetch(`${s.url}/v1/tags/health`))).status).toBe(401);
    expect((await report(s.rep)).status).toBe(403);
  });

  it('sums reports per tag and path: unknown tags and pages outside a tag\'s scope are dropped; lost since the first report that missed it', async () => {
    const t0 = Date.now();
    expect((await beacon({ pages: [{ path: '/Pricing', found: { [pricing]: 's', [nav]: 's', ghost: 'n' } }, { path: '/about', found: { [pricing]: 'n', [nav]: 's' } }] })).status).toBe(204);
    let list = await items();
    expect(list.map((i) => [i.tag, i.path, i.state])).toEqual([['trial', '/about', 'ok'], ['demo', '/pricing', 'ok'], ['trial', '/pricing', 'ok']]);
    const okSince = list.find((i) => i.tag === 'demo')!.since;
    expect(okSince).toBeGreaterThanOrEqual(t0);

    // The deploy: the selector stops matching; the fingerprint finds it, then nothing does.
    const t1 = Date.now();
    await beacon({ pages: [{ path: '/pricing', found: { [pricing]: 'f' } }] });
    await beacon({ pages: [{ path: '/pricing', found: { [pricing]: 'n' } }] });
    const lostAt = (await items()).find((i) => i.tag === 'demo')!;
    expect(lostAt).toMatchObject({ state: 'lost', selector: '#plans .demo', views: { selector: 1, fingerprint: 1, none: 1 } });
    expect(lostAt.since).toBeGreaterThanOrEqual(t1);
    await beacon({ pages: [{ path: '/pricing', found: { [pricing]: 'n' } }] });
    list = await items();
    expect(list[0]).toMatchObject({ tag: 'demo', state: 'lost', since: lostAt.since, views: { none: 2 } });
    expect(list[0]!.lastSeen).toBeGreaterThanOrEqual(lostAt.since);

    // Found by its selector again: ok from then on.
    await beacon({ pages: [{ path: '/pricing', found: { [pricing]: 's' } }] });
    const back = (await items()).find((i) => i.tag === 'demo')!;
    expect(back.state).toBe('ok');
    expect(back.since).toBeGreaterThanOrEqual(lostAt.since);
    expect(back.views).toEqual({ selector: 2, fingerprint: 1, none: 2 });
  });

  it('keeps at most 50 paths per tag, however many a forged beacon names', async () => {
    for (let b = 0; b < 3; b++) {
      const pages = Array.from({ length: 20 }, (_, i) => ({ path: `/forged/${b}-${i}`, found: { [nav]: 'n' as const } }));
      expect((await beacon({ pages })).status).toBe(204);
    }
    expect((await items()).filter((i) => i.tag === 'trial').length).toBe(50);
  });

  it('a tag removed from the models leaves the report', async () => {
    const r = await answer(await fetch(`${s.url}/v1/models/${ID}/draft`, { method: 'DELETE', headers: { authorization: `Bearer ${s.admin}` } }));
    expect(r.status).toBe(200);
    expect(await tags()).toEqual({ elements: [] });
    expect(await items()).toEqual([]);
  });
});
