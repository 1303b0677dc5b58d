import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelList, PublishAnswer } from '../../../shared/contracts/admin.ts';
import { ApiError, LeadView } from '../../../shared/contracts/api.ts';
import { DraftAnswer, PageMatches, SiteTags, Versions } from '../../../shared/contracts/marketing.ts';
import { Model } from '../../../shared/contracts/model.ts';
import { defaultModel } from '../../../shared/scoring/index.ts';
import { answer, BACKENDS, ev, get, post, testServer, usePostgres, type TestServer } from '../harness.ts';

// The marketer's routes on both backends: who may call them, validation at the field, and the
// path a tag takes: draft -> tag -> publish -> a click on the element raises interest.

const pg = usePostgres();
const ID = defaultModel.id;

async function call(s: TestServer, method: string, path: string, token: string | undefined, body?: unknown) {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  return answer(await fetch(`${s.url}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) }));
}

async function interestOf(s: TestServer, email: string): Promise<number> {
  const r = await get(s.url, s.rep, `/v1/leads?email=${encodeURIComponent(email)}`);
  expect(r.status).toBe(200);
  return LeadView.parse(r.json).lead.scores.find((x) => x.modelId === ID)!.interest.score;
}

describe.each(BACKENDS)('marketing routes on %s', (backend) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer(backend, pg);
  });
  afterAll(async () => {
    await s?.cleanup();
  });

  it('asks for an admin token on every route but /v1/tags', async () => {
    const routes: [string, string, unknown?][] = [
      ['GET', `/v1/models/${ID}/draft`],
      ['PUT', `/v1/models/${ID}/draft`, defaultModel],
      ['DELETE', `/v1/models/${ID}/draft`],
      ['POST', `/v1/models/${ID}/draft/tags`, { target: 'page', pattern: '/x', tag: 'x', weight: 1 }],
      ['POST', `/v1/models/${ID}/draft/publish`, {}],
      ['POST', `/v1/models/${ID}/rollback`, { version: 1 }],
      ['GET', `/v1/models/${ID}/versions`],
      ['GET', '/v1/pages?pattern=/x'],
    ];
    for (const [method, path, body] of routes) {
      expect((await call(s, method, path, undefined, body)).status, `${method} ${path}`).toBe(401);
      expect((await call(s, method, path, 'lga_not-a-real-token', body)).status, `${method} ${path}`).toBe(401);
      const rep = await call(s, method, path, s.rep, body);
      expect(rep.status, `${method} ${path}`).toBe(403);
      expect(ApiError.parse(rep.json).error).toMatch(/admin/);
    }
    expect((await call(s, 'GET', `/v1/models/${ID}/versions`, s.admin)).status).toBe(200);
    expect((await call(s, 'GET', `/v1/tags?site=${s.siteKey}`, undefined)).status).toBe(200);
  });

  it('refuses an invalid draft with every problem at its field, and a draft for another model', async () => {
    const bad = { ...defaultModel, halfLifeDays: -1, interestRules: [{ ...defaultModel.interestRules[0]!, points: 'ten' }, ...defaultModel.interestRules.slice(1)] };
    const r = await call(s, 'PUT', `/v1/models/${ID}/draft`, s.admin, bad);
    expect(r.status).toBe(400);
    const details = ApiError.parse(r.json).details!;
    expect(details.some((d) => d.startsWith('interestRules.0.points: '))).toBe(true);
    expect(details.some((d) => d.startsWith('halfLifeDays: '))).toBe(true);
    const other = await call(s, 'PUT', `/v1/models/${ID}/draft`, s.admin, { ...defaultModel, id: 'other-model' });
    expect(other.status).toBe(400);
    expect(other.json.details).toEqual([`id: expected "${ID}", the model in the URL`]);
    expect((await call(s, 'GET', `/v1/models/${ID}/draft`, s.admin)).status).toBe(404);
  });

  it('keeps one draft per model at the version after the live one', async () => {
    const put = await call(s, 'PUT', `/v1/models/${ID}/draft`, s.admin, { ...defaultModel, halfLifeDays: 20, version: 99 });
    expect(put.status).toBe(200);
    expect(DraftAnswer.parse(put.json)).toEqual({ id: ID, version: 2 });
    const again = await call(s, 'PUT', `/v1/models/${ID}/draft`, s.admin, { ...defaultModel, halfLifeDays: 25 });
    expect(again.json).toEqual({ id: ID, version: 2 });
    const draft = Model.parse((await call(s, 'GET', `/v1/models/${ID}/draft`, s.admin)).json);
    expect(draft).toMatchObject({ version: 2, halfLifeDays: 25 });
    const list = ModelList.parse((await get(s.url, s.admin, '/v1/models')).json);
    expect(list.items.filter((m) => m.id === ID).map((m) => [m.version, m.status])).toEqual([
      [2, 'draft'],
      [1, 'live'],
    ]);
    expect((await call(s, 'DELETE', `/v1/models/${ID}/draft`, s.admin)).json).toEqual({ ok: true });
    expect((await call(s, 'GET', `/v1/models/${ID}/draft`, s.admin)).status).toBe(404);
  });

  it('tags an element on a draft made from the live version; tagging it again replaces the rule', async () => {
    const bad = await call(s, 'POST', `/v1/models/${ID}/draft/tags`, s.admin, { target: 'element', selector: '#book', tag: 'demo!', weight: 0 });
    expect(bad.status).toBe(400);
    expect(bad.json.details.map((d: string) => d.split(':')[0]).sort()).toEqual(['tag', 'weight']);
    expect((await call(s, 'POST', '/v1/models/no-such-model/draft/tags', s.admin, { target: 'page', pattern: '/x', tag: 'x', weight: 5 })).status).toBe(404);

    const first = await call(s, 'POST', `/v1/models/${ID}/draft/tags`, s.admin, { target: 'element', selector: '#book-demo', tag: 'demo', weight: 10, text: 'Book a demo' });
    expect(first.status).toBe(200);
    const again = await call(s, 'POST', `/v1/models/${ID}/draft/tags`, s.admin, { target: 'element', selector: '#book-demo', tag: 'demo', weight: 12, text: 'Book a demo' });
    const draft = Model.parse(again.json);
    expect(draft.version).toBe(2);
    const rules = draft.interestRules.filter((r) => r.when.selector === '#book-demo');
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ label: 'Clicked "Book a demo" (demo)', points: 12, repeat: 'once', when: { types: ['click'], selector: '#book-demo' } });
    // The rest of the live model is untouched.
    expect(draft.interestRules).toHaveLength(defaultModel.interestRules.length + 1);
  });

  it('serves the live and draft selectors to the SDK, for the key\'s origins, cached for a minute', async () => {
    const r = await fetch(`${s.url}/v1/tags?site=${s.siteKey}`, { headers: { origin: 'https://acme.test' } });
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('max-age=60');
    expect(r.headers.get('access-control-allow-origin')).toBe('https://acme.test');
    expect(SiteTags.parse(await r.json()).elements).toContainEqual(expect.objectContaining({ selector: '#book-demo', tag: 'demo' }));
    const foreign = await fetch(`${s.url}/v1/tags?site=${s.siteKey}`, { headers: { origin: 'https://evil.test' } });
    expect(foreign.status).toBe(403);
    expect((await fetch(`${s.url}/v1/tags?site=lgs_unknown-key-123`)).status).toBe(404);
    expect((await fetch(`${s.url}/v1/tags?site=${s.rep}`)).status).toBe(404);
    expect((await fetch(`${s.url}/v1/tags`)).status).toBe(400);
    // A new tag on the draft is served at once, not after the server's short cache.
    const tags = async () => SiteTags.parse(await (await fetch(`${s.url}/v1/tags?site=${s.siteKey}`)).json()).elements;
    await call(s, 'POST', `/v1/models/${ID}/draft/tags`, s.admin, { target: 'element', selector: '#book-demo', tag: 'book', weight: 12, text: 'Book a demo' });
    expect(await tags()).toContainEqual(expect.objectContaining({ selector: '#book-demo', tag: 'book' }));
    await call(s, 'POST', `/v1/models/${ID}/draft/tags`, s.admin, { target: 'element', selector: '#book-demo', tag: 'demo', weight: 12, text: 'Book a demo' });
    expect(await tags()).toContainEqual(expect.objectContaining({ selector: '#book-demo', tag: 'demo' }));
  });

  it('publishes the draft; a click on the tagged element then raises interest by its weight', async () => {
    await post(s.url, { events: [ev(s.siteKey, 'clicker', 'identify', 5000, { traits: { email: 'cleo@bigco.com', name: 'Cleo' }, source: 'form' })] });
    const before = await interestOf(s, 'cleo@bigco.com');

    const pub = await call(s, 'POST', `/v1/models/${ID}/draft/publish`, s.admin, {});
    expect(pub.status).toBe(201);
    expect(PublishAnswer.parse(pub.json)).toEqual({ id: ID, version: 2, rescoring: true });
    expect((await call(s, 'GET', `/v1/models/${ID}/draft`, s.admin)).status).toBe(404);
    expect((await call(s, 'POST', `/v1/models/${ID}/draft/publish`, s.admin, {})).status).toBe(404);
    expect(Model.parse((await get(s.url, s.admin, `/v1/models/${ID}`)).json).version).toBe(2);

    const click = ev(s.siteKey, 'clicker', 'click', 1000, { url: 'https://acme.test/demo-offer', selector: '#book-demo', text: 'Book a demo' });
    expect((await post(s.url, { events: [click] })).json.accepted).toBe(1);
    const after = await interestOf(s, 'cleo@bigco.com');
    expect(after - before).toBeCloseTo(12, 2);
    // Repeat "once": a second click adds nothing.
    await post(s.url, { events: [ev(s.siteKey, 'clicker', 'click', 500, { url: 'https://acme.test/demo-offer', selector: '#book-demo' })] });
    expect(await interestOf(s, 'cleo@bigco.com')).toBeCloseTo(after, 2);
  });

  it('rolls back by publishing a copy of an old version as the next one, keeping a draft next after it', async () => {
    expect((await call(s, 'POST', `/v1/models/${ID}/rollback`, s.admin, { version: 'one' })).json.details[0]).toMatch(/^version: /);
    expect((await call(s, 'POST', `/v1/models/${ID}/rollback`, s.admin, { version: 7 })).status).toBe(404);
    await call(s, 'PUT', `/v1/models/${ID}/draft`, s.admin, { ...defaultModel, halfLifeDays: 40 });

    const r = await call(s, 'POST', `/v1/models/${ID}/rollback`, s.admin, { version: 1 });
    expect(r.status).toBe(201);
    expect(PublishAnswer.parse(r.json)).toEqual({ id: ID, version: 3, rescoring: true });
    const live = Model.parse((await get(s.url, s.admin, `/v1/models/${ID}`)).json);
    expect(live.version).toBe(3);
    expect(live.interestRules.some((x) => x.when.selector === '#book-demo')).toBe(false);
    expect(Model.parse((await call(s, 'GET', `/v1/models/${ID}/draft`, s.admin)).json)).toMatchObject({ version: 4, halfLifeDays: 40 });
  });

  it('lists versions newest first, each with its changes from the one before', async () => {
    const r = await call(s, 'GET', `/v1/models/${ID}/versions`, s.admin);
    const v = Versions.parse(r.json);
    expect(v.items.map((i) => [i.version, i.status])).toEqual([
      [4, 'draft'],
      [3, 'live'],
      [2, 'retired'],
      [1, 'retired'],
    ]);
    const [draft, v3, v2, v1] = v.items;
    expect(draft!.changes).toEqual([{ kind: 'value-changed', path: 'halfLifeDays', before: 30, after: 40 }]);
    expect(v3!.changes).toMatchObject([{ kind: 'rule-removed', list: 'interestRules' }]);
    expect(v2!.changes).toMatchObject([{ kind: 'rule-added', list: 'interestRules', rule: { label: 'Clicked "Book a demo" (demo)' } }]);
    expect(v2!.summary).toMatch(/^\+ interest rule "tag-demo-/);
    expect(v1!.changes).toEqual([]);
    expect(v2!.publishedAt).toBeGreaterThan(0);
    expect(draft!.publishedAt).toBeUndefined();
    expect((await call(s, 'GET', '/v1/models/nope/versions', s.admin)).status).toBe(404);
  });

  it('previews which known pages a path glob matches, most viewed first', async () => {
    const views = [
      ...[1, 2, 3].map((i) => ev(s.siteKey, `p${i}`, 'page_view', 4000 + i, { url: `https://acme.test/case-studies/northwind?utm_source=x` })),
      ev(s.siteKey, 'p4', 'page_view', 3000, { url: 'https://acme.test/Case-Studies/Globex' }),
      ev(s.siteKey, 'p5', 'page_view', 3000, { url: 'https://acme.test/case-studies' }),
      ev(s.siteKey, 'p6', 'page_view', 3000, { url: 'https://acme.test/pricing' }),
    ];
    expect((await post(s.url, { events: views })).json.accepted).toBe(6);
    const r = await call(s, 'GET', `/v1/pages?pattern=${encodeURIComponent('/case-studies/*')}`, s.admin);
    expect(PageMatches.parse(r.json)).toEqual({
      pattern: '/case-studies/*',
      matches: [
        { path: '/case-studies/northwind', views: 3 },
        { path: '/case-studies/globex', views: 1 },
      ],
      total: 2,
    });
    const one = PageMatches.parse((await call(s, 'GET', `/v1/pages?pattern=${encodeURIComponent('/*case*')}&limit=1`, s.admin)).json);
    expect(one.matches).toEqual([{ path: '/case-studies/northwind', views: 3 }]);
    expect(one.total).toBe(3);
    const bad = await call(s, 'GET', '/v1/pages?pattern=case-studies', s.admin);
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/^pattern: /);
    expect((await call(s, 'GET', '/v1/pages?pattern=/x&limit=0', s.admin)).json.error).toMatch(/^limit: /);
  });
});
