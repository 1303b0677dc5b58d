import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchResult } from '../../../shared/contracts/batch.ts';
import { BACKENDS, ev, post, testServer, usePostgres, type TestServer } from '../harness.ts';

// Issue 18, findings 3 and 4: a NUL in `anonymousId` answered 503 on PostgreSQL and dropped the
// good events of its batch (the SDK then retried forever); and a public site key could post
// `email_open`/`email_click`, even with `machine: false`. Both are now per-event rejections
// with a path, the same on both backends, and the good events beside them are stored.

const pg = usePostgres();

describe.each(BACKENDS)('clean rejections on %s', (backend) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer(backend, pg);
  });
  afterAll(async () => {
    await s?.cleanup();
  });

  const count = async (anon: string) => {
    const r = await s.db.read.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).where('anonymous_id', 'like', `${anon}%`).executeTakeFirstOrThrow();
    return Number(r.n);
  };

  it('rejects NUL and unpaired surrogates per event, with the path, and keeps the good events', async () => {
    const events = [
      ev(s.siteKey, 'nul-good', 'page_view', 5000),
      ev(s.siteKey, 'nul-\u0000-anon', 'page_view', 4000),
      ev(s.siteKey, 'nul-good', 'page_view', 3900, { sessionId: 's\u0000' }),
      ev(s.siteKey, 'nul-good', 'page_view', 3800, { url: 'https://acme.test/a\u0000b' }),
      ev(s.siteKey, 'nul-good', 'page_view', 3700, { props: { plan: 'x\u0000' } }),
      ev(s.siteKey, 'nul-good', 'identify', 3600, { traits: { email: 'nul@initech.com', name: 'N\u0000' }, source: 'form' }),
      ev(s.siteKey, 'nul-\ud800-anon', 'page_view', 3500),
      ev(s.siteKey, 'nul-good', 'custom', 3400, { name: 'signup', tags: ['\udc00'] }),
      ev(s.siteKey, 'nul-good', 'page_view', 3000, { title: 'Fine \u00e9 \ud83d\ude00' }),
    ];
    const r = await post(s.url, { events });
    expect(r.status).toBe(200);
    const b = BatchResult.parse(r.json);
    expect(b.accepted).toBe(2);
    expect(b.rejected.map((x) => [x.index, x.errors[0]!.split(':')[0]])).toEqual([
      [1, 'events[1].anonymousId'],
      [2, 'events[2].sessionId'],
      [3, 'events[3].url'],
      [4, 'events[4].props.plan'],
      [5, 'events[5].traits.name'],
      [6, 'events[6].anonymousId'],
      [7, 'events[7].tags[0]'],
    ]);
    for (const x of b.rejected) expect(x.errors.join('\n')).toMatch(/NUL characters or unpaired surrogates/);
    expect(await count('nul-good')).toBe(2);
    expect(await count('nul-')).toBe(2); // none of the rejected events was stored
  });

  it('refuses email opens and clicks from a site key', async () => {
    const open = ev(s.siteKey, 'forger', 'email_open', 2000, { messageId: 'm-forged', campaign: 'spring', machine: false });
    const click = ev(s.siteKey, 'forger', 'email_click', 1000, { messageId: 'm-forged', target: 'https://acme.test/pricing', machine: false });
    const view = ev(s.siteKey, 'forger', 'page_view', 500);
    const r = await post(s.url, { events: [open, click, view] });
    expect(r.status).toBe(200);
    const b = BatchResult.parse(r.json);
    expect(b.accepted).toBe(1);
    expect(b.rejected.map((x) => x.index)).toEqual([0, 1]);
    expect(b.rejected[0]!.errors[0]).toMatch(/^events\[0\]\.type: email_open is recorded only by signed email links/);
    expect(b.rejected[1]!.errors[0]).toMatch(/^events\[1\]\.type: email_click is recorded only by signed email links/);
    const stored = await s.db.read.selectFrom('events').select('type').where('anonymous_id', '=', 'forger').execute();
    expect(stored.map((e) => e.type)).toEqual(['page_view']);
    // A rep token does not help; an admin importing history (the demo seed) may.
    const asRep = await post(s.url, { events: [open] }, { authorization: `Bearer ${s.rep}` });
    expect(BatchResult.parse(asRep.json).rejected).toHaveLength(1);
    const asAdmin = await post(s.url, { events: [open, click] }, { authorization: `Bearer ${s.admin}` });
    expect(BatchResult.parse(asAdmin.json)).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
  });
});
