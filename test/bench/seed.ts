import Database from 'better-sqlite3';
import { join, resolve } from 'node:path';
import pg from 'pg';
import type { Event } from '../../shared/contracts/event.ts';
import type { LeadProfile, Outcome } from '../../shared/contracts/lead.ts';
import { seededRandom } from '../../shared/random.ts';
import { compareEvents, readScore, stateFromHistory } from '../../shared/scoring/index.ts';
import { encodeBody } from '../../server/db/event-rows.ts';
import { openDatabase } from '../../server/db/open.ts';
import { ensureDefaultModel, loadLiveModels } from '../../server/scoring/live-models.ts';
import { benchId } from './bench-id.ts';

// BENCH-ONLY bulk seeder: fills a fresh database with `leads` leads of `perLead` events each
// (with identities, emails, outcomes and scores computed by the engine, as ingest would leave
// them) straight through the driver: prepared statements in large transactions on SQLite,
// `INSERT ... SELECT FROM unnest(...)` of thousands of rows on PostgreSQL, secondary indexes
// dropped during the load and rebuilt after from their own definitions. It bypasses ingest, so
// it is never a way to load real data; it exists so 100k leads / 5M events take minutes.

export type SeedOptions = { dataDir?: string; databaseUrl?: string; leads: number; perLead: number; now: number; onProgress?: (done: number) => void };

const DAY = 86_400_000;
const PATHS = ['/', '/pricing', '/product', '/blog/why-lead-scoring', '/case-studies/northwind-logistics', '/whitepaper', '/careers', '/contact-sales', '/demo'];
const TITLES = ['Engineer', 'VP Engineering', 'Head of IT', 'Marketing Manager', 'CTO', 'Student', 'Operations Lead'];
const INDUSTRIES = ['software', 'logistics', 'manufacturing', 'retail', 'finance'];
const COUNTRIES = ['NL', 'SE', 'DE', 'GB', 'BE'];

type Rows = { leads: unknown[][]; emails: unknown[][]; identities: unknown[][]; scores: unknown[][]; events: unknown[][] };

/** One lead's rows: a 90-day history that starts with an identify and mixes visits, files, forms and mail. */
function leadRows(i: number, perLead: number, now: number, models: Awaited<ReturnType<typeof loadLiveModels>>['models'], random: () => number, out: Rows): void {
  const id = benchId(now - 90 * DAY, 1, i);
  const domain = `corp${i % 5000}.example`;
  const email = `lead${i}@${domain}`;
  const anon = `seed-${i}`;
  const profile: LeadProfile = {
    email,
    name: `Lead ${i}`,
    jobTitle: TITLES[i % TITLES.length]!,
    company: { domain, name: `Corp ${i % 5000}`, industry: INDUSTRIES[i % INDUSTRIES.length]!, size: 10 + ((i * 37) % 2000), country: COUNTRIES[i % COUNTRIES.length]! },
  };
  const start = now - 90 * DAY + Math.floor(random() * 30 * DAY);
  const events: Event[] = [];
  let n = 0;
  // Ids in UUID v7 form, unique per lead and event (tag 2), without the cost of random bytes.
  const nextId = (ts: number) => benchId(ts, 2, i * 2 * perLead + n++);
  const base = (ts: number) => ({ id: nextId(ts), ts, site: 'bench', anonymousId: anon, sessionId: `${anon}-${Math.floor((ts - start) / DAY)}` });
  events.push({ ...base(start), type: 'identify', source: 'form', traits: { email, name: profile.name! } });
  for (let k = 1; k < perLead; k++) {
    const ts = start + Math.floor(random() * (now - start - 60_000));
    const path = PATHS[Math.floor(random() * PATHS.length)]!;
    const url = `https://www.northwind.example${path}`;
    const r = random();
    events.push(
      r < 0.7
        ? { ...base(ts), type: 'page_view', url, title: path }
        : r < 0.78
          ? { ...base(ts), type: 'engagement', url, pageViewId: nextId(ts), engagedMs: Math.floor(random() * 300_000) }
          : r < 0.84
            ? { ...base(ts), type: 'download', url, fileUrl: 'https://www.northwind.example/files/whitepaper-account-scoring.pdf' }
            : r < 0.87
              ? { ...base(ts), type: 'form_submit', url, formId: 'whitepaper', fields: ['email', 'name'] }
              : r < 0.95
                ? { ...base(ts), type: 'email_open', messageId: `m${k % 7}`, campaign: 'nurture' }
                : { ...base(ts), type: 'email_click', messageId: `m${k % 7}`, campaign: 'nurture', target: url },
    );
  }
  events.sort(compareEvents);
  const outcome: Outcome | undefined = i % 10 === 0 ? { result: i % 30 === 0 ? 'won' : 'lost', at: events[events.length - 1]!.ts + DAY } : undefined;
  out.leads.push([id, JSON.stringify([email]), JSON.stringify(profile), domain, null, outcome ? JSON.stringify(outcome) : null, events[0]!.ts, events[events.length - 1]!.ts, now]);
  out.emails.push([email, id]);
  out.identities.push(['bench', anon, id, now]);
  for (const model of models) {
    const state = stateFromHistory(model, events);
    const score = readScore(model, { profile, outcome }, state, now);
    out.scores.push([id, model.id, model.version, JSON.stringify(state), score.stage, score.fit.score, score.interest.score, now]);
  }
  // Stored as ingest stores them (db/event-rows.ts): no lead_id (the owner is found through
  // `identities`), and a body without the fields the columns hold.
  for (const e of events) out.events.push([e.id, 'bench', anon, null, e.ts, e.type, encodeBody(e), now]);
}

