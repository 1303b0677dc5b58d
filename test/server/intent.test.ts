import { Evidence } from '../../shared/contracts/lead.ts';
import { english, wordEvidence } from '../../shared/scoring/wording.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HotList, LeadView } from '../../shared/contracts/api.ts';
import { ev, get, post, testServer, type TestServer } from './harness.ts';

// Form intent through the real server (HTTP, contract, ingest, SQLite): a form's words make
// it a hand-raise whatever the browser claims, and the lead's reason names the signal.

let s: TestServer;
beforeAll(async () => {
  s = await testServer('sqlite', undefined);
});
afterAll(() => s.cleanup());

describe('form intent at ingest', () => {
  it('a Swedish demo form makes the lead sales-ready with a reason naming the button; a newsletter form claiming "demo" does not', async () => {
    const demo = 'anon-demo';
    const news = 'anon-news';
    const r = await post(s.url, {
      events: [
        ev(s.siteKey, demo, 'identify', 3000, { traits: { email: 'kim@volvo-example.se' }, source: 'form', person: [['text name your-name', 'Kim Berg'], ['text organization company', 'Volvo']] }),
        ev(s.siteKey, demo, 'form_submit', 2000, { url: 'https://acme.test/boka-demo', formId: 'section>form', fields: ['namn', 'email', 'foretag'], button: '  Boka demo ', heading: 'Se plattformen live', intent: 'newsletter' }),
        ev(s.siteKey, news, 'identify', 3000, { traits: { email: 'lee@hooli.com' }, source: 'form' }),
        ev(s.siteKey, news, 'form_submit', 2000, { formId: 'mc-embedded-subscribe-form', fields: ['EMAIL'], button: 'Subscribe', intent: 'demo', intentSignal: { source: 'override', text: 'forged' } }),
      ],
    });
    expect(r.status).toBe(200);
    const hot = HotList.parse((await get(s.url, s.rep, '/v1/hot')).json);
    const kim = hot.items.find((h) => h.email === 'kim@volvo-example.se');
    expect(kim).toMatchObject({ stage: 'sales_ready', name: 'Kim Berg' });
    const view = LeadView.parse((await get(s.url, s.rep, `/v1/leads/${kim!.id}`)).json);
    // Reasons are data (the extension words them per language); the sales-ready one carries the signal.
    const submitted = evidenceIn(view).filter((e) => e.kind === 'submitted' && e.intent === 'demo');
    expect(submitted.length).toBeGreaterThan(0);
    expect(submitted.map((e) => wordEvidence(e, english))).toContain('a demo request: button “Boka demo” on /boka-demo');
    const lee = hot.items.find((h) => h.email === 'lee@hooli.com');
    expect(lee?.stage).not.toBe('sales_ready');
    if (lee) {
      const leeView = LeadView.parse((await get(s.url, s.rep, `/v1/leads/${lee.id}`)).json);
      expect(JSON.stringify(leeView)).not.toContain('forged');
    }
  });
});

/** Every `submitted` evidence object anywhere in a read shape. */
function evidenceIn(value: unknown): Extract<Evidence, { kind: 'submitted' }>[] {
  if (Array.isArray(value)) return value.flatMap(evidenceIn);
  if (value === null || typeof value !== 'object') return [];
  const own = (value as { kind?: unknown }).kind === 'submitted' ? [Evidence.parse(value) as Extract<Evidence, { kind: 'submitted' }>] : [];
  return [...own, ...Object.values(value).flatMap(evidenceIn)];
}
