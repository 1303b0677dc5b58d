import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Event } from '../../../shared/contracts/event.ts';
import { TrackRequest } from '../../../shared/contracts/admin.ts';
import { HotList, LeadView } from '../../../shared/contracts/api.ts';
import { generateDemo } from '../../../server/demo/generate-demo.ts';
import { seedDemo, type SeedResult } from '../../../server/demo/seed.ts';
import { testServer, type TestServer } from '../harness.ts';

// The demo history: deterministic, valid under the contracts, and, sent through the real
// ingest path, a server with leads in every interesting stage and a hot list.

const NOW = Date.UTC(2025, 5, 1, 12);
const ORIGIN = 'http://127.0.0.1:8788';

describe('generateDemo', () => {
  it('is deterministic: the same seed gives the same events, ids included', () => {
    const a = generateDemo({ seed: 7, now: NOW });
    const b = generateDemo({ seed: 7, now: NOW });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    const c = generateDemo({ seed: 8, now: NOW });
    expect(c.events[0]!.id).not.toBe(a.events[0]!.id);
  });

  it('makes a few hundred leads over 90 days with every kind of event, all valid and in order', () => {
    const d = generateDemo({ seed: 1, now: NOW });
    expect(d.leads).toBe(300);
    const types = new Set(d.events.map((e) => e.type));
    for (const t of ['page_view', 'engagement', 'download', 'form_submit', 'identify', 'click', 'email_open', 'email_click'] as const) expect(types).toContain(t);
    expect(d.events.some((e) => e.type === 'email_open' && e.machine)).toBe(true);
    expect(d.events.some((e) => e.type === 'form_submit' && e.formId === 'demo-request')).toBe(true);
    expect(d.events.some((e) => e.type === 'form_submit' && e.formId === 'contact-sales')).toBe(true);
    expect(new Set(d.events.filter((e) => e.type === 'identify').map((e) => (e.type === 'identify' ? e.traits.email : ''))).size).toBe(300);
    for (const e of d.events) {
      expect(Event.safeParse(e).success, JSON.stringify(e)).toBe(true);
      expect(e.ts).toBeGreaterThanOrEqual(NOW - 90 * 86_400_000);
      expect(e.ts).toBeLessThan(NOW);
    }
    for (let i = 1; i < d.events.length; i++) expect(d.events[i]!.ts).toBeGreaterThanOrEqual(d.events[i - 1]!.ts);
    expect(new Set(d.events.map((e) => e.id)).size).toBe(d.events.length);
    for (const t of d.track) expect(TrackRequest.safeParse(t).success).toBe(true);
    const outcomes = d.track.flatMap((t) => (t.outcome ? [t.outcome.result] : []));
    expect(outcomes).toContain('won');
    expect(outcomes).toContain('lost');
    const industries = new Set(d.firmographics.map((f) => f.company?.industry).filter(Boolean));
    expect(industries.size).toBeGreaterThan(5);
  });
});

describe('seedDemo on a real server', () => {
  let server: TestServer;
  let result: SeedResult;
  let siteKey: string;
  beforeAll(async () => {
    server = await testServer('sqlite', undefined);
    siteKey = await server.createKey({ role: 'site', site: 'demo', origins: [ORIGIN] });
    result = await seedDemo({ url: server.url, db: server.db, siteKey, adminToken: server.admin, origin: ORIGIN }, { seed: 1 });
  }, 60_000);
  afterAll(async () => {
    await server?.cleanup();
  });

  it('stores every event and leaves leads in several stages, customers included', async () => {
    expect(result.skipped).toBe(false);
    const stored = await server.db.read.selectFrom('events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    // plus one custom event per offline touchpoint
    expect(Number(stored.n)).toBeGreaterThanOrEqual(result.events);
    const leads = await server.db.read.selectFrom('leads').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(leads.n)).toBe(300);
    const rows = await server.db.read.selectFrom('lead_scores').select('stage').execute();
    const stages = new Set(rows.map((r) => r.stage));
    for (const s of ['known', 'engaged', 'mql', 'sales_ready', 'customer']) expect(stages).toContain(s);
  });

  it('has a non-empty hot list, and enriched companies on the leads', async () => {
    const res = await fetch(`${server.url}/v1/hot`, { headers: { authorization: `Bearer ${server.rep}` } });
    expect(res.status).toBe(200);
    const hot = HotList.parse(await res.json());
    expect(hot.items.length).toBeGreaterThan(10);
    const withCompany = hot.items.find((h) => h.company)!;
    const res2 = await fetch(`${server.url}/v1/leads/${withCompany.id}`, { headers: { authorization: `Bearer ${server.rep}` } });
    const view = LeadView.parse(await res2.json());
    expect(view.lead.company?.industry).toBeTruthy();
    expect(view.lead.company?.size).toBeGreaterThan(0);
    expect(view.lead.scores[0]!.fit.reasons.some((r) => r.rule === "target-industry" || r.rule === "company-size" || r.rule === "service-area")).toBe(true);
  });

  it('seeds only once: a second call keeps the database as it is', async () => {
    const again = await seedDemo({ url: server.url, db: server.db, siteKey, adminToken: server.admin, origin: ORIGIN }, { seed: 1 });
    expect(again.skipped).toBe(true);
    expect(again.existingLeads).toBe(300);
  });

  it('stops at a refused batch, naming the route and the answer, and stores nothing more', async () => {
    const before = await server.db.read.selectFrom('events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    await expect(seedDemo({ url: server.url, db: server.db, siteKey: 'not-a-key', adminToken: server.admin, origin: ORIGIN }, { seed: 2, force: true })).rejects.toThrow(/^seeding: POST \/v1\/events answered 40[13]: /);
    const after = await server.db.read.selectFrom('events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});
