import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RescoreStatus } from '../../../shared/contracts/admin.ts';
import { openDatabase, type OpenDatabase } from '../../../server/db/open.ts';
import { createKey } from '../../../server/auth/api-keys.ts';
import { answer, ev, post, startCluster, type ClusterInstance, until, usePostgres } from '../harness.ts';

// Three `leadglow serve` processes on one PostgreSQL again, for what they share beyond
// cluster.test.ts: one rate limit (not one per instance), and a rescoring after a publish
// that survives the kill -9 of the instance running it, going on from its cursor.

const pg = usePostgres();

type Instance = ClusterInstance;

/** Capacity 30 per site key, refilling one token per 100 s: a test sees 30 and not one more. */
const CAPACITY = 30;
/** Leads to rescore: enough chunks (of 200) that the job is still running when it is killed. */
const LEADS = 4_000;

describe('three instances sharing one PostgreSQL: limits and rescoring', () => {
  let nodes: Instance[] = [];
  let stopCluster: (() => Promise<void>) | undefined;
  let db: OpenDatabase;
  let site = '';
  let admin = '';

  beforeAll(async () => {
    const databaseUrl = await pg().newDatabase();
    db = await openDatabase({ databaseUrl });
    site = await createKey(db.write, { role: 'site', site: 'acme' });
    admin = await createKey(db.write, { role: 'admin', name: 'Ada Admin' });
    const env = {
      LEADGLOW_RATE_LIMIT: `perKey=${CAPACITY}/0.01,perAddress=100000/10000`,
      LEADGLOW_RETRAIN_HOURS: '0',
      LEADGLOW_SECRET_KEY: 'cluster-test-sealing-key-0123456789abcdef',
    };
    ({ nodes, stop: stopCluster } = await startCluster(databaseUrl, env));
  }, 240_000);

  afterAll(async () => {
    await stopCluster?.();
    await db?.close();
  });

  it('a site key gets its limit once across the instances, not once per instance', async () => {
    const sent = await Promise.all(Array.from({ length: 3 * CAPACITY }, (_, i) => post(nodes[i % 3]!.url, { events: [{ ...ev(site, `limited-${i}`, 'page_view', 1000), site }] })));
    const ok = sent.filter((r) => r.status === 200).length;
    const refused = sent.filter((r) => r.status === 429);
    // Per instance it would be 3 x 30 = 90; shared, 30 (a token may refill during the run).
    expect(ok).toBeGreaterThanOrEqual(CAPACITY);
    expect(ok).toBeLessThanOrEqual(CAPACITY + 1);
    expect(refused.length).toBe(sent.length - ok);
    for (const r of refused) expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    // Each instance refused some: the buckets were the same ones.
    const refusedBy = new Set(sent.map((r, i) => (r.status === 429 ? i % 3 : -1)).filter((n) => n >= 0));
    expect(refusedBy.size).toBe(3);
    const stored = await db.read.selectFrom('events').select('id').where('anonymous_id', 'like', 'limited-%').execute();
    expect(stored).toHaveLength(ok);
    // No address reaches the table, only keyed hashes of them.
    const keys = (await db.read.selectFrom('rate_limits').select('key').execute()).map((r) => r.key);
    expect(keys.filter((k) => k.includes('127.0.0.1'))).toEqual([]);
  }, 60_000);

  it('kill -9 of the instance rescoring after a publish: another goes on from the cursor and finishes; no lead is left on the old version', async () => {
    // Leads put straight into the database (the public API would take minutes to make 12,000).
    const now = Date.now();
    await sql`INSERT INTO leads (id, emails, profile, company_domain, first_seen, last_seen, created_at)
      SELECT 'lead-' || lpad(n::text, 6, '0'), json_build_array('p' || n || '@hooli.com')::text, json_build_object('email', 'p' || n || '@hooli.com')::text, NULL, ${now}::bigint, ${now}::bigint, ${now}::bigint
      FROM generate_series(1, ${LEADS}::int) AS n`.execute(db.write);

    const auth = { authorization: `Bearer ${admin}` };
    const live = await answer(await fetch(`${nodes[0]!.url}/v1/models/b2b-starter`, { headers: auth }));
    const next = { ...live.json, version: live.json.version + 1, competitorDomains: [...live.json.competitorDomains, 'rival-two.test'] };
    const published = await answer(await fetch(`${nodes[0]!.url}/v1/models`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(next) }));
    expect(published.status).toBe(201);

    const job = () => db.read.selectFrom('rescore_jobs').selectAll().orderBy('created_at', 'desc').limit(1).executeTakeFirstOrThrow();
    // The publish answers once the version is live; the job row follows.
    await until(async () => ((await db.read.selectFrom('rescore_jobs').select('done').executeTakeFirst())?.done ?? 0) >= 400, 'two chunks rescored', 60_000, 10);
    const before = await job();
    expect(before.finished_at).toBeNull();
    const victim = nodes.find((n) => n.id === before.claimed_by)!;
    expect(victim).toBeDefined();
    const exited = new Promise((r) => victim.child.once('exit', r));
    victim.child.kill('SIGKILL');
    await exited;
    const killedAt = Date.now();
    // What the victim had committed when it died (a chunk in flight may have committed as it went).
    const atKill = await job();

    // Another instance takes the job once the lease runs out (30 s), from the cursor.
    let last = atKill;
    await until(async () => (last = await job()).finished_at !== null, 'rescoring finished by a survivor', 180_000, 50).catch((error: unknown) => {
      throw new Error(`${String(error)} (at the kill ${atKill.done}/${atKill.total}; then ${last.done}/${last.total} by ${last.claimed_by})`);
    });
    const after = await job();
    expect(after.claimed_by).not.toBe(victim.id);
    expect(nodes.filter((n) => n !== victim).map((n) => n.id)).toContain(after.claimed_by);
    // Counted once each: resumed from the cursor, not started over.
    expect(after.done).toBe(LEADS);
    expect(after.total).toBe(LEADS);
    const stale = await db.read.selectFrom('lead_scores').select('lead_id').where('model_version', '<', next.version).execute();
    expect(stale).toEqual([]);
    const scored = await db.read.selectFrom('lead_scores').select((eb) => eb.fn.countAll<number>().as('n')).where('model_version', '=', next.version).executeTakeFirstOrThrow();
    expect(Number(scored.n)).toBe(LEADS);
    // The leads at or before the cursor at the kill were not rescored again after it.
    const redone = await db.read.selectFrom('lead_scores').select('lead_id').where('lead_id', '<=', atKill.cursor).where('updated_at', '>', killedAt).execute();
    expect(redone).toEqual([]);
    // Any instance reports it done.
    const status = RescoreStatus.parse((await answer(await fetch(`${nodes.find((n) => n !== victim)!.url}/v1/rescoring`, { headers: auth }))).json);
    expect(status).toMatchObject({ running: false, done: LEADS, total: LEADS });
  }, 300_000);
});
