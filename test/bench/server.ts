import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { startServer } from '../../server/app.ts';
import { uuidv7 } from '../../shared/ids.ts';

// Ingest and lookup benchmark on loopback. Ingest: 10-event batches, each acknowledged only
// after its transaction committed, against a bare node:http server answering 204 to the same
// bodies in the same run (the ratio is the figure that travels between machines). Lookup:
// GET /v1/leads?email= on a seeded database. Sizes come from the environment:
//   BENCH_SECONDS (default 5 per phase), BENCH_CONCURRENCY (32), BENCH_LEADS (20000),
//   BENCH_EVENTS_PER_LEAD (20), BENCH_LOOKUPS (3000).

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const LEADS = Number(process.env.BENCH_LEADS ?? 20_000);
const PER_LEAD = Number(process.env.BENCH_EVENTS_PER_LEAD ?? 20);
const LOOKUPS = Number(process.env.BENCH_LOOKUPS ?? 3_000);
const MAX_REQUESTS = 2_000_000;

type Load = { requests: number; seconds: number; latencies: number[]; errors: number };

/** A bounded closed-loop load generator: `concurrency` workers, until `seconds` or `max` requests. */
async function load(seconds: number, concurrency: number, request: (i: number) => Promise<boolean>): Promise<Load> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end && next < MAX_REQUESTS) {
        const i = next++;
        const t = performance.now();
        const ok = await request(i).catch(() => false);
        latencies.push(performance.now() - t);
        if (!ok) errors++;
      }
    }),
  );
  return { requests: latencies.length, seconds: (performance.now() - start) / 1000, latencies, errors };
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function batchBody(key: string, i: number, ts: number): string {
  const events = Array.from({ length: 10 }, (_, k) => ({
    id: uuidv7(ts),
    type: 'page_view',
    ts,
    site: key,
    anonymousId: `bench-${i % 5000}`,
    sessionId: `s-${i % 5000}`,
    url: `https://acme.test/page/${k}`,
    title: 'A page of the benchmark site',
  }));
  return JSON.stringify({ events, sentAt: ts });
}

