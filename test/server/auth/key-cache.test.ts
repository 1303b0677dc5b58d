import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type OpenDatabase } from '../../../server/db/open.ts';
import { createKey, createKeyCache, hashSecret } from '../../../server/auth/api-keys.ts';

// The key cache answers found keys by the secret without hashing it again, and a revocation
// still takes effect: in another process's CLI within the cache's time to live, at once here
// through clear().

describe('key cache', () => {
  let dir: string;
  let db: OpenDatabase;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'leadglow-keycache-'));
    db = await openDatabase({ dataDir: dir });
  });
  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const revoke = (secret: string, at: number) => db.write.updateTable('keys').set({ revoked_at: at }).where('hash', '=', hashSecret(secret)).execute();

  it('keeps answering a found key within its time to live, and drops a revoked one after it', async () => {
    const secret = await createKey(db.write, { role: 'site', site: 'acme' }, 1_000);
    const cache = createKeyCache(db.read, 5_000);
    expect((await cache.find(secret, 10_000))?.site).toBe('acme');
    await revoke(secret, 10_001);
    expect((await cache.find(secret, 14_999))?.site).toBe('acme');
    expect(await cache.find(secret, 15_001)).toBeUndefined();
  });

  it('drops a revoked key at once after clear()', async () => {
    const secret = await createKey(db.write, { role: 'rep', name: 'Robin' }, 1_000);
    const cache = createKeyCache(db.read, 60_000);
    expect((await cache.find(secret, 10_000))?.role).toBe('rep');
    await revoke(secret, 10_001);
    cache.clear();
    expect(await cache.find(secret, 10_002)).toBeUndefined();
  });

  it('does not keep unknown secrets, so a key created later works at once', async () => {
    const cache = createKeyCache(db.read, 60_000);
    expect(await cache.find('lgs_not-a-key-at-all', 10_000)).toBeUndefined();
    const secret = await createKey(db.write, { role: 'site', site: 'later' }, 1_000);
    expect((await cache.find(secret, 10_001))?.site).toBe('later');
  });
});
