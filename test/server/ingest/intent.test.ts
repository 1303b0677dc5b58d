import { Evidence } from '../../../shared/contracts/lead.ts';
import { english, wordEvidence } from '../../../shared/scoring/wording.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HotList, LeadView } from '../../../shared/contracts/api.ts';
import { Model } from '../../../shared/contracts/model.ts';
import { answer, ev, get, post, testServer, until, type TestServer } from '../harness.ts';

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

describe("a marketer's form intent override (tagging mode's hand-raise control)", () => {
  const put = async (body: unknown, token = s.admin, model = 'b2b-starter') =>
    answer(await fetch(`${s.url}/v1/models/${model}/draft/form-intents`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) }));
  const publish = async () => answer(await fetch(`${s.url}/v1/models/b2b-starter/draft/publish`, { method: 'POST', headers: { authorization: `Bearer ${s.admin}` } }));
  const stageOf = async (email: string) => (HotList.parse((await get(s.url, s.rep, '/v1/hot')).json).items.find((h) => h.email === email))?.stage;

  it('goes into the draft, and once published it decides, for every submission of that form, over the classifier', async () => {
    // A callback form the classifier reads as a newsletter ("Subscribe"), and a "Boka demo" form that is really a job fair sign-up.
    const callback = 'anon-callback';
    const fair = 'anon-fair';
    const r = await post(s.url, {
      events: [
        ev(s.siteKey, callback, 'identify', 5000, { traits: { email: 'noor@rotterdam-cargo.nl' }, source: 'form' }),
        ev(s.siteKey, callback, 'form_submit', 4000, { url: 'https://acme.test/bel-mij', formId: 'callback-form', fields: ['EMAIL'], button: 'Subscribe' }),
        ev(s.siteKey, fair, 'identify', 5000, { traits: { email: 'elin@uppsala-student.se' }, source: 'form' }),
        ev(s.siteKey, fair, 'form_submit', 4000, { url: 'https://acme.test/mässa', formId: 'fair-form', fields: ['email'], button: 'Boka demo' }),
      ],
    });
    expect(r.status).toBe(200);
    await until(async () => (await stageOf('elin@uppsala-student.se')) === 'sales_ready', 'the classifier to make the fair form a hand-raise');
    expect(await stageOf('noor@rotterdam-cargo.nl')).not.toBe('sales_ready');

    const yes = await put({ formId: 'callback-form', intent: 'contact' });
    expect(yes.status, JSON.stringify(yes.json)).toBe(200);
    const no = await put({ formId: 'fair-form', intent: 'event' });
    const draft = Model.parse(no.json);
    expect(draft.formIntents).toEqual([{ formId: 'callback-form', intent: 'contact' }, { formId: 'fair-form', intent: 'event' }]);
    // Setting a form again replaces its entry; null lets the classifier decide again.
    expect(Model.parse((await put({ formId: 'other-form', intent: 'demo' })).json).formIntents).toHaveLength(3);
    expect(Model.parse((await put({ formId: 'other-form', intent: null })).json).formIntents.map((o) => o.formId)).toEqual(['callback-form', 'fair-form']);
    // Only a draft so far: scoring is unchanged.
    expect(await stageOf('noor@rotterdam-cargo.nl')).not.toBe('sales_ready');

    expect((await publish()).status).toBe(201);
    await until(async () => (await stageOf('noor@rotterdam-cargo.nl')) === 'sales_ready' && (await stageOf('elin@uppsala-student.se')) !== 'sales_ready', 'the rescore with the overrides');
    const noor = HotList.parse((await get(s.url, s.rep, '/v1/hot')).json).items.find((h) => h.email === 'noor@rotterdam-cargo.nl')!;
    const view = LeadView.parse((await get(s.url, s.rep, `/v1/leads/${noor.id}`)).json);
    const words = evidenceIn(view).map((e) => wordEvidence(e, english));
    expect(words.some((w) => w.startsWith('a contact request') && w.includes('callback-form'))).toBe(true);
    // The timeline says the same as the reasons.
    const line = (await get(s.url, s.rep, `/v1/leads/${noor.id}/timeline`)).json.items.find((i: { type: string }) => i.type === 'form_submit');
    expect(wordEvidence(line.what, english)).toBe('a contact request: form marked by marketing “callback-form” on /bel-mij');
    // A later submission of the same form is judged by the override at ingest too.
    const again = 'anon-callback-2';
    await post(s.url, { events: [ev(s.siteKey, again, 'identify', 2000, { traits: { email: 'joost@delft-logistics.nl' }, source: 'form' }), ev(s.siteKey, again, 'form_submit', 1000, { url: 'https://acme.test/bel-mij', formId: 'callback-form', fields: ['EMAIL'], button: 'Subscribe' })] });
    await until(async () => (await stageOf('joost@delft-logistics.nl')) === 'sales_ready', 'a new submission of the overridden form to be a hand-raise');
  });

  it('bad requests name the field; a rep token and an unknown model are refused', async () => {
    const bad = await put({ formId: 'x', intent: 'hand-raise' });
    expect(bad.status).toBe(400);
    expect(bad.json.details.join()).toMatch(/^intent: /);
    const long = await put({ formId: 'f'.repeat(65), intent: 'demo' });
    expect(long.json.details.join()).toMatch(/^formId: /);
    expect((await put({ formId: 'x', intent: 'demo' }, s.rep)).status).toBe(403);
    expect((await put({ formId: 'x', intent: 'demo' }, s.admin, 'no-such-model')).status).toBe(404);
  });
});

/** Every `submitted` evidence object anywhere in a read shape. */
function evidenceIn(value: unknown): Extract<Evidence, { kind: 'submitted' }>[] {
  if (Array.isArray(value)) return value.flatMap(evidenceIn);
  if (value === null || typeof value !== 'object') return [];
  const own = (value as { kind?: unknown }).kind === 'submitted' ? [Evidence.parse(value) as Extract<Evidence, { kind: 'submitted' }>] : [];
  return [...own, ...Object.values(value).flatMap(evidenceIn)];
}
