import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Event } from '../../../shared/contracts/event.ts';
import { uuidv7 } from '../../../shared/ids.ts';
import { encodeBody } from '../../../server/db/event-rows.ts';
import { lockAll, lockKey } from '../../../server/db/locks.ts';
import { openDatabase, type OpenDatabase } from '../../../server/db/open.ts';
import { Writer } from '../../../server/db/writer.ts';
import { createIngest } from '../../../server/ingest/ingest.ts';
import { pairKey, storeEvents } from '../../../server/ingest/store-events.ts';
import { checkLiveModels, ensureDefaultModel, loadLiveState, modelsForStamp } from '../../../server/scoring/live-models.ts';
import { usePostgres } from '../harness.ts';
import { countQueries, untilAdvisoryWaiter } from '../pg-watch.ts';

// Step 3 of ingest on PostgreSQL: one call of leadglow_store_events (migration 0016) that takes
// the group's locks, stores the events once and reads their identities by (site, anonymous id);
// and a group of anonymous page views in two round trips: BEGIN, the models lock, the call and
// the live stamp in one message, then COMMIT.

const pgc = usePostgres();

const view = (site: string, anon: string, ts: number, extra: Partial<Event> = {}): Event =>
  ({ id: uuidv7(ts), type: 'page_view', ts, site, anonymousId: anon, sessionId: `s-${anon}`, url: 'https://acme.test/', ...extra }) as Event;

describe('storing a group on PostgreSQL', () => {
  let db: OpenDatabase;
  beforeEach(async () => {
    db = await openDatabase({ databaseUrl: await pgc().newDatabase() });
  });
  afterEach(async () => {
    await db.close();
  });

  it('stores each event once, bodies exactly as encoded, and reads identities by site and anonymous id', async () => {
    const now = Date.now();
    await db.write.insertInto('identities').values({ site: 'acme', anonymous_id: 'shared-id', lead_id: 'lead-acme', created_at: now }).execute();
    const hostile = view('acme', 'shared-id', now - 3, { title: `"quoted" \\ back'slash {a,b} NULL \u0007 \ud83d\ude00 \ud800 ä`, url: 'https://acme.test/?q="x"&r=\\' } as Partial<Event>);
    const other = view('globex', 'shared-id', now - 2);
    const again = { ...view('acme', 'shared-id', now - 1), id: hostile.id, ts: now - 1 }; // the same id under another ts

    const first = await db.write.transaction().execute((trx) => storeEvents(trx, [hostile, other], now, [lockKey('anon', pairKey('acme', 'shared-id'))]));
    expect([...first.inserted].sort()).toEqual([hostile.id, other.id].sort());
    // The same anonymous id on another site is another visitor: only acme's has a lead.
    expect([...first.identity]).toEqual([[pairKey('acme', 'shared-id'), 'lead-acme']]);

    const second = await db.write.transaction().execute((trx) => storeEvents(trx, [again, other], now, []));
    expect(second.inserted.size).toBe(0);
    // Some new and some not: the stored ones by id (all stored comes back as a count alone).
    const late = view('globex', 'late', now);
    const third = await db.write.transaction().execute((trx) => storeEvents(trx, [other, late], now, []));
    expect([...third.inserted]).toEqual([late.id]);
    await db.write.deleteFrom('events').where('id', '=', late.id).execute();
    const rows = await db.read.selectFrom('events').select(['id', 'site', 'ts', 'body']).orderBy('ts').execute();
    expect(rows).toEqual([
      { id: hostile.id, site: 'acme', ts: hostile.ts, body: encodeBody(JSON.parse(JSON.stringify(hostile)) as Event) },
      { id: other.id, site: 'globex', ts: other.ts, body: encodeBody(other) },
    ]);
  });

  it('waits for a lock another transaction holds on one of the group’s keys before it reads or stores', async () => {
    const now = Date.now();
    const key = lockKey('anon', pairKey('acme', 'held'));
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked = false;
    const holder = db.write.transaction().execute(async (trx) => {
      await lockAll(trx, [key]);
      // The identity the waiting group must see once it gets the lock.
      await trx.insertInto('identities').values({ site: 'acme', anonymous_id: 'held', lead_id: 'lead-held', created_at: now }).execute();
      locked = true;
      await held;
    });
    while (!locked) await new Promise((r) => setImmediate(r));
    const group = db.write.transaction().execute((trx) => storeEvents(trx, [view('acme', 'held', now)], now, [lockKey('anon', pairKey('acme', 'other')), key]));
    await untilAdvisoryWaiter(db.read, 'the group');
    expect(await db.read.selectFrom('events').select('id').execute()).toEqual([]);
    release();
    await holder;
    const stored = await group;
    expect(stored.inserted.size).toBe(1);
    expect(stored.identity.get(pairKey('acme', 'held'))).toBe('lead-held');
  });

  it('commits a group of anonymous page views in two round trips, and reloads stale models from the stamp read with them', async () => {
    await ensureDefaultModel(db.write);
    let state = await loadLiveState(db.write);
    // As the server wires it (http/app.ts): the models checked by the group's own first message.
    const ingest = createIngest({
      models: () => state.live,
      checkModels: async (trx, stamp) => {
        state = await modelsForStamp(trx, state, stamp);
      },
      now: () => Date.now(),
    });
    const writer = new Writer(db.write, ingest, {
      separateJobs: true,
      begin: async (trx, ingestOnly) => {
        if (!ingestOnly) state = await checkLiveModels(trx, state);
      },
    });
    const stale = state;
    state = { ...state, stamp: 'an older set' };
    let sent = countQueries();
    try {
      const now = Date.now();
      const events = Array.from({ length: 10 }, (_, k) => view('acme', `v${k % 3}`, now - k));
      expect(await writer.submit({ events })).toEqual({ accepted: 10, duplicates: 0 });
    } finally {
      sent.stop();
      await writer.close();
    }
    let texts = sent.texts;
    expect(texts.length).toBe(4); // the reload of the stale models was the second and third
    expect(texts[0]).toMatch(/^begin; SELECT count\(pg_advisory_xact_lock_shared\(k\)\) [^;]*; SELECT kind, id, site, lead_id FROM leadglow_store_events\(.* UNION ALL SELECT 'm', id, value, NULL FROM \(SELECT id, cast\(version as text\) AS value FROM models/s);
    expect(texts[3]).toBe('commit');
    // The stamp read with the events brought the stale state back to the live one.
    expect(state.stamp).toBe(stale.stamp);
    expect(state.live).toEqual(stale.live);

    // With the models current: two round trips, the group's message and COMMIT.
    sent = countQueries();
    const again = new Writer(db.write, ingest, { separateJobs: true });
    try {
      expect(await again.submit({ events: [view('acme', 'v9', Date.now())] })).toEqual({ accepted: 1, duplicates: 0 });
    } finally {
      sent.stop();
      await again.close();
    }
    texts = sent.texts;
    expect(texts.length).toBe(2);
    expect(texts[1]).toBe('commit');
    expect(state.stamp).toBe(stale.stamp);
    expect(Number((await db.read.selectFrom('events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(11);
  });
});
