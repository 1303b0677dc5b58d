import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Event } from '../../../shared/contracts/event.ts';
import { storeEvents } from '../../../server/ingest/store-events.ts';
import { BACKENDS, ev, post, testServer, usePostgres, type TestServer } from '../harness.ts';

// Which of a group's events its statement stored, when some were stored before: on SQLite the
// insert no longer returns its ids (rows added are found by rowid only when some were skipped).

const pg = usePostgres();

describe.each(BACKENDS)('storing a group of events on %s', (backend) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer(backend, pg);
  });
  afterAll(async () => {
    await s?.cleanup();
  });

  const group = (anon: string, n: number) => Array.from({ length: n }, (_, i) => Event.parse(ev('acme', anon, 'page_view', 60_000 - i * 1000)));
  const store = (events: Event[]) => s.db.write.transaction().execute((trx) => storeEvents(trx, events, Date.now(), []));
  const stored = async (ids: string[]) => new Set((await s.db.read.selectFrom('events').select('id').where('id', 'in', ids).execute()).map((r) => r.id));

  it('names exactly the new events when the group mixes new ones and ids stored before', async () => {
    const before = group('mixed-a', 5);
    expect([...(await store(before)).inserted].sort()).toEqual(before.map((e) => e.id).sort());
    // Old ids first, between and last, around new ones, in another anonymous id too.
    const fresh = [...group('mixed-a', 3), ...group('mixed-b', 4)];
    const mixed = [before[0]!, fresh[0]!, fresh[1]!, before[2]!, ...fresh.slice(2), before[4]!];
    const { inserted } = await store(mixed);
    expect([...inserted].sort()).toEqual(fresh.map((e) => e.id).sort());
    expect(await stored(mixed.map((e) => e.id))).toEqual(new Set(mixed.map((e) => e.id)));
    // All stored before: none is new.
    expect((await store(mixed)).inserted.size).toBe(0);
  });

  it('answers a resent request with the new events counted and the old ones as duplicates', async () => {
    const events = [ev(s.siteKey, 'resend', 'page_view', 3000), ev(s.siteKey, 'resend', 'page_view', 2000)];
    expect((await post(s.url, { events })).json).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    const more = [ev(s.siteKey, 'resend', 'page_view', 1500), ev(s.siteKey, 'resend', 'page_view', 1000)];
    expect((await post(s.url, { events: [more[0], events[1], more[1], events[0]] })).json).toEqual({ accepted: 2, duplicates: 2, rejected: [] });
  });

  it('reads the identities of the group\'s anonymous ids', async () => {
    const identify = ev(s.siteKey, 'known-visitor', 'identify', 5000, { traits: { email: 'anna@acme.nl' }, source: 'form' });
    expect((await post(s.url, { events: [identify] })).json.accepted).toBe(1);
    const { identity } = await store([...group('known-visitor', 2), ...group('unknown-visitor', 2)]);
    expect([...identity.keys()]).toEqual(['acme\u0000known-visitor']);
  });
});
