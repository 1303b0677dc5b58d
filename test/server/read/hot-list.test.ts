import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HotList } from '../../../shared/contracts/api.ts';
import { visit } from '../../extension/fake-api.ts';
import { get, post, testServer, type TestServer } from '../harness.ts';

// When a lead turned hot, as the hot list says it (the panel marks "new" what turned hot since
// the rep last looked): never after the lead's last activity, so history that reaches the
// server late (a replayed outbox, the demo seed's 90 days sent in one go) is not all "new".

const DAY = 86_400_000;

describe('hot list: hotSince', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer('sqlite', undefined);
  });
  afterAll(async () => {
    await s?.cleanup();
  });

  async function demoRequest(email: string, at: number) {
    const anonymousId = randomUUID();
    const events = [
      ...visit('acme', 's1', at, [{ path: '/pricing', title: 'Pricing' }, { form: 'demo-request' }]).map((e) => ({ ...e, anonymousId, site: s.siteKey, url: e.url ? e.url.replace('https://www.example-saas.com', 'https://acme.test') : e.url })),
      { id: randomUUID(), type: 'identify', ts: at + 90_000, site: s.siteKey, anonymousId, sessionId: 's1', url: 'https://acme.test/demo', source: 'form', traits: { email, name: email.split('@')[0] } },
    ];
    const r = await post(s.url, { events }, { origin: 'https://acme.test' });
    expect(r.json.accepted, JSON.stringify(r.json)).toBe(events.length);
  }

  it('a lead whose hand-raise arrives days late turned hot when it acted; one acting now, now', async () => {
    const before = Date.now();
    await demoRequest('late@bigco.com', before - 3 * DAY);
    await demoRequest('now@bigco.com', before - 60_000);
    const hot = HotList.parse((await get(s.url, s.rep, '/v1/hot')).json).items;
    const late = hot.find((h) => h.email === 'late@bigco.com')!;
    const now = hot.find((h) => h.email === 'now@bigco.com')!;
    expect(late.stage).toBe('sales_ready');
    expect(now.stage).toBe('sales_ready');
    expect(late.hotSince).toBe(late.lastSeen);
    expect(late.hotSince!).toBeLessThan(before - 2 * DAY);
    expect(now.hotSince!).toBeGreaterThanOrEqual(before - 60_000);
    expect(now.hotSince!).toBeLessThanOrEqual(Date.now());
  });
});
