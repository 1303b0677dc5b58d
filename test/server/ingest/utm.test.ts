import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeadView } from '../../../shared/contracts/api.ts';
import { Event as EventSchema, type Event } from '../../../shared/contracts/event.ts';
import { withUtm } from '../../../server/ingest/ingest.ts';
import { exportLead } from '../../../server/privacy/erase.ts';
import { BACKENDS, ev, get, post, testServer, usePostgres, type TestServer } from '../harness.ts';

// The snippet no longer parses UTM parameters: the server reads them from the page view's URL.

const pg = usePostgres();

const pageView = (url: string, extra: Record<string, unknown> = {}) =>
  EventSchema.parse({ id: '01890a5d-ac96-774b-bcce-b302099a8057', type: 'page_view', ts: 1_750_000_000_000, site: 's', anonymousId: 'a', sessionId: 's', url, ...extra });

describe('withUtm', () => {
  it('reads the five utm_ parameters of a page view, decoded and cut to the contract, ignoring the fragment', () => {
    const e = withUtm(pageView(`https://acme.test/p?utm_source=news%20letter&utm_medium=email&x=1&utm_campaign=${'c'.repeat(400)}&utm_term=&utm_content=a+b#utm_term=frag`));
    expect(e.utm).toEqual({ source: 'news letter', medium: 'email', campaign: 'c'.repeat(300), content: 'a b' });
    expect(EventSchema.safeParse(e).success).toBe(true);
  });

  it('keeps a utm the client sent, and leaves events without utm_ parameters or other types alone', () => {
    const sent = pageView('https://acme.test/p?utm_source=url', { utm: { source: 'client' } });
    expect(withUtm(sent).utm).toEqual({ source: 'client' });
    const plain = pageView('https://acme.test/p?x=utm_source');
    expect(withUtm(plain)).toBe(plain);
    expect(withUtm(pageView('https://acme.test/#/?utm_source=hash')).utm).toBeUndefined();
    const click = EventSchema.parse({ ...pageView('https://acme.test/p?utm_source=x'), type: 'click', selector: '#b' });
    expect(withUtm(click)).toBe(click);
  });
});

describe.each(BACKENDS)('UTM from the URL on %s', (backend) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer(backend, pg);
  });
  afterAll(async () => {
    await s?.cleanup();
  });

  it('a page view without utm gets it from its URL; the lead it joins carries it, and a client utm is kept', async () => {
    const anon = 'utm-visitor';
    const landing = ev(s.siteKey, anon, 'page_view', 5000, { url: 'https://acme.test/pricing?utm_source=linkedin&utm_medium=paid&utm_campaign=q3' });
    const older = ev(s.siteKey, anon, 'page_view', 4000, { url: 'https://acme.test/demo?utm_source=url', utm: { source: 'g2', medium: 'referral' } });
    const next = ev(s.siteKey, anon, 'page_view', 3000, { url: 'https://acme.test/product' });
    const identify = ev(s.siteKey, anon, 'identify', 2000, { traits: { email: 'uma@initech.com' }, source: 'form' });
    expect((await post(s.url, { events: [landing, older, next, identify] })).json).toEqual({ accepted: 4, duplicates: 0, rejected: [] });

    const view = LeadView.parse((await get(s.url, s.rep, '/v1/leads?email=uma@initech.com')).json);
    const lead = (await exportLead(s.db.read, view.lead.id)) as { events: Event[] };
    const byId = new Map(lead.events.map((e) => [e.id, e]));
    expect(byId.get(landing.id as string)?.utm).toEqual({ source: 'linkedin', medium: 'paid', campaign: 'q3' });
    expect(byId.get(older.id as string)?.utm).toEqual({ source: 'g2', medium: 'referral' });
    expect(byId.get(next.id as string)).not.toHaveProperty('utm');
    expect(lead.events).toHaveLength(4);
  });
});
