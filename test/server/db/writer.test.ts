import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type OpenDatabase } from '../../../server/db/open.ts';
import { MAX_GROUP_WEIGHT, Writer, type Merged } from '../../../server/db/writer.ts';

// Bounded group commits on a real SQLite store: a group takes at most `maxGroupWeight` of
// work, and the writer gives the event loop a turn between two groups, so a read that arrived
// during one commit is answered before the next starts instead of after the whole backlog.

type Item = { n: number; events: number };

/** A merged kind that stores each item as an audit row and notes each group it was given. */
function auditing(groups: number[][], onRun?: (call: number) => void): Merged<Item, number> {
  return {
    weight: (item) => item.events,
    async run(trx, items) {
      groups.push(items.map((i) => i.n));
      onRun?.(groups.length);
      for (const i of items) await trx.insertInto('audit').values({ at: i.n, actor: 'test', action: 'item', detail: String(i.events) }).execute();
      return items.map((i) => i.n * 10);
    },
  };
}

describe('writer groups', () => {
  let dir: string;
  let db: OpenDatabase;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'leadglow-writer-'));
    db = await openDatabase({ dataDir: dir });
  });
  afterEach(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('commits a backlog in groups of at most maxGroupWeight, in order, each result to its item', async () => {
    const groups: number[][] = [];
    const writer = new Writer(db.write, auditing(groups), { maxGroupWeight: 25 });
    const items = Array.from({ length: 9 }, (_, n) => ({ n, events: n === 4 ? 40 : 10 }));
    const results = await Promise.all(items.map((i) => writer.submit(i)));
    expect(results).toEqual(items.map((i) => i.n * 10));
    // 10 + 10 fit 25, a third would not; an item heavier than the bound (40) goes alone.
    expect(groups).toEqual([[0, 1], [2, 3], [4], [5, 6], [7, 8]]);
    const stored = await db.read.selectFrom('audit').select('at').orderBy('id').execute();
    expect(stored.map((r) => r.at)).toEqual(items.map((i) => i.n));
    await writer.close();
  });

  it('gives the event loop a turn between two groups of a backlog', async () => {
    const groups: number[][] = [];
    const order: string[] = [];
    // During the first commit, an I/O-like callback is queued (a read arriving meanwhile).
    const writer = new Writer(
      db.write,
      auditing(groups, (call) => {
        order.push(`group ${call}`);
        if (call === 1) setImmediate(() => order.push('read'));
      }),
      { maxGroupWeight: 10 },
    );
    await Promise.all([0, 1, 2].map((n) => writer.submit({ n, events: 10 })));
    expect(order).toEqual(['group 1', 'read', 'group 2', 'group 3']);
    await writer.close();
  });

  it('takes a whole burst of small batches in one group up to the default bound', async () => {
    const groups: number[][] = [];
    const writer = new Writer(db.write, auditing(groups));
    const per = 10;
    const count = MAX_GROUP_WEIGHT / per + 3;
    await Promise.all(Array.from({ length: count }, (_, n) => writer.submit({ n, events: per })));
    expect(groups.map((g) => g.length)).toEqual([MAX_GROUP_WEIGHT / per, 3]);
    await writer.close();
  });

  it('finishes a backlog it was asked to close with', async () => {
    const groups: number[][] = [];
    const writer = new Writer(db.write, auditing(groups), { maxGroupWeight: 10 });
    const pending = [0, 1, 2, 3].map((n) => writer.submit({ n, events: 10 }));
    await writer.close();
    expect(await Promise.all(pending)).toEqual([0, 10, 20, 30]);
    expect(groups).toEqual([[0], [1], [2], [3]]);
    await expect(writer.submit({ n: 9, events: 1 })).rejects.toThrow('shutting down');
  });
});
