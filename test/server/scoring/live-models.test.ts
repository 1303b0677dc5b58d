import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultModel } from '../../../shared/scoring/index.ts';
import { openDatabase } from '../../../server/db/open.ts';
import { StoredRowError } from '../../../server/db/stored-json.ts';
import { ensureDefaultModel, loadLiveModels } from '../../../server/scoring/live-models.ts';

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
