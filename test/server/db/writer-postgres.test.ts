import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockAll, lockKey } from '../../../server/db/locks.ts';
import { openDatabase, type OpenDatabase } from '../../../server/db/open.ts';
import { PG_LANES, Writer, type Merged } from '../../../server/db/writer.ts';
import { usePostgres } from '../harness.ts';
import { countQueries, untilAdvisoryWaiter } from '../pg-watch.ts';

// The writer on a real PostgreSQL: several groups commit at once (lanes), each still all or
// nothing, non-ingest jobs one after another in order; and a transaction's BEGIN travels with
// its first statement (db/open.ts) without changing what commits and what rolls back.

const pgc = usePostgres();

type Item = { n: number };

describe('writer on PostgreSQL', () => {
  let db: OpenDatabase;
  beforeEach(async () => {
    db = await openDatabase({ databaseUrl: await pgc().newDatabase() });
  });
  afterEach(async () => {
    await db.close();
  });

  it('commits up to PG_LANES groups at once, each whole, and runs jobs one at a time in order', async () => {
    expect(PG_LANES).toBeGreaterThan(1);
    let open = 0;
    let most = 0;
    // Each group holds its transaction open until as many groups as there are lanes are open
    // together (or a deadline passes): with one lane this would wait out the deadline every time.
    const merged: Merged<Item, number> = {
      weight: () => 10,
      async run(trx, items) {
        open++;
        most = Math.max(most, open);
        const deadline = Date.now() + 5_000;
        while (most < PG_LANES && Date.now() < deadline) await new Promise((r) => setImmediate(r));
        for (const i of items) await trx.insertInto('audit').values({ at: i.n, actor: 'test', action: 'item', detail: '' }).execute();
        open--;
        return items.map((i) => i.n);
      },
    };
    const writer = new Writer(db.write, merged, { maxGroupWeight: 10, separateJobs: true });
    const jobsSeen: number[] = [];
    const items = Array.from({ length: 12 }, (_, n) => ({ n }));
    const pending: Promise<number>[] = [];
    const jobs: Promise<number>[] = [];
    // Jobs queued between the items, so they fall in different lanes' groups: each must still
    // see the ones queued before it committed.
    for (const i of items) {
      pending.push(writer.submit(i));
      if (i.n % 4 === 0) {
        const j = 100 + i.n / 4;
        jobs.push(
          writer.run(async (trx) => {
            const before = await trx.selectFrom('audit').select('at').where('action', '=', 'job').execute();
            jobsSeen.push(before.length);
            await trx.insertInto('audit').values({ at: j, actor: 'test', action: 'job', detail: '' }).execute();
            return j;
          }),
        );
      }
    }
    expect(await Promise.all(pending)).toEqual(items.map((i) => i.n));
    expect(await Promise.all(jobs)).toEqual([100, 101, 102]);
    expect(most).toBe(PG_LANES);
    expect(jobsSeen).toEqual([0, 1, 2]);
    const rows = await db.read.selectFrom('audit').select('at').where('action', '=', 'item').orderBy('at').execute();
    expect(rows.map((r) => r.at)).toEqual(items.map((i) => i.n));
    await writer.close();
  });

  it('sends BEGIN with the first statement when it has no parameters, and commits and rolls back as before', async () => {
    const count = countQueries();
    try {
      // One round trip for BEGIN and the locks, one for the insert, one for COMMIT.
      await db.write.transaction().execute(async (trx) => {
        await lockAll(trx, [lockKey('anon', 'a'), lockKey('anon', 'b')]);
        await trx.insertInto('audit').values({ at: 1, actor: 'test', action: 'kept', detail: '' }).execute();
      });
      expect(count.texts.length).toBe(3);
      expect(count.texts[0]).toMatch(/^begin; SELECT count\(pg_advisory_xact_lock\(k\)\)/);
      expect(count.texts[2]).toBe('commit');
    } finally {
      count.stop();
    }

    // A first statement with parameters: BEGIN goes alone, then the statement; a failure rolls both back.
    await expect(
      db.write.transaction().execute(async (trx) => {
        await trx.insertInto('audit').values({ at: 2, actor: 'test', action: 'lost', detail: '' }).execute();
        await sql`SELECT 1 / 0`.execute(trx);
      }),
    ).rejects.toThrow(/division by zero/);
    // A failure inside the joined message (after its BEGIN) leaves nothing and no open transaction.
    await expect(
      db.write.transaction().execute(async (trx) => {
        await sql`SELECT 1 / 0`.execute(trx);
      }),
    ).rejects.toThrow(/division by zero/);
    // A transaction that sent nothing.
    expect(await db.write.transaction().execute(async () => 'nothing')).toBe('nothing');
    const rows = await db.read.selectFrom('audit').select('action').orderBy('id').execute();
    expect(rows.map((r) => r.action)).toEqual(['kept']);
    // No pooled connection was left inside a transaction.
    const stuck = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`.execute(db.read);
    expect(stuck.rows[0]!.n).toBe(0);
  });

  it('keeps the locks of one lane from another until its commit', async () => {
    const key = lockKey('anon', 'shared-visitor');
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const first = db.write.transaction().execute(async (trx) => {
      await lockAll(trx, [key]);
      order.push('first locked');
      await held;
      order.push('first done');
    });
    while (order.length === 0) await new Promise((r) => setImmediate(r));
    const second = db.write.transaction().execute(async (trx) => {
      await lockAll(trx, [key]);
      order.push('second locked');
    });
    // The second waits for the first's commit: PostgreSQL shows it waiting on the advisory lock.
    await untilAdvisoryWaiter(db.read, 'the second transaction');
    expect(order).toEqual(['first locked']);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first locked', 'first done', 'second locked']);
  });
});
