import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type PostgresPool, type PostgresPoolClient, type PostgresQueryResult } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.ts';
import { migrationProvider } from './migrations.ts';
import { cachingStatements } from './statement-cache.ts';

export type Backend = 'sqlite' | 'postgres';

/**
 * An open database: `write` for the single writer (and admin jobs), `read` for request
 * handlers. On SQLite they are separate connections, so reads never wait behind a write
 * transaction (WAL lets readers and one writer run at once); on PostgreSQL both are one pool.
 */
export type OpenDatabase = {
  backend: Backend;
  write: Kysely<DB>;
  read: Kysely<DB>;
  /** Where the data lives, for logs: a file path or the URL without its password. */
  location: string;
  /**
   * PostgreSQL only: LISTEN on `channels` over a connection of its own, calling `onNotify` with
   * the channel on each NOTIFY, and with no channel after every (re)connect (anything may have
   * been missed meanwhile). Reconnects with backoff until the returned stop is called.
   */
  listen?(channels: readonly string[], onNotify: (channel: string | undefined) => void, onError: (error: unknown) => void): () => Promise<void>;
  close(): Promise<void>;
};

export type OpenOptions = { dataDir?: string; databaseUrl?: string };

/** The store the CLI commands use: DATABASE_URL, else the data folder (--data, LEADGLOW_DATA or ./data). */
export function openConfigured(dataDir: string | undefined, env: Record<string, string | undefined> = process.env): Promise<OpenDatabase> {
  return openDatabase(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir: dataDir ?? env.LEADGLOW_DATA ?? './data' });
}

export async function openDatabase(opts: OpenOptions): Promise<OpenDatabase> {
  const db = opts.databaseUrl ? openPostgres(opts.databaseUrl) : openSqlite(opts.dataDir ?? './data');
  const migrator = new Migrator({ db: db.write, provider: migrationProvider(db.backend) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    await db.close();
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return db;
}

function openSqlite(dataDir: string): OpenDatabase {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'leadglow.db');
  const writer = new Database(file);
  writer.pragma('journal_mode = WAL');
  // NORMAL in WAL mode: a committed transaction survives a process crash (kill -9); only an
  // OS crash or power loss can lose the last commits. FULL would fsync every commit.
  writer.pragma('synchronous = NORMAL');
  writer.pragma('busy_timeout = 5000');
  writer.pragma('foreign_keys = OFF');
  // Deleted rows are overwritten with zeros, so an erased person leaves no bytes in free space
  // (db/scrub.ts). The pragma is per connection; only the writer deletes.
  writer.pragma('secure_delete = ON');
  const reader = new Database(file);
  reader.pragma('busy_timeout = 5000');
  const write = new Kysely<DB>({ dialect: new SqliteDialect({ database: cachingStatements(writer) }) });
  const read = new Kysely<DB>({ dialect: new SqliteDialect({ database: cachingStatements(reader) }) });
  return {
    backend: 'sqlite',
    write,
    read,
    location: file,
    async close() {
      await read.destroy();
      await write.destroy();
    },
  };
}

// int8 (bigint) and numeric come back as strings by default; our values are ms and counts
// well inside 2^53, so numbers are safe and keep both backends returning the same types.
const INT8 = 20;
const NUMERIC = 1700;
function pgTypes(oid: number, format?: string): (value: string) => unknown {
  if (oid === INT8 || oid === NUMERIC) return (v: string) => Number(v);
  return (pg.types.getTypeParser as (oid: number, format?: string) => (value: string) => unknown)(oid, format);
}

function openPostgres(url: string): OpenDatabase {
  const pool = new pg.Pool({ connectionString: url, max: 10, types: { getTypeParser: pgTypes } as never });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: deferringBegin(pool) }) });
  let location = url;
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    location = u.href;
  } catch {
    location = 'postgres';
  }
  return {
    backend: 'postgres',
    write: db,
    read: db,
    location,
    listen: (channels, onNotify, onError) => listenPostgres(url, channels, onNotify, onError),
    async close() {
      await db.destroy();
    },
  };
}

