import { describe, expect, it } from 'vitest';
import { LeadView } from '../../../shared/contracts/api.ts';
import { exportLead } from '../../../server/privacy/erase.ts';
import { ev, get, post, testServer } from '../harness.ts';

// A lead's export carries everything stored on the person, decoded through the contracts; a
// column, event or stage reason that does not decode is exported as stored with why (the
// export's `unreadable`), never dropped, and the export does not fail on it.

describe('exporting a lead', () => {
  it('decodes its columns, and exports one that does not decode as stored, naming it', async () => {
    const s = await testServer('sqlite', undefined);
    try {
      await post(s.url, { events: [ev(s.siteKey, 'v-exp', 'identify', 5_000, { traits: { email: 'exa@initech.com', name: 'Exa Mple', jobTitle: 'CFO' }, source: 'form' })] });
      const { lead } = LeadView.parse((await get(s.url, s.rep, '/v1/leads?email=exa@initech.com')).json);

      type Exported = { lead: Record<string, unknown>; events: Record<string, unknown>[]; stageChanges: { to_stage: string; reason: unknown }[]; unreadable?: string[] };
      const clean = (await exportLead(s.db.read, lead.id)) as Exported;
      expect(clean.lead).toMatchObject({ id: lead.id, emails: ['exa@initech.com'], profile: { email: 'exa@initech.com', name: 'Exa Mple', jobTitle: 'CFO' }, feedback: null, outcome: null });
      expect(clean.unreadable).toBeUndefined();
      // Stage reasons as data, as the API gives them.
      expect(clean.stageChanges.length).toBeGreaterThan(0);
      expect(clean.stageChanges[0]!.reason).toEqual({ kind: clean.stageChanges[0]!.to_stage });

      const spoiled = JSON.stringify({ email: 'exa@initech.com', name: 'Exa Mple', seniority: 'wizard' });
      await s.db.write.updateTable('leads').set({ profile: spoiled, outcome: '{"result":"won"' }).where('id', '=', lead.id).execute();
      await s.db.write.updateTable('stage_changes').set({ reason: '{"kind":"promoted"}' }).where('lead_id', '=', lead.id).execute();
      expect(clean.events).toHaveLength(1);
      const eventId = clean.events[0]!.id as string;
      await s.db.write.updateTable('events').set({ body: '{"traits":' }).where('id', '=', eventId).execute();
      const out = (await exportLead(s.db.read, lead.id)) as Exported;
      expect(out.lead.emails).toEqual(['exa@initech.com']);
      expect(out.lead.profile).toBe(spoiled);
      expect(out.lead.outcome).toBe('{"result":"won"');
      expect(out.stageChanges[0]!.reason).toBe('{"kind":"promoted"}');
      expect(out.events).toEqual([{ id: eventId, site: 'acme', anonymousId: 'v-exp', type: 'identify', ts: clean.events[0]!.ts, body: '{"traits":' }]);
      expect(out.unreadable).toEqual([
        expect.stringMatching(new RegExp(`^stored leads\\.profile of row ${lead.id} does not decode: seniority: `)),
        expect.stringMatching(new RegExp(`^stored leads\\.outcome of row ${lead.id} does not decode: not JSON`)),
        expect.stringMatching(new RegExp(`^stored events\\.body of row ${eventId} does not decode: not JSON`)),
        ...out.stageChanges.map(() => expect.stringMatching(/^stored stage_changes\.reason of row \d+ does not decode: kind: /)),
      ]);
    } finally {
      await s.cleanup();
    }
  });
});
