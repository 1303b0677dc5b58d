import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmailLinksAnswer } from '../../../shared/contracts/admin.ts';
import { LeadView } from '../../../shared/contracts/api.ts';
import { startServer } from '../../../server/http/app.ts';
import { openDatabase, type OpenDatabase } from '../../../server/db/open.ts';
import { decodeEvents, leadEvents } from '../../../server/db/event-rows.ts';
import type { DB } from '../../../server/db/schema.ts';
import { BACKENDS, ev, get, post, testServer, until, usePostgres, type BackendName, type TestServer } from '../harness.ts';

// Operations that were built but untested: the CLI's erase, export and import, retention,
// rate limits and the trusted country header.

const pg = usePostgres();
const DAY = 86_400_000;
const CLI = resolve('server/cli/cli.ts');
const TABLES = ['keys', 'events', 'identities', 'identity_links', 'leads', 'lead_emails', 'lead_scores', 'models', 'stage_changes', 'audit', 'settings'] as const satisfies readonly (keyof DB)[];

/** Runs the real CLI against the storage of a (stopped) test server. */
function cli(s: TestServer, args: string[]): { code: number; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  if (s.options.databaseUrl) env.DATABASE_URL = s.options.databaseUrl;
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args, '--data', s.options.dataDir!], { encoding: 'utf8', env, timeout: 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function reopen(s: TestServer): Promise<OpenDatabase> {
  return openDatabase(s.options.databaseUrl ? { databaseUrl: s.options.databaseUrl } : { dataDir: s.options.dataDir! });
}

describe.each(BACKENDS)('CLI erase, export and import on %s', (backend: BackendName) => {
  let s: TestServer;
  let goneId: string;
  const csvDir = mkdtempSync(join(tmpdir(), 'leadglow-csv-'));
  beforeAll(async () => {
    s = await testServer(backend, pg);
    const identify = (anon: string, email: string, ago: number) => ev(s.siteKey, anon, 'identify', ago, { traits: { email, name: email.startsWith('stay') ? 'Stay Put' : 'Gone Person' }, source: 'form' });
    await post(s.url, { events: [ev(s.siteKey, 'er-laptop', 'page_view', 5000, { url: 'https://acme.test/pricing' }), identify('er-laptop', 'gone@initech.com', 4000)] });
    await post(s.url, { events: [ev(s.siteKey, 'er-phone', 'page_view', 3500, { url: 'https://acme.test/demo' }), identify('er-phone', 'GONE@initech.com', 3000)] });
    await post(s.url, { events: [ev(s.siteKey, 'stay-1', 'page_view', 3000), identify('stay-1', 'stay@initech.com', 2500)] });
    const auth = { authorization: `Bearer ${s.admin}`, 'content-type': 'application/json' };
    // An email open and an offline touchpoint: events that never had an anonymous id.
    const links = EmailLinksAnswer.parse(await (await fetch(`${s.url}/v1/email-links`, { method: 'POST', headers: auth, body: JSON.stringify({ email: 'gone@initech.com', messageId: 'm-1', targets: [], sentAt: Date.now() - DAY }) })).json());
    expect((await fetch(links.pixel, { headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0' } })).status).toBe(200);
    const track = await fetch(`${s.url}/v1/track`, { method: 'POST', headers: auth, body: JSON.stringify({ email: 'gone@initech.com', touchpoint: { kind: 'webinar', at: Date.now() - 1000, title: 'Gone at the webinar' } }) });
    expect(track.status).toBe(200);
    goneId = LeadView.parse((await get(s.url, s.rep, '/v1/leads?email=gone@initech.com')).json).lead.id;
    // The CLI works on the storage; stop the server first (its data stays until cleanup).
    await s.close();
  });
  afterAll(async () => {
    await s?.cleanup();
    rmSync(csvDir, { recursive: true, force: true });
  });

  it('exports everything about a lead as JSON', () => {
    const r = cli(s, ['export', 'Gone@Initech.com']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { lead: { id: string; emails: string[] }; events: { type: string }[]; identities: { anonymous_id: string }[]; scores: unknown[] };
    expect(out.lead).toMatchObject({ id: goneId, emails: ['gone@initech.com'] });
    expect(out.events.map((e) => e.type).sort()).toEqual(['custom', 'email_open', 'identify', 'identify', 'page_view', 'page_view']);
    expect(out.identities.map((i) => i.anonymous_id).sort()).toEqual(['er-laptop', 'er-phone']);
    expect(out.scores.length).toBeGreaterThan(0);
  }, 300_000);

  it('erases a lead from every table; the audit entry keeps no email', async () => {
    const r = cli(s, ['erase', 'gone@initech.com']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/erased lead .*: 6 events/);
    const db = await reopen(s);
    try {
      for (const table of TABLES) {
        const rows = await db.read.selectFrom(table).selectAll().execute();
        const text = JSON.stringify(rows).toLowerCase();
        expect(text, table).not.toContain('gone@initech.com');
        expect(text, table).not.toContain('gone person');
        expect(text, table).not.toContain('er-laptop');
        expect(text, table).not.toContain('er-phone');
        expect(text, table).not.toContain('gone at the webinar');
        if (table !== 'audit') expect(text, table).not.toContain(goneId);
      }
      const audit = await db.read.selectFrom('audit').selectAll().where('action', '=', 'erase').execute();
      expect(audit).toHaveLength(1);
      expect(audit[0]!.actor).toBe('cli');
      expect(JSON.parse(audit[0]!.detail)).toEqual({ leadId: goneId, events: 6 });
      expect(audit[0]!.detail).not.toContain('@');
      // The other lead is untouched.
      const stay = await db.read.selectFrom('lead_emails').select('lead_id').where('email', '=', 'stay@initech.com').executeTakeFirstOrThrow();
      const stayEvents = await leadEvents(db.read, [stay.lead_id]).execute();
      expect(stayEvents).toHaveLength(2);
    } finally {
      await db.close();
    }
    const again = cli(s, ['export', 'gone@initech.com']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/no lead with email/);
  }, 300_000);

  it('imports touchpoints and outcomes, listing rejected rows by line', async () => {
    const events = join(csvDir, `events-${backend}.csv`);
    writeFileSync(
      events,
      ['email,kind,date,title', 'stay@initech.com,webinar,2025-01-15,Scoring 101', 'nobody@initech.com,call,2025-01-16,', 'stay@initech.com,dinner,2025-01-17,', 'not-an-email,webinar,2025-01-18,', 'stay@initech.com,trade_fair,someday,'].join('\n') + '\n',
    );
    const r = cli(s, ['import', 'events', events]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^1 rows imported, 0 already imported, 1 skipped \(no lead with that email\), 3 rejected$/m);
    const lines = r.stdout.split('\n').filter((l) => l.startsWith('line '));
    expect(lines.map((l) => Number(/^line (\d+):/.exec(l)![1]))).toEqual([4, 5, 6]);
    expect(lines[0]).toMatch(/kind/);
    expect(lines[1]).toMatch(/email/);
    expect(lines[2]).toMatch(/date/);
    // Importing the same file again stores nothing twice.
    expect(cli(s, ['import', 'events', events]).stdout).toMatch(/^0 rows imported, 1 already imported/m);

    const outcomes = join(csvDir, `outcomes-${backend}.csv`);
    writeFileSync(outcomes, ['email,result,date,value', 'stay@initech.com,won,2025-02-01,1200', 'stay@initech.com,maybe,2025-02-01,'].join('\n') + '\n');
    const o = cli(s, ['import', 'outcomes', outcomes]);
    expect(o.code).toBe(2);
    expect(o.stdout).toMatch(/^1 rows imported, 0 already imported, 0 skipped \(no lead with that email\), 1 rejected$/m);
    expect(o.stdout).toMatch(/^line 3: .*won or lost/m);

    const db = await reopen(s);
    try {
      const lead = await db.read.selectFrom('leads').innerJoin('lead_emails', 'lead_emails.lead_id', 'leads.id').select(['leads.id', 'leads.outcome']).where('lead_emails.email', '=', 'stay@initech.com').executeTakeFirstOrThrow();
      expect(JSON.parse(lead.outcome!)).toMatchObject({ result: 'won', value: 1200 });
      const webinars = decodeEvents(await leadEvents(db.read, [lead.id], { types: ['custom'] }).execute());
      expect(webinars.map((w) => (w.type === 'custom' ? w.title : undefined))).toEqual(['Scoring 101']);
      const score = await db.read.selectFrom('lead_scores').select(['stage', 'state']).where('lead_id', '=', lead.id).executeTakeFirstOrThrow();
      expect(score.stage).toBe('customer');
      expect(score.state).toContain('webinar');
    } finally {
      await db.close();
    }
  }, 300_000);
});

describe.each(BACKENDS)('retention on %s', (backend: BackendName) => {
  it('deletes events older than N days at start and rebuilds the scores', async () => {
    const s = await testServer(backend, pg);
    let restarted: Awaited<ReturnType<typeof startServer>> | undefined;
    try {
      const anon = 'ret-1';
      await post(s.url, {
        events: [
          ev(s.siteKey, anon, 'page_view', 40 * DAY, { url: 'https://acme.test/pricing' }),
          ev(s.siteKey, anon, 'page_view', 2 * DAY, { url: 'https://acme.test/product/x' }),
          ev(s.siteKey, anon, 'identify', DAY, { traits: { email: 'old@initech.com' }, source: 'form' }),
          ev(s.siteKey, 'ret-anonymous', 'page_view', 45 * DAY),
        ],
      });
      const before = LeadView.parse((await get(s.url, s.rep, '/v1/leads?email=old@initech.com')).json).lead;
      expect(before.scores[0]!.interest.reasons.map((r) => r.rule)).toEqual(expect.arrayContaining(['pricing-page', 'product-page']));
      await s.close();

      restarted = await startServer({ ...s.options, retentionDays: 30 });
      const db = restarted.db;
      await until(async () => (await db.read.selectFrom('audit').select('id').where('action', '=', 'retention').execute()).length > 0, 'the retention run', 60_000, 20);
      const left = await db.read.selectFrom('events').select(['anonymous_id', 'type', 'ts']).execute();
      expect(left.every((e) => e.ts >= Date.now() - 30 * DAY)).toBe(true);
      expect(left.filter((e) => e.anonymous_id === 'ret-anonymous')).toHaveLength(0);
      expect(left.filter((e) => e.anonymous_id === anon).map((e) => e.type).sort()).toEqual(['identify', 'page_view']);
      const stored = await db.read.selectFrom('lead_scores').select('state').where('lead_id', '=', before.id).executeTakeFirstOrThrow();
      expect(stored.state).not.toContain('pricing-page');
      expect(stored.state).toContain('product-page');
      const after = LeadView.parse((await get(restarted.url, s.rep, '/v1/leads?email=old@initech.com')).json).lead;
      expect(after.scores[0]!.interest.reasons.map((r) => r.rule)).not.toContain('pricing-page');
      expect(after.scores[0]!.interest.score).toBeLessThan(before.scores[0]!.interest.score);
      const audit = await db.read.selectFrom('audit').select('detail').where('action', '=', 'retention').executeTakeFirstOrThrow();
      expect(JSON.parse(audit.detail)).toEqual({ days: 30, events: 2, leads: 1 });
    } finally {
      await restarted?.close();
      await s.cleanup();
    }
  });
});

describe('rate limits', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer('sqlite', undefined, { rateLimit: { perKey: { capacity: 2, refillPerSecond: 0.01 }, perAddress: { capacity: 3, refillPerSecond: 0.01 } } });
  });
  afterAll(async () => {
    await s?.cleanup();
  });

  it('answers 429 with Retry-After per site key, then per address, and stores nothing refused', async () => {
    const send = (key: string, anon: string) => post(s.url, { events: [ev(key, anon, 'page_view', 0)] });
    expect((await send(s.siteKey, 'rl-1')).status).toBe(200);
    expect((await send(s.siteKey, 'rl-2')).status).toBe(200);
    const third = await send(s.siteKey, 'rl-3');
    expect(third.status).toBe(429);
    expect(third.json.error).toMatch(/site key/);
    // 1 token at 0.01 per second: about 100 s.
    const retry = Number(third.headers.get('retry-after'));
    expect(retry).toBeGreaterThanOrEqual(99);
    expect(retry).toBeLessThanOrEqual(100);
    const other = await s.createKey({ role: 'site', site: 'other' });
    const fourth = await send(other, 'rl-4');
    expect(fourth.status).toBe(429);
    expect(fourth.json.error).toMatch(/address/);
    expect(Number(fourth.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const stored = (await s.db.read.selectFrom('events').select('anonymous_id').where('anonymous_id', 'like', 'rl-%').execute()).map((r) => r.anonymous_id).sort();
    expect(stored).toEqual(['rl-1', 'rl-2']);
  });
});

describe.each(BACKENDS)('trusted country header on %s', (backend: BackendName) => {
  let s: TestServer;
  let plain: TestServer;
  beforeAll(async () => {
    s = await testServer(backend, pg, { countryHeader: 'CF-IPCountry' });
    plain = await testServer(backend, pg);
  });
  afterAll(async () => {
    await s?.cleanup();
    await plain?.cleanup();
  });
  const identify = (srv: TestServer, anon: string, email: string, headers: Record<string, string>) => post(srv.url, { events: [ev(srv.siteKey, anon, 'identify', 1000, { traits: { email }, source: 'form' })] }, headers);
  const country = async (srv: TestServer, email: string) => LeadView.parse((await get(srv.url, srv.rep, `/v1/leads?email=${email}`)).json).lead.country;

  it('fills an empty profile country from the configured header only, and never overwrites it', async () => {
    await identify(s, 'c-1', 'de@initech.com', { 'cf-ipcountry': 'de' });
    expect(await country(s, 'de@initech.com')).toBe('DE');
    await identify(s, 'c-2', 'de@initech.com', { 'cf-ipcountry': 'FR' });
    expect(await country(s, 'de@initech.com')).toBe('DE');
    await identify(s, 'c-3', 'junk@initech.com', { 'cf-ipcountry': 'D1' });
    expect(await country(s, 'junk@initech.com')).toBeUndefined();
    await identify(s, 'c-4', 'other@initech.com', { 'x-country': 'NL' });
    expect(await country(s, 'other@initech.com')).toBeUndefined();
    // Without the option, anyone could claim a country: the header is ignored.
    await identify(plain, 'c-5', 'spoof@initech.com', { 'cf-ipcountry': 'US' });
    expect(await country(plain, 'spoof@initech.com')).toBeUndefined();
  });
});