export async function benchServer(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'leadglow-bench-'));
  const server = await startServer({ port: 0, host: '127.0.0.1', dataDir: dir, rateLimit: false, ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}) });
  const bare = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(204);
      res.end();
    });
  });
  await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
  try {
    const key = await server.createKey({ role: 'site', site: 'bench' });
    const rep = await server.createKey({ role: 'rep' });
    const now = Date.now();
    const bodies = Array.from({ length: 64 }, (_, i) => batchBody(key, i, now));
    const post = (url: string, body: string) => fetch(`${url}/v1/events`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body });

    console.log(`server benchmark (${server.db.backend}; ${CONCURRENCY} concurrent clients, ${SECONDS} s per phase, loopback)`);
    // Warm-up, then the bare baseline, then ingest (fresh ids per request).
    await load(1, CONCURRENCY, async (i) => (await post(bareUrl, bodies[i % 64]!)).status === 204);
    const base = await load(SECONDS, CONCURRENCY, async (i) => {
      const r = await post(bareUrl, bodies[i % 64]!);
      await r.arrayBuffer();
      return r.status === 204;
    });
    const ingest = await load(SECONDS, CONCURRENCY, async (i) => {
      const r = await post(server.url, batchBody(key, i, now));
      const j = (await r.json()) as { accepted?: number };
      return r.status === 200 && j.accepted === 10;
    });
    const baseRps = base.requests / base.seconds;
    const rps = ingest.requests / ingest.seconds;
    const lat = ingest.latencies.sort((a, b) => a - b);
    console.log(`  bare node:http     ${baseRps.toFixed(0)} req/s`);
    console.log(`  ingest (durable)   ${rps.toFixed(0)} req/s = ${(rps * 10).toFixed(0)} events/s; p50 ${pct(lat, 50).toFixed(2)} ms, p99 ${pct(lat, 99).toFixed(2)} ms; errors ${ingest.errors}`);
    console.log(`  ratio ingest/bare  ${(rps / baseRps).toFixed(3)} (goal >= 0.25 on SQLite)`);

    // Lookup: seed leads with histories straight into the database, then time the API.
    const t0 = performance.now();
    await seed(server, LEADS, PER_LEAD, now);
    console.log(`  seeded ${LEADS} leads x ${PER_LEAD} events = ${LEADS * PER_LEAD} events in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const lookup = await load(60, 8, async (i) => {
      if (i >= LOOKUPS) return true;
      const j = (i * 7919) % LEADS;
      const r = await fetch(`${server.url}/v1/leads?email=lead${j}@corp${j % 100}.example`, { headers: { authorization: `Bearer ${rep}` } });
      await r.arrayBuffer();
      return r.status === 200;
    }).then((l) => ({ ...l, latencies: l.latencies.slice(0, LOOKUPS) }));
    const ll = lookup.latencies.sort((a, b) => a - b);
    console.log(`  lead lookup (client-side, incl. HTTP)  p50 ${pct(ll, 50).toFixed(2)} ms, p99 ${pct(ll, 99).toFixed(2)} ms over ${ll.length} lookups; errors ${lookup.errors}`);
    // Server-side: the query work alone, as the handler runs it.
    const { leadView, leadIdByEmail } = await import('../../server/views.ts');
    const { loadLiveModels } = await import('../../server/models.ts');
    const live = await loadLiveModels(server.db.read);
    const server_ms: number[] = [];
    for (let i = 0; i < LOOKUPS; i++) {
      const t = performance.now();
      const j = (i * 7919) % LEADS;
      const id = await leadIdByEmail(server.db.read, `lead${j}@corp${j % 100}.example`);
      await leadView(server.db.read, live, id!, Date.now());
      server_ms.push(performance.now() - t);
    }
    server_ms.sort((a, b) => a - b);
    console.log(`  lead lookup (server-side)              p50 ${pct(server_ms, 50).toFixed(2)} ms, p99 ${pct(server_ms, 99).toFixed(2)} ms (goal p99 < 5 ms)`);
  } finally {
    bare.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function seed(server: Awaited<ReturnType<typeof startServer>>, leads: number, perLead: number, now: number): Promise<void> {
  const { defaultModel, stateFromHistory, readScore } = await import('../../shared/scoring/index.ts');
  const paths = ['/pricing', '/product/a', '/blog/x', '/case-studies/y', '/demo', '/'];
  for (let start = 0; start < leads; start += 500) {
    await server.db.write.transaction().execute(async (trx) => {
      const leadRowsV = [];
      const emailRows = [];
      const scoreRows = [];
      const eventRows = [];
      for (let i = start; i < Math.min(leads, start + 500); i++) {
        const id = uuidv7(now - i);
        const email = `lead${i}@corp${i % 100}.example`;
        const profile = { email, name: `Lead ${i}`, jobTitle: i % 3 ? 'Engineer' : 'VP Engineering', company: { domain: `corp${i % 100}.example` } };
        const events = Array.from({ length: perLead }, (_, k) => {
          const ts = now - (perLead - k) * 3_600_000 - i;
          return { id: uuidv7(ts), type: 'page_view' as const, ts, site: 'bench', anonymousId: `seed-${i}`, sessionId: `seed-${i}`, url: `https://acme.test${paths[(i + k) % paths.length]}` };
        });
        const state = stateFromHistory(defaultModel, events);
        const score = readScore(defaultModel, { profile }, state, now);
        leadRowsV.push({ id, emails: JSON.stringify([email]), profile: JSON.stringify(profile), company_domain: profile.company.domain, feedback: null, outcome: null, first_seen: events[0]!.ts, last_seen: events[events.length - 1]!.ts, created_at: now });
        emailRows.push({ email, lead_id: id });
        scoreRows.push({ lead_id: id, model_id: defaultModel.id, model_version: defaultModel.version, state: JSON.stringify(state), stage: score.stage, fit: score.fit.score, interest: score.interest.score, updated_at: now });
        for (const e of events) eventRows.push({ id: e.id, site: 'bench', anonymous_id: e.anonymousId, lead_id: id, ts: e.ts, type: e.type, body: JSON.stringify(e), received_at: now });
      }
      for (let i = 0; i < leadRowsV.length; i += 100) await trx.insertInto('leads').values(leadRowsV.slice(i, i + 100)).execute();
      for (let i = 0; i < emailRows.length; i += 400) await trx.insertInto('lead_emails').values(emailRows.slice(i, i + 400)).execute();
      for (let i = 0; i < scoreRows.length; i += 100) await trx.insertInto('lead_scores').values(scoreRows.slice(i, i + 100)).execute();
      for (let i = 0; i < eventRows.length; i += 400) await trx.insertInto('events').values(eventRows.slice(i, i + 400)).execute();
    });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchServer();
