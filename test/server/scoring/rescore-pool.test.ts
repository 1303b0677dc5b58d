import { afterAll, describe, expect, it } from 'vitest';
import { defaultModel } from '../../../shared/scoring/index.ts';
import type { RescoreInput } from '../../../server/scoring/rescore-compute.ts';
import { startRescorePool, type RescorePool } from '../../../server/scoring/rescore-pool.ts';

// The rescore pool: a lead that does not decode fails its chunk with the lead named, in a
// worker as on the event loop (the rescorer logs it and tries again later), and the pool
// refuses work once closed.

const broken: RescoreInput = {
  lead: { id: 'lead-broken', emails: '["a@b.example"]', profile: '{"company": 5}', company_domain: null, feedback: null, outcome: null, first_seen: 1, last_seen: 1, created_at: 1 },
  packed: null,
  stored: {},
};

describe('the rescore pool', () => {
  const pools: RescorePool[] = [];
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.close()));
  });

  it.each([1, 0])('fails a chunk naming a lead that does not decode (%i workers)', async (size) => {
    const pool = startRescorePool(size);
    pools.push(pool);
    expect(pool.size).toBe(size);
    await expect(pool.run([broken], [defaultModel], Date.now())).rejects.toThrow(/leads\.profile of row lead-broken does not decode: company/);
    // The pool still works after one chunk failed.
    const ok = { ...broken, lead: { ...broken.lead, id: 'lead-fine', profile: '{"email":"a@b.example"}' } };
    const [out] = await pool.run([ok], [defaultModel], Date.now());
    expect(out?.leadId).toBe('lead-fine');
    expect(out?.rows[0]?.model_version).toBe(defaultModel.version);
  }, 60_000);

  it('scores each chunk with the models it was given, though a worker is sent them only when they change', async () => {
    const pool = startRescorePool(1);
    pools.push(pool);
    const lead = { ...broken, lead: { ...broken.lead, id: 'lead-fine', profile: '{"email":"a@b.example"}' } };
    const v1 = [defaultModel];
    const v2 = [{ ...defaultModel, version: defaultModel.version + 1 }];
    const versions = [];
    for (const models of [v1, v1, v2, v2, v1]) versions.push((await pool.run([lead], models, Date.now()))[0]?.rows[0]?.model_version);
    expect(versions).toEqual([1, 1, 2, 2, 1].map((n) => defaultModel.version + n - 1));
  }, 60_000);

  it('refuses work once closed', async () => {
    const pool = startRescorePool(1);
    await pool.close();
    await expect(pool.run([], [defaultModel], Date.now())).rejects.toThrow(/closed/);
  });
});
