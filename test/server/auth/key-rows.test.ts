import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createKey, createKeyCache, hashSecret } from '../../../server/auth/api-keys.ts';
import { openDatabase } from '../../../server/db/open.ts';
import { StoredRowError } from '../../../server/db/stored-json.ts';

// A key's stored lists (origins, the rep's own addresses) decode through KeyOrigins and
// KeyEmails; a key whose list does not decode fails the lookup naming the key's row (never the
// secret), instead of reading as "no origins" (events refused without a reason) or "no
// addresses" (the rep's own emails shown as leads).

describe('stored key rows', () => {
  it('decode, and a list that does not decode fails naming the key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'leadglow-keys-'));
    const db = await openDatabase({ dataDir: dir });
    try {
      const site = await createKey(db.write, { role: 'site', site: 'acme', origins: ['https://Acme.test'] });
      const rep = await createKey(db.write, { role: 'rep', emails: ['Rita@Acme.test'] });
      const keys = createKeyCache(db.read, 0);
      expect(await keys.find(site)).toMatchObject({ role: 'site', origins: ['https://acme.test'], emails: [] });
      expect(await keys.find(rep)).toMatchObject({ role: 'rep', origins: [], emails: ['rita@acme.test'] });

      const siteRow = await db.read.selectFrom('keys').select('id').where('hash', '=', hashSecret(site)).executeTakeFirstOrThrow();
      await db.write.updateTable('keys').set({ origins: '"https://acme.test"' }).where('id', '=', siteRow.id).execute();
      const error = await keys.find(site).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(StoredRowError);
      expect((error as Error).message).toMatch(new RegExp(`^stored keys\\.origins of row ${siteRow.id} does not decode: `));
      expect((error as Error).message).not.toContain(site);

      const repRow = await db.read.selectFrom('keys').select('id').where('hash', '=', hashSecret(rep)).executeTakeFirstOrThrow();
      await db.write.updateTable('keys').set({ emails: '[1, 2]' }).where('id', '=', repRow.id).execute();
      await expect(keys.find(rep)).rejects.toThrow(`stored keys.emails of row ${repRow.id} does not decode: 0: `);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
