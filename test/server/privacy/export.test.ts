import { describe, expect, it } from 'vitest';
import { LeadView } from '../../../shared/contracts/api.ts';
import { exportLead } from '../../../server/privacy/erase.ts';
import { ev, get, post, testServer } from '../harness.ts';

// A lead's export carries everything stored on the person, decoded through the contracts; a
// column that does not decode is exported as the stored text with why, never dropped, and the
// export does not fail on it.

describe('exporting a lead', () => {
  it('decodes its columns, and exports one that does not decode as stored, naming it', async () => {
    const s = await testServer('sqlite', undefined);
    try {
      await post(s.url, { events: [ev(s.siteKey, 'v-exp', 'identify', 5_000, { traits: { email: 'exa@initech.com', name: 'Exa Mple', jobTitle: 'CFO' }, source: 'form' })] });
      const { lead } = LeadView.parse((await get(s.url, s.rep, '/v1/leads?email=exa@initech.com')).json);

      const clean = (await exportLead(s.db.read, lead.id)) as { lead: Record<string, unknown> };
      expect(clean.lead).toMatchObject({ id: lead.id, emails: ['exa@initech.com'], profile: { email: 'exa@initech.com', name: 'Exa Mple', jobTitle: 'CFO' }, feedback: null, outcome: null });
      expect(clean.lead.unreadable).toBeUndefined();

      const spoiled = JSON.stringify({ email: 'exa@initech.com', name: 'Exa Mple', seniority: 'wizard' });
      await s.db.write.updateTable('leads').set({ profile: spoiled, outcome: '{"result":"won"' }).where('id', '=', lead.id).execute();
      const out = (await exportLead(s.db.read, lead.id)) as { lead: Record<string, unknown> };
      expect(out.lead.emails).toEqual(['exa@initech.com']);
      expect(out.lead.profile).toBe(spoiled);
      expect(out.lead.outcome).toBe('{"result":"won"');
      expect(out.lead.unreadable).toEqual([
        expect.stringMatching(new RegExp(`^stored leads\\.profile of row ${lead.id} does not decode: seniority: `)),
        expect.stringMatching(new RegExp(`^stored leads\\.outcome of row ${lead.id} does not decode: not JSON`)),
      ]);
    } finally {
      await s.cleanup();
    }
  });
});
