import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RescoreStatus } from '../../../shared/contracts/admin.ts';
import { StageChange, WebhookBody } from '../../../shared/contracts/api.ts';
import { openDatabase, type OpenDatabase } from '../../../server/db/open.ts';
import { eventOwners } from '../../../server/db/event-rows.ts';
import { createKey } from '../../../server/auth/api-keys.ts';
import { verifySignature } from '../../../server/outbound/webhook-send.ts';
import { answer, ev, post, startCluster, type ClusterInstance, testServer, usePostgres, type TestServer } from '../harness.ts';

// Three server instances (separate processes, `leadglow serve`) on one PostgreSQL, driven
// through the public API only, as an operator behind a load balancer would. The issue's
// failures of a single-writer design, each checked: lost score updates, streams and webhooks
// that only saw their own instance, stale models, identity races.

const pg = usePostgres();
const SECRET = 'whsec_cluster_test_0123456789';

type Instance = ClusterInstance;
type Hit = { key: string; body: string; signature: string; status: number };

/** A webhook receiver: answers 204, except the first delivery for an email starting with `kill`, which it holds. */
async function receiver(): Promise<{ url: string; hits: Hit[]; close(): Promise<void> }> {
  const hits: Hit[] = [];
  const held: ServerResponse[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const email = (JSON.parse(body) as { change: StageChange }).change.email ?? '';
      const hold = email.startsWith('kill') && !hits.some((h) => h.body.includes(email));
      hits.push({ key: String(req.headers['idempotency-key']), body, signature: String(req.headers['leadglow-signature']), status: hold ? 0 : 204 });
      if (hold) held.push(res);
      else res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    hits,
    close: () =>
      new Promise<void>((r) => {
        held.forEach((h) => h.destroy());
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

async function until(what: string, cond: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

type Streamed = { id: number; change: StageChange };

/** GET /v1/stream read as a client would: frames parsed as they arrive. */
function openStream(url: string, token: string, lastEventId?: number): { events: Streamed[]; connected(): boolean; close(): void } {
  const ctrl = new AbortController();
  const events: Streamed[] = [];
  let connected = false;
  void (async () => {
    const r = await fetch(`${url}/v1/stream`, { headers: { authorization: `Bearer ${token}`, ...(lastEventId !== undefined ? { 'last-event-id': String(lastEventId) } : {}) }, signal: ctrl.signal });
    const reader = r.body!.getReader();
    const dec = new TextDecoder();
    let buf = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buf += dec.decode(value, { stream: true });
      for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
        const frame = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (frame.startsWith(': connected')) connected = true;
        const fields = new Map(frame.split('\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)] as const));
        if (fields.get('event') === 'stage') events.push({ id: Number(fields.get('id')), change: StageChange.parse(JSON.parse(fields.get('data')!)) });
      }
    }
  })().catch(() => undefined);
  return { events, connected: () => connected, close: () => ctrl.abort() };
}

/** A CTO who asks for a demo: sales-ready under the default model. */
const salesReady = (site: string, anon: string, email: string) => [
  ev(site, anon, 'identify', 3000, { traits: { email, name: 'Pat', jobTitle: 'CTO' }, source: 'form' }),
  ev(site, anon, 'form_submit', 2000, { formId: 'demo-request', fields: ['email'] }),
];

const withSite = (events: Record<string, unknown>[], site: string) => events.map((e) => ({ ...e, site }));

describe('three instances on one PostgreSQL', () => {
  let nodes: Instance[] = [];
  let stopCluster: (() => Promise<void>) | undefined;
  let db: OpenDatabase;
  let rx: Awaited<ReturnType<typeof receiver>>;
  let site = '';
  let rep = '';
  let admin = '';

  beforeAll(async () => {
    rx = await receiver();
    const databaseUrl = await pg().newDatabase();
    db = await openDatabase({ databaseUrl });
    site = await createKey(db.write, { role: 'site', site: 'acme' });
    rep = await createKey(db.write, { role: 'rep', name: 'Rita Rep' });
    admin = await createKey(db.write, { role: 'admin', name: 'Ada Admin' });
    const env = {
      LEADGLOW_WEBHOOK_URL: rx.url,
      LEADGLOW_WEBHOOK_SECRET: SECRET,
      // Short enough for the kill -9 case to finish soon, long enough not to time out a slow receiver.
      LEADGLOW_WEBHOOK_TIMEOUT_MS: '5000',
      LEADGLOW_RATE_LIMIT: 'off',
      LEADGLOW_RETRAIN_HOURS: '0',
      // Every instance seals and opens the database's secrets with the same key (README: Running several instances).
      LEADGLOW_SECRET_KEY: 'cluster-test-sealing-key-0123456789abcdef',
    };
    ({ nodes, stop: stopCluster } = await startCluster(databaseUrl, env));
  }, 240_000);

  afterAll(async () => {
    await stopCluster?.();
    await db?.close();
    await rx?.close();
  });

  it('two instances scoring the same leads at once give each lead exactly the single-instance score', async () => {
    const [A, B, C] = nodes as [Instance, Instance, Instance];
    const N = 30;
    const identifies = Array.from({ length: N }, (_, i) => ev('', `pair-${i}`, 'identify', 60_000, { traits: { email: `pair${i}@hooli.com` }, source: 'form' }));
    // A product view (5 points) and a case study (8), the later one sometimes committed first.
    const product = Array.from({ length: N }, (_, i) => ev('', `pair-${i}`, 'page_view', 20_000 - (i % 2) * 10_000, { url: 'https://acme.test/product' }));
    const cases = Array.from({ length: N }, (_, i) => ev('', `pair-${i}`, 'page_view', 15_000, { url: 'https://acme.test/case-studies/acme' }));

    expect((await post(C.url, { events: withSite(identifies, site) })).status).toBe(200);
    const sent = await Promise.all(
      Array.from({ length: N }, (_, i) => [post(A.url, { events: withSite([product[i]!], site) }), post(B.url, { events: withSite([cases[i]!], site) })]).flat(),
    );
    expect(sent.map((r) => r.status)).toEqual(sent.map(() => 200));

    // The same events through one instance.
    let single: TestServer | undefined;
    try {
      single = await testServer('sqlite', undefined);
      expect((await post(single.url, { events: withSite(identifies, single.siteKey) })).status).toBe(200);
      for (let i = 0; i < N; i++) expect((await post(single.url, { events: withSite([product[i]!, cases[i]!], single.siteKey) })).status).toBe(200);
      const rows = async (d: OpenDatabase) =>
        new Map(
          (
            await d.read
              .selectFrom('lead_scores')
              .innerJoin('lead_emails', 'lead_emails.lead_id', 'lead_scores.lead_id')
              .innerJoin('leads', 'leads.id', 'lead_scores.lead_id')
              .select(['lead_emails.email', 'lead_scores.state', 'lead_scores.stage', 'leads.first_seen', 'leads.last_seen'])
              .where('lead_emails.email', 'like', 'pair%')
              .execute()
          ).map((r) => [r.email, { state: JSON.parse(r.state) as unknown, stage: r.stage, first: r.first_seen, last: r.last_seen }]),
        );
      const cluster = await rows(db);
      const one = await rows(single.db);
      expect(cluster.size).toBe(N);
      for (let i = 0; i < N; i++) {
        const email = `pair${i}@hooli.com`;
        expect(cluster.get(email), email).toEqual(one.get(email));
        // last_seen is the newest event's, never an older one written last.
        expect(cluster.get(email)!.last).toBe(Math.max(product[i]!.ts as number, cases[i]!.ts as number));
      }
      // Both views counted for every lead: 13 points of interest each, not 5 or 8.
      const lead = await answer(await fetch(`${C.url}/v1/leads?email=pair0@hooli.com`, { headers: { authorization: `Bearer ${rep}` } }));
      const reasons = (lead.json.lead.scores[0].interest.reasons as { rule: string }[]).map((r) => r.rule);
      expect(reasons).toEqual(expect.arrayContaining(['case-study', 'product-page']));
    } finally {
      await single?.cleanup();
    }
  }, 120_000);

  it('a stream on B sees a change made through A, once; a stream resuming on C from Last-Event-ID gets the same', async () => {
    const [A, B, C] = nodes as [Instance, Instance, Instance];
    const onB = openStream(B.url, rep);
    try {
      await until('stream connected', () => onB.connected());
      expect((await post(A.url, { events: salesReady(site, 'stream-1', 'stream@hooli.com') })).status).toBe(200);
      await until('the change through A on B', () => onB.events.some((e) => e.change.email === 'stream@hooli.com'));
      // A later change through C: anything duplicated would have come before it.
      expect((await post(C.url, { events: [ev(site, 'marker-1', 'identify', 1000, { traits: { email: 'marker@hooli.com' }, source: 'form' })] })).status).toBe(200);
      await until('the marker on B', () => onB.events.some((e) => e.change.email === 'marker@hooli.com'));
      const mine = onB.events.filter((e) => e.change.email === 'stream@hooli.com');
      expect(mine.map((e) => e.change.to)).toEqual(['sales_ready']);
      const ids = onB.events.map((e) => e.id);
      expect(ids).toEqual([...new Set(ids)].sort((a, b) => a - b));

      // A rep whose connection dropped resumes on another instance from the last id it saw.
      const onC = openStream(C.url, rep, mine[0]!.id - 1);
      try {
        await until('replay on C', () => onC.events.some((e) => e.change.email === 'marker@hooli.com'));
        expect(onC.events.map((e) => e.id)).toEqual(onB.events.filter((e) => e.id >= mine[0]!.id).map((e) => e.id));
      } finally {
        onC.close();
      }
    } finally {
      onB.close();
    }
  }, 60_000);

  it('every stage change is delivered to the webhook exactly once, signed, with its idempotency key', async () => {
    let rows: { key: string; delivered_at: number | null }[] = [];
    await until('every outbox row delivered', async () => {
      rows = await db.read.selectFrom('outbox').select(['key', 'delivered_at']).execute();
      return rows.length > 0 && rows.every((r) => r.delivered_at !== null);
    });
    expect(rows.length).toBeGreaterThanOrEqual(30);
    for (const r of rows) {
      const copies = rx.hits.filter((h) => h.key === r.key);
      expect(copies.length, r.key).toBe(1);
      const body = WebhookBody.parse(JSON.parse(copies[0]!.body));
      expect(body.idempotencyKey).toBe(r.key);
      expect(verifySignature(SECRET, copies[0]!.body, copies[0]!.signature, { nowSec: Math.floor(Date.now() / 1000) })).toEqual({ ok: true });
    }
  }, 60_000);

  it('after a publish through A, no event is scored with the old version on B or C', async () => {
    const [A, B, C] = nodes as [Instance, Instance, Instance];
    const live = await answer(await fetch(`${A.url}/v1/models/b2b-starter`, { headers: { authorization: `Bearer ${admin}` } }));
    // The new version excludes rival.test: under it a CTO there asking for a demo is disqualified, under the old one sales-ready.
    const next = { ...live.json, version: live.json.version + 1, competitorDomains: ['rival.test'] };
    const published = await answer(await fetch(`${A.url}/v1/models`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify(next) }));
    expect(published.status).toBe(201);
    const sent = await Promise.all(Array.from({ length: 12 }, (_, i) => post((i % 2 ? B : C).url, { events: salesReady(site, `rival-${i}`, `cto${i}@rival.test`) })));
    expect(sent.map((r) => r.status)).toEqual(sent.map(() => 200));
    const changes = async () =>
      (await db.read.selectFrom('outbox').select('change').execute()).map((r) => StageChange.parse(JSON.parse(r.change))).filter((c) => c.email?.endsWith('@rival.test'));
    await until('every rival lead scored', async () => new Set((await changes()).map((c) => c.leadId)).size === 12);
    const all = await changes();
    expect(all.filter((c) => c.to !== 'disqualified')).toEqual([]);
    // B and C serve the new version without a restart.
    for (const n of [B, C]) {
      const m = await answer(await fetch(`${n.url}/v1/models/b2b-starter`, { headers: { authorization: `Bearer ${admin}` } }));
      expect(m.json.version).toBe(next.version);
    }
    // The rescoring runs in the background; any instance reports its progress.
    let status: RescoreStatus = { running: true };
    await until('rescoring finished', async () => {
      status = RescoreStatus.parse((await answer(await fetch(`${C.url}/v1/rescoring`, { headers: { authorization: `Bearer ${admin}` } }))).json);
      return !status.running;
    });
    expect(status.done).toBe(status.total);
    const stale = await db.read.selectFrom('lead_scores').select('lead_id').where('model_version', '<', next.version).execute();
    expect(stale).toEqual([]);
  }, 60_000);

  it('concurrent identifies of one email on two instances, with the visitors browsing on a third: one lead, no 503, no orphaned event', async () => {
    const [A, B, C] = nodes as [Instance, Instance, Instance];
    const visitors = Array.from({ length: 50 }, (_, i) => `same-${i}`);
    const requests = visitors.flatMap((anon, i) => [
      post((i % 2 ? A : B).url, { events: [ev(site, anon, 'identify', 5000, { traits: { email: 'same@hooli.com' }, source: 'form' })] }),
      post(C.url, { events: Array.from({ length: 5 }, (_, k) => ev(site, anon, 'page_view', 4000 - k, { url: `https://acme.test/product/${k}` })) }),
    ]);
    const statuses = (await Promise.all(requests)).map((r) => r.status);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    const leads = await db.read.selectFrom('lead_emails').select('lead_id').where('email', '=', 'same@hooli.com').execute();
    expect(leads).toHaveLength(1);
    const events = await eventOwners(db.read).where('e.site', '=', 'acme').where('e.anonymous_id', 'in', visitors).execute();
    expect(events).toHaveLength(300);
    expect(events.filter((e) => e.lead_id !== leads[0]!.lead_id)).toEqual([]);
  }, 60_000);

  it('kill -9 of the instance delivering a webhook: delivered again by another, every copy with the same idempotency key', async () => {
    const [A] = nodes as [Instance, Instance, Instance];
    expect((await post(A.url, { events: salesReady(site, 'kill-1', 'kill@hooli.com') })).status).toBe(200);
    await until('the held delivery', () => rx.hits.some((h) => h.body.includes('kill@hooli.com')));
    const first = rx.hits.find((h) => h.body.includes('kill@hooli.com'))!;
    const row = await db.read.selectFrom('outbox').select(['claimed_by', 'delivered_at']).where('key', '=', first.key).executeTakeFirstOrThrow();
    expect(row.delivered_at).toBeNull();
    const victim = nodes.find((n) => n.id === row.claimed_by)!;
    expect(victim).toBeDefined();
    const exited = new Promise((r) => victim.child.once('exit', r));
    victim.child.kill('SIGKILL');
    await exited;
    await until('delivered by a survivor', () => rx.hits.some((h) => h.key === first.key && h.status === 204));
    const copies = rx.hits.filter((h) => h.body.includes('kill@hooli.com'));
    expect(copies.length).toBeGreaterThanOrEqual(2);
    for (const c of copies) {
      expect(c.key).toBe(first.key);
      expect(WebhookBody.parse(JSON.parse(c.body)).idempotencyKey).toBe(first.key);
    }
    await until('marked delivered', async () => (await db.read.selectFrom('outbox').select('delivered_at').where('key', '=', first.key).executeTakeFirstOrThrow()).delivered_at !== null);
  }, 60_000);
});
