import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { cachingStatements } from '../../../server/db/statement-cache.ts';

describe('statement cache', () => {
  it('prepares a statement once per text, keeps the most recently used, and still sees schema changes', () => {
    const raw = new Database(':memory:');
    const db = cachingStatements(raw, 2);
    db.prepare('create table t (a integer)').run([]);
    const insert = db.prepare('insert into t (a) values (?)');
    expect(db.prepare('insert into t (a) values (?)')).toBe(insert);
    insert.run([1]);
    const count = db.prepare('select count(*) as n from t');
    expect(count.all([])).toEqual([{ n: 1 }]);
    // A third text evicts the least recently used (the insert, since count was used after it).
    db.prepare('select a from t');
    expect(db.prepare('select count(*) as n from t')).toBe(count);
    expect(db.prepare('insert into t (a) values (?)')).not.toBe(insert);
    // A cached statement re-prepares itself after the schema changed under it.
    raw.exec('alter table t add column b integer');
    expect(db.prepare('select count(*) as n from t').all([])).toEqual([{ n: 1 }]);
    db.close();
  });
});
