import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

// Kysely's SQLite driver prepares every query afresh (`db.prepare(sql)`), and SQLite's
// prepare parses and plans the statement: 3.7% of an ingest profile, for the same few dozen
// statements over and over. This hands the driver a database whose prepare keeps the last
// `size` statements by SQL text.
//
// Reusing a statement is safe here: a Kysely SQLite connection runs one query at a time (the
// driver holds a mutex until a query, streamed ones included, is done), and SQLite re-prepares
// a cached statement by itself when the schema changed under it (migrations, VACUUM).
// Statements whose text varies with the data (an `in (...)` list, a multi-row insert) each get
// an entry too; the least recently used goes when the cache is full.

export function cachingStatements(db: BetterSqlite3.Database, size = 256): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => {
      cache.clear();
      db.close();
    },
    prepare: (sql: string) => {
      let stmt = cache.get(sql);
      if (stmt !== undefined) {
        // Most recently used last: a Map iterates in insertion order.
        cache.delete(sql);
        cache.set(sql, stmt);
        return stmt;
      }
      stmt = db.prepare(sql);
      if (cache.size >= size) cache.delete(cache.keys().next().value!);
      cache.set(sql, stmt);
      return stmt;
    },
  };
}
