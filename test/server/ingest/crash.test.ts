import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../server/db/open.ts';
import { BACKENDS, ev, freshStore, spawnCliServer, until, usePostgres } from '../harness.ts';

// kill -9 during sustained ingest: every acknowledged event survives, and after the client
// retries what was not acknowledged, every event is stored exactly once.

const pg = usePostgres();

describe.each(BACKENDS)('kill -9 on %s', (backend) => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('loses no acknowledged event and stores none twice', async () => {
    const { dir, databaseUrl, key } = await freshStore(backend, pg, dirs);

    let server = await spawnCliServer(dir, databaseUrl);
    const acked = new Set<string>();
    const unacked: Record<string, unknown>[][] = [];
    const sent = new Set<string>();
    let stop = false;
    let n = 0;
    const client = async () => {
      while (!stop) {
        const batch = Array.from({ length: 10 }, () => ev(key, `crash-${n++ % 50}`, 'page_view', 1000));
        batch.forEach((e) => sent.add(e.id as string));
        try {
          const r = await fetch(`${server.url}/v1/events`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ events: batch }) });
          if (r.status !== 200) throw new Error(String(r.status));
          await r.json();
          batch.forEach((e) => acked.add(e.id as string));
        } catch {
          unacked.push(batch);
          return;
        }
      }
    };
    const clients = Array.from({ length: 6 }, client);
    // Kill once enough is acknowledged, however long that takes on a busy machine (a fixed
    // 1.5 s and a minimum count failed there); the clients are still sending at the kill.
    await until(() => acked.size >= 200, '200 acknowledged events', 120_000);
    server.child.kill('SIGKILL');
    await Promise.all(clients);
    stop = true;
    expect(acked.size).toBeGreaterThanOrEqual(200);
    expect(unacked.length).toBeGreaterThan(0);

    server = await spawnCliServer(dir, databaseUrl);
    try {
      // The client retries what was not acknowledged, plus one acknowledged batch again.
      let duplicates = 0;
      for (const batch of [...unacked, [...acked].slice(0, 10).map((id) => ({ ...ev(key, 'crash-x', 'page_view', 1000), id }))]) {
        const r = await fetch(`${server.url}/v1/events`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ events: batch }) });
        expect(r.status).toBe(200);
        duplicates += ((await r.json()) as { duplicates: number }).duplicates;
      }
      expect(duplicates).toBeGreaterThanOrEqual(10);
    } finally {
      server.child.kill('SIGTERM');
      await new Promise((r) => server.child.once('exit', r));
    }

    const db = await openDatabase(databaseUrl ? { databaseUrl } : { dataDir: dir });
    try {
      const rows = await db.read.selectFrom('events').select('id').execute();
      const stored = new Set(rows.map((r) => r.id));
      expect(stored.size).toBe(rows.length);
      for (const id of acked) expect(stored.has(id)).toBe(true);
      expect(stored.size).toBe(sent.size);
    } finally {
      await db.close();
    }
  }, 240_000);
});
