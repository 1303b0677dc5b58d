import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmailLinksAnswer } from '../../../shared/contracts/admin.ts';
import { LeadView, TimelinePage } from '../../../shared/contracts/api.ts';
import { defaultModel } from '../../../shared/scoring/index.ts';
import { LANDING_MAX_AGE_MS, signLandingToken } from '../../../server/ingest/email-links.ts';
import { decodeEvents, leadEvents } from '../../../server/db/event-rows.ts';
import { BACKENDS, ev, get, post, testServer, usePostgres, type TestServer } from '../harness.ts';

// Email engagement end to end: links issued by the admin API, the pixel and the redirect,
// machine opens, tampered tokens, and the landing token identifying a new visitor.

const pg = usePostgres();
const BROWSER = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15';
const SCANNER = 'Mozilla/5.0 (compatible; Barracuda Sentinel (EE))';
const HOUR = 3_600_000;
/** The harness's link secret. */
const SECRET = 'test-secret-0123456789abcdef';
const ruleOf = (id: string) => {
  const r = defaultModel.interestRules.find((x) => x.id === id);
  if (!r) throw new Error(`default model has no rule ${id}`);
  return r;
};

describe.each(BACKENDS)('email engagement on %s', (backend) => {
  let s: TestServer;
  const admin = () => ({ authorization: `Bearer ${s.admin}`, 'content-type': 'application/json' });
  const issue = async (body: Record<string, unknown>, headers = admin()) => fetch(`${s.url}/v1/email-links`, { method: 'POST', headers, body: JSON.stringify(body) });
  const lead = async (email: string) => LeadView.parse((await get(s.url, s.rep, `/v1/leads?email=${email}`)).json).lead;
  const emailEvents = async (leadId: string) =>
    decodeEvents(await leadEvents(s.db.read, [leadId], { types: ['email_open', 'email_click'] }).orderBy('ts').execute()).map((e): Record<string, unknown> & { type: string } => ({ ...e }));

  beforeAll(async () => {
    s = await testServer(backend, pg);
    for (const [anon, email] of [
      ['e-1', 'erin@initech.com'],
      ['e-2', 'scan@initech.com'],
      ['e-3', 'fresh@initech.com'],
      ['e-4', 'land@initech.com'],
    ] as const) {
      const r = await post(s.url, { events: [ev(s.siteKey, anon, 'identify', 5 * HOUR, { traits: { email }, source: 'form' })] });
      expect(r.json.accepted).toBe(1);
    }
  });
  afterAll(async () => {
    await s?.cleanup();
  });

  it('issues a pixel and one signed click URL per target, for admins and known leads only', async () => {
    const r = await issue({ email: 'Erin@Initech.com', messageId: 'm-1', campaign: 'spring', targets: ['https://acme.test/pricing', 'https://acme.test/demo#form'] });
    expect(r.status).toBe(200);
    const a = EmailLinksAnswer.parse(await r.json());
    expect(a.leadId).toBe((await lead('erin@initech.com')).id);
    expect(a.pixel).toMatch(new RegExp(`^${s.url}/e/o/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.gif$`));
    expect(a.links.map((l) => l.target)).toEqual(['https://acme.test/pricing', 'https://acme.test/demo#form']);
    for (const l of a.links) expect(l.url).toMatch(new RegExp(`^${s.url}/e/c/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$`));
    expect(new Set(a.links.map((l) => l.url)).size).toBe(2);

    expect((await issue({ email: 'nobody@initech.com', messageId: 'm-1', targets: [] })).status).toBe(404);
    expect((await issue({ email: 'erin@initech.com', messageId: 'm-1', targets: [] }, { ...admin(), authorization: `Bearer ${s.rep}` })).status).toBe(403);
    const bad = await issue({ email: 'erin@initech.com', messageId: 'm-1', targets: ['javascript:alert(1)'] });
    expect(bad.status).toBe(400);
    expect((await bad.json()).details.join('\n')).toMatch(/^targets\[0\]/m);
  });

  it('an open and a click raise interest per the default model and reach the timeline', async () => {
    const sentAt = Date.now() - HOUR;
    const a = EmailLinksAnswer.parse(await (await issue({ email: 'erin@initech.com', messageId: 'm-2', campaign: 'spring', targets: ['https://acme.test/pricing?ref=mail'], sentAt })).json());
    const before = (await lead('erin@initech.com')).scores[0]!.interest.score;

    const px = await fetch(a.pixel, { headers: { 'user-agent': BROWSER } });
    expect(px.status).toBe(200);
    expect(px.headers.get('content-type')).toBe('image/gif');
    expect(px.headers.get('cache-control')).toMatch(/no-store/);
    const gif = Buffer.from(await px.arrayBuffer());
    expect(gif.subarray(0, 6).toString('latin1')).toBe('GIF89a');
    // 1x1, and complete (ends with the GIF trailer).
    expect([gif.readUInt16LE(6), gif.readUInt16LE(8), gif[gif.length - 1]]).toEqual([1, 1, 0x3b]);
    const afterOpen = (await lead('erin@initech.com')).scores[0]!;
    expect(afterOpen.interest.score - before).toBeCloseTo(ruleOf('email-open').points, 3);
    expect(afterOpen.interest.reasons.some((x) => x.rule === 'email-open')).toBe(true);

    const click = await fetch(a.links[0]!.url, { headers: { 'user-agent': BROWSER }, redirect: 'manual' });
    expect(click.status).toBe(302);
    const location = new URL(click.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe('https://acme.test/pricing');
    expect(location.searchParams.get('ref')).toBe('mail');
    expect(location.searchParams.get('lg_t')).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const afterClick = (await lead('erin@initech.com')).scores[0]!;
    expect(afterClick.interest.score - afterOpen.interest.score).toBeCloseTo(ruleOf('email-click').points, 3);

    const stored = await emailEvents(a.leadId);
    expect(stored.map((e) => [e.type, e.messageId, e.campaign, e.machine])).toEqual([
      ['email_open', 'm-2', 'spring', false],
      ['email_click', 'm-2', 'spring', false],
    ]);
    expect(stored[1]!.target).toBe('https://acme.test/pricing?ref=mail');
    const tl = TimelinePage.parse((await get(s.url, s.rep, `/v1/leads/${a.leadId}/timeline`)).json);
    expect(tl.items.slice(0, 2).map((i) => i.type)).toEqual(['email_click', 'email_open']);
  });

  it('stores a scanner open or click, and an open seconds after sending, without adding interest', async () => {
    const old = EmailLinksAnswer.parse(await (await issue({ email: 'scan@initech.com', messageId: 'm-3', targets: ['https://acme.test/'], sentAt: Date.now() - HOUR })).json());
    const before = (await lead('scan@initech.com')).scores[0]!.interest.score;
    expect((await fetch(old.pixel, { headers: { 'user-agent': SCANNER } })).status).toBe(200);
    expect((await fetch(old.links[0]!.url, { headers: { 'user-agent': SCANNER }, redirect: 'manual' })).status).toBe(302);
    // Sent just now: an ordinary browser user agent, but too early for a person.
    const fresh = EmailLinksAnswer.parse(await (await issue({ email: 'scan@initech.com', messageId: 'm-4', targets: [] })).json());
    expect((await fetch(fresh.pixel, { headers: { 'user-agent': BROWSER } })).status).toBe(200);

    const stored = await emailEvents(old.leadId);
    expect(stored.map((e) => [e.type, e.messageId, e.machine])).toEqual([
      ['email_open', 'm-3', true],
      ['email_click', 'm-3', true],
      ['email_open', 'm-4', true],
    ]);
    expect((stored[0]!.props as Record<string, string>).machineReason).toMatch(/Barracuda/);
    const after = (await lead('scan@initech.com')).scores[0]!;
    expect(after.interest.score).toBeCloseTo(before, 6);
    expect(after.interest.reasons.some((x) => x.rule.startsWith('email-'))).toBe(false);
    const tl = TimelinePage.parse((await get(s.url, s.rep, `/v1/leads/${old.leadId}/timeline`)).json);
    expect(tl.items.filter((i) => i.type.startsWith('email_')).every((i) => i.machine === true)).toBe(true);
  });

  it('stores repeated hits of one link within a minute once', async () => {
    const a = EmailLinksAnswer.parse(await (await issue({ email: 'fresh@initech.com', messageId: 'm-5', targets: [], sentAt: Date.now() - HOUR })).json());
    // Both hits must fall in one dedupe window (a minute): near a boundary, wait for the next.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 55_000) await new Promise((r) => setTimeout(r, 60_500 - intoMinute));
    await fetch(a.pixel, { headers: { 'user-agent': BROWSER } });
    await fetch(a.pixel, { headers: { 'user-agent': BROWSER } });
    const opens = (await emailEvents(a.leadId)).filter((e) => e.messageId === 'm-5');
    expect(opens).toHaveLength(1);
    const interest = (await lead('fresh@initech.com')).scores[0]!.interest.reasons.find((x) => x.rule === 'email-open');
    expect(interest?.points).toBeCloseTo(ruleOf('email-open').points, 3);
  });

  it('refuses a tampered click token with 400 and no redirect; a tampered pixel stores nothing', async () => {
    const a = EmailLinksAnswer.parse(await (await issue({ email: 'erin@initech.com', messageId: 'm-6', targets: ['https://acme.test/x'], sentAt: Date.now() - HOUR })).json());
    const token = a.links[0]!.url.split('/e/c/')[1]!;
    const [body, sig] = token.split('.') as [string, string];
    // Another target in the payload, the original signature.
    const forgedBody = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), u: 'https://evil.test/' })).toString('base64url');
    const countBefore = (await emailEvents(a.leadId)).length;
    for (const bad of [`${forgedBody}.${sig}`, `${body}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`, 'garbage', `${body}`]) {
      const r = await fetch(`${s.url}/e/c/${bad}`, { headers: { 'user-agent': BROWSER }, redirect: 'manual' });
      expect(r.status, bad).toBe(400);
      expect(r.headers.get('location')).toBeNull();
      expect((await r.json()).error).toMatch(/email link/);
    }
    // A pixel token is no click token: it has no destination.
    const pixelToken = a.pixel.split('/e/o/')[1]!.replace(/\.gif$/, '');
    const noTarget = await fetch(`${s.url}/e/c/${pixelToken}`, { redirect: 'manual' });
    expect(noTarget.status).toBe(400);
    expect(noTarget.headers.get('location')).toBeNull();
    const px = await fetch(`${s.url}/e/o/${forgedBody}.${sig}.gif`, { headers: { 'user-agent': BROWSER } });
    expect(px.status).toBe(200);
    expect(px.headers.get('content-type')).toBe('image/gif');
    expect((await emailEvents(a.leadId)).length).toBe(countBefore);
  });

  it('the lg_t landing token identifies a new anonymous visitor, whose history joins the lead', async () => {
    const a = EmailLinksAnswer.parse(await (await issue({ email: 'land@initech.com', messageId: 'm-7', targets: ['https://acme.test/pricing'], sentAt: Date.now() - HOUR })).json());
    const location = new URL((await fetch(a.links[0]!.url, { headers: { 'user-agent': BROWSER }, redirect: 'manual' })).headers.get('location')!);
    const lgT = location.searchParams.get('lg_t')!;
    const anon = 'new-device-from-mail';
    const views = [ev(s.siteKey, anon, 'page_view', 60_000, { url: 'https://acme.test/product' }), ev(s.siteKey, anon, 'page_view', 50_000, { url: 'https://acme.test/pricing' })];
    expect((await post(s.url, { events: views })).json.accepted).toBe(2);
    const identify = ev(s.siteKey, anon, 'identify', 40_000, { traits: {}, source: 'email_link', token: lgT });
    const r = await post(s.url, { events: [identify] });
    expect(r.json).toEqual({ accepted: 1, duplicates: 0, rejected: [] });

    const ids = new Set((await leadEvents(s.db.read, [a.leadId]).execute()).map((x) => x.id));
    for (const e of [...views, identify]) expect(ids.has(e.id as string)).toBe(true);
    const link = await s.db.read.selectFrom('identity_links').select(['kind', 'anonymous_id']).where('lead_id', '=', a.leadId).where('anonymous_id', '=', anon).executeTakeFirst();
    expect(link?.kind).toBe('email_link');
    const view = await lead('land@initech.com');
    // The joined history is scored: the pricing and product views count for the lead now.
    const rules = view.scores[0]!.interest.reasons.map((x) => x.rule);
    expect(rules).toEqual(expect.arrayContaining(['pricing-page', 'product-page']));

    // A forged landing token is refused by name, and links nothing.
    const forged = ev(s.siteKey, 'another', 'identify', 30_000, { traits: {}, source: 'email_link', token: `${lgT.split('.')[0]}.${'A'.repeat(43)}` });
    const bad = await post(s.url, { events: [forged] });
    expect(bad.json.accepted).toBe(0);
    expect(bad.json.rejected[0].errors[0]).toMatch(/token: not a valid email-link token/);
    // A day-old landing token (the URL may have been shared) is refused as expired.
    const stale = signLandingToken(SECRET, { leadId: a.leadId }, Date.now() - LANDING_MAX_AGE_MS - 60_000);
    const old = await post(s.url, { events: [ev(s.siteKey, 'shared-link', 'identify', 1000, { traits: {}, source: 'email_link', token: stale })] });
    expect(old.json.accepted).toBe(0);
    expect(old.json.rejected[0].errors[0]).toMatch(/token: the email-link token has expired/);
    expect(await s.db.read.selectFrom('identities').select('lead_id').where('anonymous_id', 'in', ['another', 'shared-link']).execute()).toEqual([]);
  });
});

describe('email links behind a proxy', () => {
  it('use the configured public URL, not the request host', async () => {
    const s = await testServer('sqlite', undefined, { publicUrl: 'https://lg.example.com/' });
    try {
      await post(s.url, { events: [ev(s.siteKey, 'p-1', 'identify', 1000, { traits: { email: 'pia@initech.com' }, source: 'form' })] });
      const r = await fetch(`${s.url}/v1/email-links`, { method: 'POST', headers: { authorization: `Bearer ${s.admin}`, 'content-type': 'application/json' }, body: JSON.stringify({ email: 'pia@initech.com', messageId: 'm', targets: ['https://acme.test/'] }) });
      const a = EmailLinksAnswer.parse(await r.json());
      expect(a.pixel.startsWith('https://lg.example.com/e/o/')).toBe(true);
      expect(a.links[0]!.url.startsWith('https://lg.example.com/e/c/')).toBe(true);
    } finally {
      await s.cleanup();
    }
  });
});