const COLUMNS = {
  leads: ['id', 'emails', 'profile', 'company_domain', 'feedback', 'outcome', 'first_seen', 'last_seen', 'created_at'],
  lead_emails: ['email', 'lead_id'],
  identities: ['site', 'anonymous_id', 'lead_id', 'created_at'],
  lead_scores: ['lead_id', 'model_id', 'model_version', 'state', 'stage', 'fit', 'interest', 'updated_at'],
  events: ['id', 'site', 'anonymous_id', 'lead_id', 'ts', 'type', 'body', 'received_at'],
} as const;
const PG_TYPES: Record<keyof typeof COLUMNS, string[]> = {
  leads: ['text', 'text', 'text', 'text', 'text', 'text', 'int8', 'int8', 'int8'],
  lead_emails: ['text', 'text'],
  identities: ['text', 'text', 'text', 'int8'],
  lead_scores: ['text', 'text', 'int4', 'text', 'text', 'float8', 'float8', 'int8'],
  events: ['text', 'text', 'text', 'text', 'int8', 'text', 'text', 'int8'],
};
const TABLE_OF: Record<keyof Rows, keyof typeof COLUMNS> = { leads: 'leads', emails: 'lead_emails', identities: 'identities', scores: 'lead_scores', events: 'events' };

/** Seeds a fresh database; returns the seconds it took. */
export async function seedBulk(opts: SeedOptions): Promise<number> {
  const t0 = performance.now();
  const db = await openDatabase(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : { dataDir: opts.dataDir! });
  await ensureDefaultModel(db.write, opts.now);
  const { models } = await loadLiveModels(db.write);
  await db.close();
  const random = seededRandom(7);
  const CHUNK = 2_000;
  const batches = function* (): Generator<Rows> {
    for (let s = 0; s < opts.leads; s += CHUNK) {
      const rows: Rows = { leads: [], emails: [], identities: [], scores: [], events: [] };
      for (let i = s; i < Math.min(opts.leads, s + CHUNK); i++) leadRows(i, opts.perLead, opts.now, models, random, rows);
      // In time order across the chunk's leads, as ingest would have stored them: one lead's
      // events then lie on as many pages as in production, not side by side.
      rows.events.sort((a, b) => (a[4] as number) - (b[4] as number));
      yield rows;
      opts.onProgress?.(Math.min(opts.leads, s + CHUNK));
    }
  };
  if (opts.databaseUrl) await seedPostgres(opts.databaseUrl, batches());
  else seedSqlite(join(resolve(opts.dataDir!), 'leadglow.db'), batches());
  return (performance.now() - t0) / 1000;
}

function seedSqlite(file: string, batches: Generator<Rows>): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  // A page cache that holds the whole events primary key (ids arrive in no key order across
  // leads, so a small cache reads and writes back a page per row) and in-memory index sorts.
  db.pragma('cache_size = -1000000');
  db.pragma('temp_store = MEMORY');
  const tables = Object.keys(COLUMNS) as (keyof typeof COLUMNS)[];
  const indexes = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${tables.map(() => '?').join(',')})`).all(...tables) as { name: string; sql: string }[];
  for (const ix of indexes) db.exec(`DROP INDEX "${ix.name}"`);
  // Rows go in MULTI at a time (one statement call per 100 rows, not per row).
  const MULTI = 100;
  const values = (t: keyof typeof COLUMNS, n: number) => Array.from({ length: n }, () => `(${COLUMNS[t].map(() => '?').join(',')})`).join(',');
  const insert = (t: keyof typeof COLUMNS, n: number) => db.prepare(`INSERT INTO ${t} (${COLUMNS[t].join(',')}) VALUES ${values(t, n)}`);
  const many = Object.fromEntries(tables.map((t) => [t, insert(t, MULTI)])) as Record<keyof typeof COLUMNS, Database.Statement>;
  const write = db.transaction((rows: Rows) => {
    for (const [k, list] of Object.entries(rows) as [keyof Rows, unknown[][]][]) {
      const t = TABLE_OF[k];
      let s = 0;
      for (; s + MULTI <= list.length; s += MULTI) many[t].run(list.slice(s, s + MULTI).flat());
      if (s < list.length) insert(t, list.length - s).run(list.slice(s).flat());
    }
  });
  for (const rows of batches) write(rows);
  for (const ix of indexes) db.exec(ix.sql);
  db.exec('ANALYZE');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

async function seedPostgres(url: string, batches: Generator<Rows>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = Object.keys(COLUMNS);
    const { rows: indexes } = await client.query<{ indexname: string; indexdef: string }>(
      `SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = 'public' AND i.tablename = ANY($1)
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
      [tables],
    );
    for (const ix of indexes) await client.query(`DROP INDEX "${ix.indexname}"`);
    for (const rows of batches) {
      await client.query('BEGIN');
      for (const [k, list] of Object.entries(rows) as [keyof Rows, unknown[][]][]) {
        const t = TABLE_OF[k];
        const cols = COLUMNS[t];
        for (let s = 0; s < list.length; s += 10_000) {
          const part = list.slice(s, s + 10_000);
          const arrays = cols.map((_, c) => part.map((r) => r[c]));
          await client.query(`INSERT INTO ${t} (${cols.join(',')}) SELECT * FROM unnest(${cols.map((_, c) => `$${c + 1}::${PG_TYPES[t][c]}[]`).join(',')})`, arrays);
        }
      }
      await client.query('COMMIT');
    }
    for (const ix of indexes) await client.query(ix.indexdef);
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}
