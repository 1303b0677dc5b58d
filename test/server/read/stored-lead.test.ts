import { describe, expect, it } from 'vitest';
import { LeadView } from '../../../shared/contracts/api.ts';
import { LeadProfile } from '../../../shared/contracts/lead.ts';
import { decodedOrAbsent, storedEmails, storedFacts, storedInterestSums, storedScoreState } from '../../../server/read/stored-lead.ts';
import { BACKENDS, ev, get, post, testServer, usePostgres, type BackendName } from '../harness.ts';

// Stored JSON of a lead read is decoded through the shared contracts, and a value the
// contract refuses reads as absent instead of failing the rep's lookup.

const pg = usePostgres();

describe('stored lead JSON', () => {
  it('decodes what the contracts accept and nothing else', () => {
    expect(decodedOrAbsent(LeadProfile, '{"name":"Sanne de Vries","company":{"domain":"acme.nl"}}')).toEqual({ name: 'Sanne de Vries', company: { domain: 'acme.nl' } });
    expect(decodedOrAbsent(LeadProfile, '{"name":42}')).toBeUndefined();
    expect(decodedOrAbsent(LeadProfile, '{"name":')).toBeUndefined();
    expect(decodedOrAbsent(LeadProfile, null)).toBeUndefined();
    expect(storedEmails('["a@acme.nl","b@acme.nl"]')).toEqual(['a@acme.nl', 'b@acme.nl']);
    expect(storedEmails('"a@acme.nl"')).toEqual([]);
    expect(storedFacts({ profile: '[]', feedback: '{"verdict":"maybe","at":1}', outcome: '{"result":"won","at":5}' })).toEqual({ profile: {}, feedback: undefined, outcome: { result: 'won', at: 5 } });
    // A state of an older engine (v 1), or one missing its sums, is no state.
    expect(storedScoreState('{"v":1,"modelId":"m"}')).toBeUndefined();
    expect(storedInterestSums('{"v":1,"decaying":3,"decayingAt":1,"steady":0}')).toBeUndefined();
    expect(storedInterestSums('{"v":2,"decaying":3,"decayingAt":1,"steady":2,"rules":{}}')).toEqual({ v: 2, decaying: 3, decayingAt: 1, steady: 2 });
  });
});

describe.each(BACKENDS)('a lookup over stored rows the contracts refuse, on %s', (backend: BackendName) => {
  it('still answers: the bad profile reads as empty, the bad state is rebuilt from the history, the account still lists its members', async () => {
    const s = await testServer(backend, pg);
    try {
      await post(s.url, {
        events: [
          ev(s.siteKey, 'anna', 'identify', 60_000, { traits: { email: 'anna@initech.se', name: 'Anna Lind', jobTitle: 'CTO' }, source: 'form' }),
          ev(s.siteKey, 'anna', 'page_view', 50_000, { url: 'https://acme.test/pricing' }),
          ev(s.siteKey, 'erik', 'identify', 40_000, { traits: { email: 'erik@initech.se', name: 'Erik Berg' }, source: 'form' }),
          ev(s.siteKey, 'erik', 'page_view', 30_000, { url: 'https://acme.test/pricing' }),
        ],
      });
      const read = async (email: string) => {
        const r = await get(s.url, s.rep, `/v1/leads?email=${email}`);
        expect(r.status).toBe(200);
        return LeadView.parse(r.json);
      };
      const good = await read('anna@initech.se');
      expect(good.lead.name).toBe('Anna Lind');
      expect(good.account?.members.map((m) => m.name).sort()).toEqual(['Anna Lind', 'Erik Berg']);

      // Corrupt Anna's stored profile and her score state (as a hand edit or an older writer might).
      await s.db.write.updateTable('leads').set({ profile: '{"name":42,"jobTitle":"CTO"}' }).where('id', '=', good.lead.id).execute();
      await s.db.write.updateTable('lead_scores').set({ state: '{"v":2,"rules":"broken"}' }).where('lead_id', '=', good.lead.id).execute();
      const bad = await read('anna@initech.se');
      expect(bad.lead.name).toBeUndefined();
      expect(bad.lead.jobTitle).toBeUndefined();
      // The score comes back the same, rebuilt from the stored history.
      expect(bad.lead.scores[0]!.interest.score).toBeCloseTo(good.lead.scores[0]!.interest.score, 0);
      expect(bad.lead.scores[0]!.interest.reasons.map((r) => r.rule)).toEqual(good.lead.scores[0]!.interest.reasons.map((r) => r.rule));
      // Erik's lookup lists Anna without a name, and her interest read as none (no usable sums).
      const erik = await read('erik@initech.se');
      const anna = erik.account!.members.find((m) => m.id === good.lead.id)!;
      expect(anna.name).toBeUndefined();
      expect(anna.email).toBe('anna@initech.se');
      const erikInterest = erik.account!.members.find((m) => m.name === 'Erik Berg')!.interest;
      expect(erikInterest).toBeGreaterThan(0);
      // A state that is not JSON at all: Anna's lookup still lists Erik, with no interest read from it,
      // and Erik's own lookup rebuilds his score from the history.
      await s.db.write.updateTable('lead_scores').set({ state: '{"v":2,' }).where('lead_id', '=', erik.lead.id).execute();
      const again = await read('anna@initech.se');
      expect(again.account!.members.find((m) => m.id === erik.lead.id)).toMatchObject({ name: 'Erik Berg', interest: 0 });
      expect((await read('erik@initech.se')).lead.scores[0]!.interest.score).toBeCloseTo(erik.lead.scores[0]!.interest.score, 0);
    } finally {
      await s.close();
    }
  });
});
