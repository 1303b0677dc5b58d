import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { usePostgres } from '../harness.ts';
import { untilAdvisoryWaiter } from '../pg-watch.ts';
import { defaultModel } from '../../../shared/scoring/index.ts';
import { openDatabase } from '../../../server/db/open.ts';
import { StoredRowError } from '../../../server/db/stored-json.ts';
import { checkLiveModels, ensureDefaultModel, loadLiveModels, loadLiveState, lockModelsForPublish } from '../../../server/scoring/live-models.ts';

// A live model that does not decode fails the load with an error naming the model, version
// and field, instead of being left out (which scored leads with fewer models than published)
// or falling back to the starter model.

describe('loading the live models', () => {
  it('decodes them, and fails naming the model, version and field when one does not decode', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'leadglow-live-'));
    const db = await openDatabase({ dataDir: dir });
    try {
      await ensureDefaultModel(db.write, Date.UTC(2025, 0, 1));
      expect((await loadLiveModels(db.read)).primary).toEqual(defaultModel);

      await db.write.updateTable('models').set({ json: JSON.stringify({ ...defaultModel, halfLifeDays: 'twenty' }) }).where('id', '=', defaultModel.id).execute();
      const error = await loadLiveModels(db.read).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(StoredRowError);
      expect(error).toMatchObject({ table: 'models', column: 'json', row: `"${defaultModel.id}" version ${defaultModel.version}` });
      expect((error as Error).message).toContain('halfLifeDays: ');

      await db.write.updateTable('models').set({ json: '{"id":' }).where('id', '=', defaultModel.id).execute();
      await expect(loadLiveModels(db.read)).rejects.toThrow(`stored models.json of row "${defaultModel.id}" version ${defaultModel.version} does not decode: not JSON`);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const pgc = usePostgres();

describe('the live models check on PostgreSQL', () => {
  it('reads the stamp after the models lock is granted, in the same message, so it sees the publish the lock waited for', async () => {
    const db = await openDatabase({ databaseUrl: await pgc().newDatabase() });
    try {
      await ensureDefaultModel(db.write, Date.UTC(2025, 0, 1));
      const before = await loadLiveState(db.write);
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let locked = false;
      const publish = db.write.transaction().execute(async (trx) => {
        await lockModelsForPublish(trx);
        const second = { ...defaultModel, id: 'second-model' };
        await trx.insertInto('models').values({ id: second.id, version: second.version, json: JSON.stringify(second), status: 'live', created_at: 1, published_at: Date.UTC(2025, 0, 2) }).execute();
        locked = true;
        await held;
      });
      while (!locked) await new Promise((r) => setImmediate(r));
      const check = db.write.transaction().execute((trx) => checkLiveModels(trx, before));
      // The check waits on the publish's lock (PostgreSQL shows it) until the publish commits.
      await untilAdvisoryWaiter(db.read, 'the check');
      release();
      await publish;
      const after = await check;
      expect(after.stamp).not.toBe(before.stamp);
      expect(after.live.models.map((m) => m.id)).toEqual([defaultModel.id, 'second-model']);
      // Nothing published since: the same state back, not a reload.
      expect(await db.write.transaction().execute((trx) => checkLiveModels(trx, after))).toBe(after);
    } finally {
      await db.close();
    }
  });
});

describe('seeding the default model on PostgreSQL', () => {
  it('seeds it once when several instances start at once on a new database', async () => {
    const databaseUrl = await pgc().newDatabase();
    // Three instances: their own connections, as three processes would have.
    const dbs = await Promise.all([1, 2, 3].map(() => openDatabase({ databaseUrl })));
    try {
      await Promise.all(dbs.map((db) => ensureDefaultModel(db.write, Date.UTC(2025, 0, 1))));
      const rows = await dbs[0]!.read.selectFrom('models').select(['id', 'version', 'status']).execute();
      expect(rows).toEqual([{ id: defaultModel.id, version: defaultModel.version, status: 'live' }]);
      expect((await loadLiveModels(dbs[1]!.read)).primary).toEqual(defaultModel);
    } finally {
      await Promise.all(dbs.map((db) => db.close()));
    }
  });
});
