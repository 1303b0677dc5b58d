import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeadView } from '../../../shared/contracts/api.ts';
import { LeadProfile } from '../../../shared/contracts/lead.ts';
import { enrichFirmographics } from '../../../server/demo/enrich-firmographics.ts';
import { ev, get, post, testServer, type TestServer } from '../harness.ts';

// The demo's firmographics are written to stored lead profiles, decoded through the
// LeadProfile contract: a lead at a fitting company is rescored on fit, and a profile that
// does not decode stops the write with the lead and the field named, changing nothing.

describe('enrichFirmographics on a real server', () => {
  let s: TestServer;
  const leadOf = async (email: string) => LeadView.parse((await get(s.url, s.rep, `/v1/leads?email=${encodeURIComponent(email)}`)).json).lead;
  const storedProfile = async (id: string) => (await s.db.read.selectFrom('leads').select('profile').where('id', '=', id).executeTakeFirstOrThrow()).profile;

  beforeAll(async () => {
    s = await testServer('sqlite', undefined);
    const identify = (anon: string, email: string) => ev(s.siteKey, anon, 'identify', 2000, { traits: { email, name: 'Ines Lindqvist', company: 'Fjord Labs' }, source: 'form' });
    const res = await post(s.url, { events: [identify('en-1', 'ines@fjordlabs.se'), identify('en-2', 'jan@cobaltworks.nl')] }, { 'x-leadglow-key': s.siteKey, origin: 'https://acme.test' });
    expect(res.json.accepted).toBe(2);
  });
  afterAll(async () => {
    await s?.cleanup();
  });

  it('adds industry, size, revenue and country, keeps the lead\'s own domain, and rescores fit', async () => {
    const before = await leadOf('ines@fjordlabs.se');
    expect(before.company?.industry).toBeUndefined();
    await enrichFirmographics(s.db, [{ email: 'ines@fjordlabs.se', company: { domain: 'other.example', name: 'Fjord Labs AB', industry: 'software', size: 240, revenue: 18_000_000, country: 'SE' }, country: 'SE' }]);
    const after = await leadOf('ines@fjordlabs.se');
    expect(after.company).toMatchObject({ domain: 'fjordlabs.se', industry: 'software', size: 240, revenue: 18_000_000 });
    // The name the lead typed wins over the provider's.
    expect(after.company?.name).toBe('Fjord Labs');
    expect(after.country).toBe('SE');
    expect(after.scores[0]!.fit.reasons.some((r) => r.rule === 'target-industry')).toBe(true);
    expect(before.scores[0]!.fit.reasons.some((r) => r.rule === 'target-industry')).toBe(false);
  });

  it('refuses a stored profile that is not a LeadProfile, naming the lead and the field, and writes nothing', async () => {
    const jan = await leadOf('jan@cobaltworks.nl');
    const ines = await leadOf('ines@fjordlabs.se');
    const broken = JSON.stringify({ email: 'jan@cobaltworks.nl', country: 'Netherlands' });
    await s.db.write.updateTable('leads').set({ profile: broken }).where('id', '=', jan.id).execute();
    const inesBefore = await storedProfile(ines.id);
    await expect(
      enrichFirmographics(s.db, [
        { email: 'ines@fjordlabs.se', country: 'NO', company: { domain: 'fjordlabs.se', industry: 'saas' } },
        { email: 'jan@cobaltworks.nl', country: 'NL' },
      ]),
    ).rejects.toThrow(new RegExp(`lead ${jan.id} .*profile\\.country`));
    expect(await storedProfile(jan.id)).toBe(broken);
    // One transaction: the good lead before it is not half-enriched either.
    expect(await storedProfile(ines.id)).toBe(inesBefore);
    expect(LeadProfile.parse(JSON.parse(inesBefore)).company?.industry).toBe('software');
  });
});
