import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../server/db/open.ts';
import { eventOwners } from '../../../server/db/event-rows.ts';
import { BACKENDS, ev, freshStore, spawnCliServer, until, usePostgres } from '../harness.ts';

// "Every acknowledged event survives kill -9", for identify too: an acknowledged identify
// has its lead, email, identity and joined history on disk, because all of that commits in
// the transaction the acknowledgement waits for.

const pg = usePostgres();

describe.each(BACKENDS)('kill -9 during identifies on %s', (backend) => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('keeps every acknowledged identify with its lead, identity and history', async () => {
    const { dir, databaseUrl, key } = await freshStore(backend, pg, dirs);

    let server = await spawnCliServer(dir, databaseUrl);
    // anon -> email, for identifies acknowledged; batches not acknowledged are retried later.
    const ackedIdentities = new Map<string, string>();
    const acked = new Set<string>();
    const unacked: Record<string, unknown>[][] = [];
    const wrong: number[] = [];
    let stop = false;
    let n = 0;
    const client = async () => {
      while (!stop) {
        const i = n++;
        const anon = `v-${i}`;
        const email = `visitor${i}@corp${i % 7}.com`;
        // A visit and the form that identifies it, in one batch; every third visitor comes back
        // on a second device with the same email, which merges.
        const batch = [ev(key, anon, 'page_view', 2000, { url: 'https://acme.test/pricing' }), ev(key, anon, 'identify', 1000, { traits: { email: i % 3 === 2 ? `visitor${i - 1}@corp${(i - 1) % 7}.com` : email }, source: 'form' })];
        try {
          const r = await fetch(`${server.url}/v1/events`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ events: batch }) });
          if (r.status !== 200) throw new Error(String(r.status));
          const body = (await r.json()) as { accepted: number };
          if (body.accepted !== 2) wrong.push(body.accepted);
          batch.forEach((e) => acked.add(e.id as string));
          ackedIdentities.set(anon, (batch[1]!.traits as { email: string }).email);
        } catch {
          unacked.push(batch);
          return;
        }
      }
    };
    const clients = Array.from({ length: 4 }, client);
    // Kill once enough is acknowledged (counted, not timed: a busy machine is slow).
    await until(() => ackedIdentities.size >= 40, '40 acknowledged identities', 120_000);
    server.child.kill('SIGKILL');
    await Promise.all(clients);
    stop = true;
    expect(ackedIdentities.size).toBeGreaterThanOrEqual(40);
    expect(wrong).toEqual([]);

    server = await spawnCliServer(dir, databaseUrl);
    try {
      for (const batch of unacked) {
        const r = await fetch(`${server.url}/v1/events`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ events: batch }) });
        expect(r.status).toBe(200);
        batch.forEach((e) => acked.add(e.id as string));
        ackedIdentities.set(batch[0]!.anonymousId as string, (batch[1]!.traits as { email: string }).email);
      }
    } finally {
      server.child.kill('SIGTERM');
      await new Promise((r) => server.child.once('exit', r));
    }

    const db = await openDatabase(databaseUrl ? { databaseUrl } : { dataDir: dir });
    try {
      const events = await eventOwners(db.read).execute();
      const byId = new Map(events.map((e) => [e.id, e]));
      expect(byId.size).toBe(events.length);
      for (const id of acked) expect(byId.has(id)).toBe(true);
      const emails = new Map((await db.read.selectFrom('lead_emails').select(['email', 'lead_id']).execute()).map((r) => [r.email, r.lead_id]));
      const identities = new Map((await db.read.selectFrom('identities').select(['anonymous_id', 'lead_id']).execute()).map((r) => [r.anonymous_id, r.lead_id]));
      const scored = new Set((await db.read.selectFrom('lead_scores').select('lead_id').execute()).map((r) => r.lead_id));
      for (const [anon, email] of ackedIdentities) {
        const leadId = emails.get(email);
        expect(leadId, email).toBeDefined();
        expect(identities.get(anon), anon).toBe(leadId);
        // The visit before the form joined the lead, and the lead has a score.
        for (const e of events.filter((x) => x.anonymous_id === anon)) expect(e.lead_id).toBe(leadId);
        expect(scored.has(leadId!)).toBe(true);
      }
    } finally {
      await db.close();
    }
  }, 240_000);
});
