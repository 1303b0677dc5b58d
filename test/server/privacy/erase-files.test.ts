import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmailLinksAnswer } from '../../../shared/contracts/admin.ts';
import { ERASED_TABLES } from '../../../server/db/scrub.ts';
import { BACKENDS, ev, post, testServer, usePostgres, type BackendName, type TestServer } from '../harness.ts';

// Issue 18, finding 2: after `leadglow erase` and a checkpoint, `strings leadglow.db` still found
// the email, name and anonymous id. Here the bytes themselves are searched: the SQLite files
// (database and WAL) and, on PostgreSQL, every tuple and index entry of the erased tables.

const pgc = usePostgres();
const CLI = resolve('server/cli/cli.ts');
// Distinctive, so that a hit can only be the erased person.
const EMAIL = 'zq-erase-me@initech.com';
const NAME = 'Zebulon Quuxworth';
const ANON = 'anon-zq-laptop-7731';
const NEEDLES = [EMAIL, NAME, ANON];

function cli(s: TestServer, args: string[]): { code: number; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  if (s.options.databaseUrl) env.DATABASE_URL = s.options.databaseUrl;
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args, '--data', s.options.dataDir!], { encoding: 'utf8', env, timeout: 120_000 });
  return { code: r.status ?? -1, stderr: r.stderr };
}

describe.each(BACKENDS)('erase leaves no bytes on %s', (backend: BackendName) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer(backend, pgc);
    // Enough rows that pages split and rows move: old copies of a row are what strings found.
    for (let i = 0; i < 5; i++) {
      const others = Array.from({ length: 40 }, (_, j) => ev(s.siteKey, `other-${i}-${j}`, 'page_view', 9000 - j, { url: `https://acme.test/p/${i}/${j}` }));
      await post(s.url, { events: [...others, ev(s.siteKey, ANON, 'page_view', 8000 - i, { url: `https://acme.test/pricing/${i}` })] });
    }
    await post(s.url, { events: [ev(s.siteKey, ANON, 'identify', 5000, { traits: { email: EMAIL, name: NAME, jobTitle: 'Head of Erasure' }, source: 'form' })] });
    await post(s.url, { events: [ev(s.siteKey, 'stay-zq', 'identify', 4000, { traits: { email: 'stay@initech.com', name: 'Stay Here' }, source: 'form' })] });
    const auth = { authorization: `Bearer ${s.admin}`, 'content-type': 'application/json' };
    const links = EmailLinksAnswer.parse(await (await fetch(`${s.url}/v1/email-links`, { method: 'POST', headers: auth, body: JSON.stringify({ email: EMAIL, messageId: 'm-zq', targets: [], sentAt: Date.now() - 86_400_000 }) })).json());
    expect((await fetch(links.pixel, { headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0' } })).status).toBe(200);
    await s.close();
  }, 300_000);
  afterAll(async () => {
    await s?.cleanup();
  });

  it('finds the person before and nowhere after `leadglow erase`', async () => {
    const hits = backend === 'sqlite' ? () => sqliteHits(s.options.dataDir!) : () => postgresHits(s.options.databaseUrl!);
    expect((await hits()).length).toBeGreaterThan(0);
    const r = cli(s, ['erase', EMAIL]);
    expect(r.code, r.stderr).toBe(0);
    expect(await hits()).toEqual([]);
  }, 300_000);
});

/** Which needles occur in which SQLite file (database, WAL, rollback journal). */
function sqliteHits(dir: string): string[] {
  const found: string[] = [];
  for (const name of ['leadglow.db', 'leadglow.db-wal', 'leadglow.db-journal']) {
    const file = join(dir, name);
    if (!existsSync(file)) continue;
    const bytes = readFileSync(file);
    for (const n of NEEDLES) if (bytes.includes(Buffer.from(n, 'utf8'))) found.push(`${name}: ${n}`);
  }
  return found;
}

/**
 * Which needles occur in a tuple (live or dead) or an index entry of the erased tables, read
 * straight from the pages with pageinspect, so rows that VACUUM has not yet removed count.
 */
async function postgresHits(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS pageinspect');
    const found: string[] = [];
    for (const table of ERASED_TABLES) {
      const tuples = await client.query<{ data: Buffer }>(
        `SELECT t.t_data AS data FROM generate_series(0, (pg_relation_size($1::regclass) / current_setting('block_size')::int) - 1) AS p,
           LATERAL heap_page_items(get_raw_page($1::text, p::int)) AS t WHERE t.t_data IS NOT NULL`,
        [table],
      );
      const indexes = await client.query<{ index: string }>(`SELECT indexrelid::regclass::text AS index FROM pg_index WHERE indrelid = $1::regclass`, [table]);
      const entries: Buffer[] = [];
      for (const { index } of indexes.rows) {
        const blocks = await client.query<{ n: number }>(`SELECT (pg_relation_size($1::regclass) / current_setting('block_size')::int)::int AS n`, [index]);
        // Block 0 is the B-tree's meta page.
        for (let b = 1; b < blocks.rows[0]!.n; b++) {
          const items = await client.query<{ data: string }>(`SELECT data FROM bt_page_items($1::text, $2::int)`, [index, b]);
          for (const it of items.rows) entries.push(Buffer.from(it.data.replace(/ /g, ''), 'hex'));
        }
      }
      for (const n of NEEDLES) {
        const needle = Buffer.from(n, 'utf8');
        if (tuples.rows.some((t) => t.data.includes(needle))) found.push(`${table}: ${n}`);
        if (entries.some((e) => e.includes(needle))) found.push(`${table} index: ${n}`);
      }
    }
    return found;
  } finally {
    await client.end();
  }
}