/**
 * The pool Kysely uses, with BEGIN sent together with a transaction's first statement instead of
 * as a round trip of its own. Every write transaction is a few round trips (the writer's group
 * commit on PostgreSQL is mostly waiting for them; see db/writer.ts), and a BEGIN answers
 * nothing. Kysely sends `begin` on its own; here it is only noted, and sent in front of the next
 * statement: in one simple-protocol message when that statement has no parameters (the
 * advisory locks every writer transaction starts with, db/locks.ts), else just before it. A
 * transaction that sent nothing commits or rolls back as the no-op it is. An error in the
 * joined message leaves the transaction aborted, and Kysely's rollback ends it as before.
 */
function deferringBegin(pool: pg.Pool): PostgresPool {
  const wrapped = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  return {
    async connect() {
      const client = await pool.connect();
      let w = wrapped.get(client);
      if (!w) wrapped.set(client, (w = deferringClient(client)));
      return w;
    },
    end: () => pool.end(),
  };
}

/**
 * A message of several statements (simple protocol: no parameters) answers with one result each;
 * the caller's is the last (after the joined BEGIN, and after the models lock that comes before
 * the live stamp in scoring/live-models.ts and before ingest's call in ingest/store-events.ts).
 */
function last(results: pg.QueryResult | pg.QueryResult[]): PostgresQueryResult<unknown> {
  return (Array.isArray(results) ? results[results.length - 1]! : results) as never;
}

const NOTHING = (command: string): PostgresQueryResult<never> => ({ command: command as PostgresQueryResult<never>['command'], rowCount: 0, rows: [] });

function deferringClient(client: pg.PoolClient): PostgresPoolClient {
  let pending = false;
  const query = async (text: string, values: readonly unknown[]): Promise<PostgresQueryResult<unknown>> => {
    if (text === 'begin' && values.length === 0) {
      pending = true;
      return NOTHING('BEGIN' as never);
    }
    if (pending) {
      pending = false;
      if (values.length === 0 && (text === 'commit' || text === 'rollback')) return NOTHING(text.toUpperCase());
      if (values.length === 0) return last(await client.query(`begin; ${text}`));
      await client.query('begin');
    }
    return last(await client.query(text, values as unknown[]));
  };
  // A cursor (Kysely's streaming, unused today) is returned at once: a deferred BEGIN goes into
  // the client's queue ahead of it (node-postgres runs its queue in order); a BEGIN that fails
  // does so on a broken connection, which fails the cursor too.
  const cursor = (c: unknown) => {
    if (pending) {
      pending = false;
      client.query('begin').catch(() => undefined);
    }
    return client.query(c as never);
  };
  return {
    query: ((textOrCursor: unknown, values?: readonly unknown[]) =>
      typeof textOrCursor === 'string' ? query(textOrCursor, values ?? []) : cursor(textOrCursor)) as PostgresPoolClient['query'],
    release() {
      pending = false;
      client.release();
    },
  };
}

function listenPostgres(url: string, channels: readonly string[], onNotify: (channel: string | undefined) => void, onError: (error: unknown) => void): () => Promise<void> {
  let stopped = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let delay = 100;
  const connect = async () => {
    if (stopped) return;
    const c = new pg.Client({ connectionString: url });
    client = c;
    const again = (error: unknown) => {
      if (stopped || client !== c) return;
      client = undefined;
      onError(error);
      void c.end().catch(() => undefined);
      retry = setTimeout(() => void connect(), delay);
      retry.unref();
      delay = Math.min(delay * 2, 5_000);
    };
    c.on('error', again);
    c.on('end', () => again(new Error('notification connection ended')));
    c.on('notification', (n) => onNotify(n.channel));
    try {
      await c.connect();
      for (const ch of channels) await c.query(`LISTEN ${pg.escapeIdentifier(ch)}`);
      delay = 100;
      onNotify(undefined);
    } catch (error) {
      again(error);
    }
  };
  void connect();
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    const c = client;
    client = undefined;
    await c?.end().catch(() => undefined);
  };
}
