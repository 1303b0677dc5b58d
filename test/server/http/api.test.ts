import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiffAnswer, ModelList, PublishAnswer, TrackAnswer } from '../../../shared/contracts/admin.ts';
import { Account, ApiError, HotList, LeadView, Me, StageChange, TimelinePage } from '../../../shared/contracts/api.ts';
import { BatchResult } from '../../../shared/contracts/batch.ts';
import type { Event } from '../../../shared/contracts/event.ts';
import { Feedback } from '../../../shared/contracts/lead.ts';
import { defaultModel, scoreLead } from '../../../shared/scoring/index.ts';
import { BACKENDS, ev, get, post, testServer, until, usePostgres, type TestServer } from '../harness.ts';

const pg = usePostgres();

describe.each(BACKENDS)('server on %s', (backend) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer(backend, pg);
  });
  afterAll(async () => {
    await s?.cleanup();
  });

  it('stores a batch once and counts duplicates', async () => {
    const events = [ev(s.siteKey, 'dup', 'page_view', 3000), ev(s.siteKey, 'dup', 'page_view', 2000)];
    const first = await post(s.url, { events, sentAt: Date.now() });
    expect(first.status).toBe(200);
    expect(BatchResult.parse(first.json)).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    const again = await post(s.url, { events: [...events, ...events] }, { 'content-type': 'application/json' });
    expect(again.json).toEqual({ accepted: 0, duplicates: 4, rejected: [] });
    const n = await s.db.read.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).where('anonymous_id', '=', 'dup').executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(2);
    const row = await s.db.read.selectFrom('events').select(['site', 'body']).where('anonymous_id', '=', 'dup').executeTakeFirstOrThrow();
    // The key is never stored; events carry the site id (in its column: the body leaves out what columns hold).
    expect(row.site).toBe('acme');
    expect(row.body).not.toContain(s.siteKey);
  });

  it('keeps good events and names bad ones with paths', async () => {
    const good = ev(s.siteKey, 'mixed', 'page_view', 1000);
    const bad: Record<string, unknown> = { ...ev(s.siteKey, 'mixed', 'page_view', 900), url: 'not a url', extra: 1 };
    const r = await post(s.url, { events: [bad, good, 'nope'] });
    expect(r.status).toBe(200);
    expect(r.json.accepted).toBe(1);
    expect(r.json.rejected.map((x: { index: number }) => x.index)).toEqual([0, 2]);
    expect(r.json.rejected[0].id).toBe(bad.id);
    expect(r.json.rejected[0].errors.join('\n')).toMatch(/events\[0\]\.url/);
    expect(r.json.rejected[0].errors.join('\n')).toMatch(/unknown field "extra"/);
  });

  it('answers a bad envelope with 400 and an oversized body with 413', async () => {
    const r = await post(s.url, { events: [] });
    expect(r.status).toBe(400);
    expect(ApiError.parse(r.json).details?.[0]).toMatch(/events/);
    const big = await post(s.url, { events: [ev(s.siteKey, 'big', 'page_view', 0, { title: 'x'.repeat(70_000) })] });
    expect(big.status).toBe(413);
    expect(big.json.error).toMatch(/64 KB/);
    const notJson = await post(s.url, '{"events": [');
    expect(notJson.status).toBe(400);
    expect(notJson.json.error).toMatch(/not valid JSON/);
    const r415 = await post(s.url, '<xml/>', { 'content-type': 'application/xml' });
    expect(r415.status).toBe(415);
  });

  it('enforces keys, sites, origins and roles', async () => {
    const other = await s.createKey({ role: 'site', site: 'other', origins: ['https://other.test'] });
    // Unknown key.
    expect((await post(s.url, { events: [ev('lgs_nope_nope_nope', 'a', 'page_view', 0)] })).status).toBe(401);
    // A key of site "other" cannot write site "acme" events.
    const cross = await post(s.url, { events: [ev(s.siteKey, 'a', 'page_view', 0)] }, { 'x-leadglow-key': other });
    expect(cross.status).toBe(403);
    const mixed = await post(s.url, { events: [ev(other, 'a', 'page_view', 0), ev('acme', 'a', 'page_view', 0)] });
    expect(mixed.status).toBe(403);
    // Disallowed origin.
    const evil = await post(s.url, { events: [ev(s.siteKey, 'a', 'page_view', 0)] }, { origin: 'https://evil.test' });
    expect(evil.status).toBe(403);
    const ok = await post(s.url, { events: [ev(s.siteKey, 'a', 'page_view', 0)] }, { origin: 'https://acme.test' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://acme.test');
    // Preflight: allowed origin gets CORS headers, others do not.
    const pre = await fetch(`${s.url}/v1/events?key=${s.siteKey}`, { method: 'OPTIONS', headers: { origin: 'https://acme.test', 'access-control-request-method': 'POST' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://acme.test');
    const preEvil = await fetch(`${s.url}/v1/events?key=${s.siteKey}`, { method: 'OPTIONS', headers: { origin: 'https://evil.test' } });
    expect(preEvil.status).toBe(403);
    expect(preEvil.headers.get('access-control-allow-origin')).toBeNull();
    // A site key cannot read leads; no token is 401.
    expect((await get(s.url, s.siteKey, '/v1/hot')).status).toBe(403);
    expect((await get(s.url, undefined, '/v1/hot')).status).toBe(401);
    expect((await get(s.url, 'lgr_forged', '/v1/hot')).status).toBe(401);
    // A rep cannot publish models.
    const publish = await fetch(`${s.url}/v1/models`, { method: 'POST', headers: { authorization: `Bearer ${s.rep}`, 'content-type': 'application/json' }, body: JSON.stringify(defaultModel) });
    expect(publish.status).toBe(403);
    expect(Me.parse((await get(s.url, s.rep, '/v1/me')).json)).toMatchObject({ role: 'rep', name: 'Rita Rep' });
  });

  it('joins the anonymous history on identify and scores it retroactively', async () => {
    const anon = 'anon-retro';
    const history = [
      ev(s.siteKey, anon, 'page_view', 5 * 86_400_000, { url: 'https://acme.test/pricing' }),
      ev(s.siteKey, anon, 'page_view', 3 * 86_400_000, { url: 'https://acme.test/product/a' }),
      ev(s.siteKey, anon, 'download', 2 * 86_400_000, { fileUrl: 'https://acme.test/whitepaper.pdf' }),
    ];
    expect((await post(s.url, { events: history })).json.accepted).toBe(3);
    const identify = ev(s.siteKey, anon, 'identify', 86_400_000, { traits: { email: 'Dana@Initech.com', name: 'Dana', jobTitle: 'Director of IT', company: 'Initech' }, source: 'form' });
    // An older event arriving after the identify: out of order, so the state is rebuilt.
    const late = ev(s.siteKey, anon, 'page_view', 4 * 86_400_000, { url: 'https://acme.test/case-studies/x' });
    expect((await post(s.url, { events: [identify] })).json.accepted).toBe(1);
    expect((await post(s.url, { events: [late] })).json.accepted).toBe(1);

    const r = await get(s.url, s.rep, '/v1/leads?email=dana@initech.com');
    expect(r.status).toBe(200);
    const view = LeadView.parse(r.json);
    expect(view.lead.emails).toEqual(['dana@initech.com']);
    expect(view.lead.company).toEqual({ domain: 'initech.com', name: 'Initech' });
    expect(view.trend).toHaveLength(30);
    const all = [...history, identify, late].map((e) => ({ ...e, site: 'acme' })) as unknown as Event[];
    const expected = scoreLead(defaultModel, { profile: { email: 'dana@initech.com', name: 'Dana', jobTitle: 'Director of IT', company: { domain: 'initech.com', name: 'Initech' } } }, all, view.at);
    const got = view.lead.scores[0]!;
    expect(got.stage).toBe(expected.stage);
    expect(got.fit.score).toBe(expected.fit.score);
    expect(got.interest.score).toBeCloseTo(expected.interest.score, 6);
    expect(got.interest.reasons.map((x) => x.rule).sort()).toEqual(expected.interest.reasons.map((x) => x.rule).sort());

    const page1 = TimelinePage.parse((await get(s.url, s.rep, `/v1/leads/${view.lead.id}/timeline?limit=3`)).json);
    expect(page1.items).toHaveLength(3);
    expect(page1.items[0]!.type).toBe('identify');
    const page2 = TimelinePage.parse((await get(s.url, s.rep, `/v1/leads/${view.lead.id}/timeline?limit=3&before=${page1.next}`)).json);
    expect(page2.items).toHaveLength(2);
    expect(page2.next).toBeUndefined();
    expect([...page1.items, ...page2.items].map((i) => i.ts)).toEqual(all.map((e) => e.ts).sort((a, b) => b - a));
    expect((await get(s.url, s.rep, `/v1/leads/${view.lead.id}`)).json.lead.id).toBe(view.lead.id);
    expect((await get(s.url, s.rep, '/v1/leads?email=nobody@nowhere.test')).status).toBe(404);
  });

  it('merges the same email from another device, and rolls up accounts', async () => {
    const a = [ev(s.siteKey, 'laptop', 'page_view', 9000, { url: 'https://acme.test/pricing' }), ev(s.siteKey, 'laptop', 'identify', 8000, { traits: { email: 'sam@globex.com', name: 'Sam' }, source: 'form' })];
    const b = [ev(s.siteKey, 'phone', 'page_view', 7000, { url: 'https://acme.test/demo' }), ev(s.siteKey, 'phone', 'identify', 6000, { traits: { email: 'SAM@globex.com' }, source: 'form' })];
    await post(s.url, { events: a });
    await post(s.url, { events: b });
    const c = [ev(s.siteKey, 'other', 'identify', 5000, { traits: { email: 'kim@globex.com', name: 'Kim' }, source: 'form' })];
    await post(s.url, { events: c });
    const view = LeadView.parse((await get(s.url, s.rep, '/v1/leads?email=sam@globex.com')).json);
    const tl = TimelinePage.parse((await get(s.url, s.rep, `/v1/leads/${view.lead.id}/timeline`)).json);
    expect(tl.items).toHaveLength(4);
    const links = await s.db.read.selectFrom('identity_links').select(['kind', 'anonymous_id']).where('lead_id', '=', view.lead.id).orderBy('at').execute();
    expect(links.map((l) => l.kind).sort()).toEqual(['device', 'identify']);
    const account = Account.parse((await get(s.url, s.rep, '/v1/accounts/globex.com')).json);
    expect(account.members.map((m) => m.email).sort()).toEqual(['kim@globex.com', 'sam@globex.com']);
    expect(account.interest).toBeCloseTo(account.members.reduce((x, m) => x + m.interest, 0), 9);
    expect(view.account?.domain).toBe('globex.com');
    // Free-mail addresses never form an account.
    await post(s.url, { events: [ev(s.siteKey, 'gm', 'identify', 1000, { traits: { email: 'someone@gmail.com' }, source: 'form' })] });
    expect((await get(s.url, s.rep, '/v1/accounts/gmail.com')).status).toBe(404);
  });

  it('lists hot leads, records feedback and streams stage changes', async () => {
    const controller = new AbortController();
    const stream = await fetch(`${s.url}/v1/stream`, { headers: { authorization: `Bearer ${s.rep}` }, signal: controller.signal });
    expect(stream.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = stream.body!.getReader();
    const received: StageChange[] = [];
    const reading = (async () => {
      const dec = new TextDecoder();
      let buf = '';
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        buf += dec.decode(value, { stream: true });
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const data = /^event: stage\ndata: (.*)$/m.exec(block);
          if (data) received.push(StageChange.parse(JSON.parse(data[1]!)));
        }
      }
    })();
    const anon = 'hot-anon';
    await post(s.url, {
      events: [
        ev(s.siteKey, anon, 'identify', 3000, { traits: { email: 'pat@hooli.com', name: 'Pat', jobTitle: 'CTO' }, source: 'form' }),
        ev(s.siteKey, anon, 'form_submit', 2000, { formId: 'demo-request', fields: ['email'] }),
      ],
    });
    const hot = HotList.parse((await get(s.url, s.rep, '/v1/hot')).json);
    const pat = hot.items.find((h) => h.email === 'pat@hooli.com');
    expect(pat).toMatchObject({ stage: 'sales_ready', isNew: true, name: 'Pat' });
    expect(hot.items[0]!.stage).toBe('sales_ready');
    await until(() => received.some((c) => c.to === 'sales_ready' && c.email === 'pat@hooli.com'), 'the sales_ready change on the stream', 30_000);
    expect(received.some((c) => c.to === 'sales_ready' && c.email === 'pat@hooli.com')).toBe(true);

    const fb = await fetch(`${s.url}/v1/leads/${pat!.id}/feedback`, { method: 'POST', headers: { authorization: `Bearer ${s.rep}`, 'content-type': 'application/json' }, body: JSON.stringify({ verdict: 'rejected', reason: 'student project' }) });
    expect(fb.status).toBe(200);
    expect(Feedback.parse(await fb.json())).toMatchObject({ verdict: 'rejected', reason: 'student project', by: 'Rita Rep' });
    const view = LeadView.parse((await get(s.url, s.rep, `/v1/leads/${pat!.id}`)).json);
    expect(view.lead.feedback?.verdict).toBe('rejected');
    expect(view.lead.scores[0]!.stage).toBe('disqualified');
    const badFb = await fetch(`${s.url}/v1/leads/${pat!.id}/feedback`, { method: 'POST', headers: { authorization: `Bearer ${s.rep}`, 'content-type': 'application/json' }, body: JSON.stringify({ verdict: 'maybe' }) });
    expect(badFb.status).toBe(400);
    expect((await badFb.json()).details[0]).toMatch(/^verdict:/);
    await until(() => received.some((c) => c.to === 'disqualified'), 'the disqualified change on the stream', 30_000);
    expect(received.some((c) => c.to === 'disqualified' && c.leadId === pat!.id)).toBe(true);
    controller.abort();
    await reading;
  });

  it('validates, publishes and diffs models; tracks outcomes', async () => {
    const auth = { authorization: `Bearer ${s.admin}`, 'content-type': 'application/json' };
    const invalid = await fetch(`${s.url}/v1/models/validate`, { method: 'POST', headers: auth, body: JSON.stringify({ ...defaultModel, halfLifeDays: -1, fitRules: [{ id: 'X' }] }) });
    expect(invalid.status).toBe(400);
    const details: string[] = (await invalid.json()).details;
    expect(details.some((d) => d.startsWith('halfLifeDays:'))).toBe(true);
    expect(details.some((d) => d.startsWith('fitRules[0]'))).toBe(true);
    const v2 = { ...defaultModel, version: 2, thresholds: { ...defaultModel.thresholds, engaged: 5 } };
    const pub = await fetch(`${s.url}/v1/models`, { method: 'POST', headers: auth, body: JSON.stringify(v2) });
    expect(pub.status).toBe(201);
    expect(PublishAnswer.parse(await pub.json())).toEqual({ id: defaultModel.id, version: 2, rescoring: true });
    expect((await fetch(`${s.url}/v1/models`, { method: 'POST', headers: auth, body: JSON.stringify(v2) })).status).toBe(409);
    const list = ModelList.parse((await get(s.url, s.admin, '/v1/models')).json);
    expect(list.items.filter((m: { status: string }) => m.status === 'live').map((m: { version: number }) => m.version)).toEqual([2]);
    expect(list.items.filter((m) => m.primary).map((m) => `${m.id} v${m.version}`)).toEqual([`${defaultModel.id} v2`]);
    // A draft waits at the next version: publishing around it is refused with what to do instead.
    const put = await fetch(`${s.url}/v1/models/${defaultModel.id}/draft`, { method: 'PUT', headers: auth, body: JSON.stringify({ ...v2, version: 3 }) });
    expect(put.status).toBe(200);
    const around = await fetch(`${s.url}/v1/models`, { method: 'POST', headers: auth, body: JSON.stringify({ ...v2, version: 4 }) });
    expect(around.status).toBe(409);
    expect((await around.json()).error).toMatch(/has a draft at version 3: publish it .* or discard it/);
    expect((await fetch(`${s.url}/v1/models/${defaultModel.id}/draft`, { method: 'DELETE', headers: { authorization: auth.authorization } })).status).toBe(200);
    const diff = DiffAnswer.parse((await get(s.url, s.admin, `/v1/models/${defaultModel.id}/diff?from=1&to=2`)).json);
    expect(diff.changes).toContainEqual({ kind: 'value-changed', path: 'thresholds.engaged', before: defaultModel.thresholds.engaged, after: 5 });
    expect(diff.summary).toMatch(/engaged/);
    // Rescore runs in the background; reads are right at once either way.
    const view = LeadView.parse((await get(s.url, s.rep, '/v1/leads?email=sam@globex.com')).json);
    expect(view.lead.scores[0]!.modelVersion).toBe(2);
    const won = await fetch(`${s.url}/v1/track`, { method: 'POST', headers: auth, body: JSON.stringify({ email: 'sam@globex.com', outcome: { result: 'won', at: Date.now(), value: 1000 } }) });
    expect(won.status).toBe(200);
    expect(TrackAnswer.parse(await won.json())).toEqual({ ok: true });
    const after = LeadView.parse((await get(s.url, s.rep, '/v1/leads?email=sam@globex.com')).json);
    expect(after.lead.outcome?.result).toBe('won');
    expect(after.lead.scores[0]!.stage).toBe('customer');
    const repTrack = await fetch(`${s.url}/v1/track`, { method: 'POST', headers: { ...auth, authorization: `Bearer ${s.rep}` }, body: '{}' });
    expect(repTrack.status).toBe(403);
  });

  it('serves health and metrics', async () => {
    expect((await get(s.url, undefined, '/healthz')).json).toMatchObject({ ok: true, backend });
    const m = await (await fetch(`${s.url}/metrics`, { headers: { authorization: `Bearer ${s.admin}` } })).text();
    expect(m).toMatch(/leadglow_events_accepted_total \d+/);
    expect(m).toMatch(/leadglow_write_commit_seconds_bucket/);
    expect(m).toMatch(/leadglow_write_queue_depth/);
  });
});
