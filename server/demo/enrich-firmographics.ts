import { LeadProfile } from '../../shared/contracts/lead.ts';
import { describeError } from '../../shared/errors.ts';
import type { OpenDatabase } from '../db/open.ts';
import { leadRows, rescoreLead, storedScores } from '../scoring/lead-scores.ts';
import { loadLiveModels } from '../scoring/live-models.ts';
import type { Firmographics } from './people.ts';

/**
 * Firmographics as an enrichment provider or a CRM sync would add them: company industry,
 * size, revenue and country on the lead's profile, then a rescore (fit changes, interest
 * state is kept). There is no API for this yet, so it writes through the database.
 */
export async function enrichFirmographics(db: OpenDatabase, facts: readonly Firmographics[]): Promise<void> {
  const now = Date.now();
  const { models } = await loadLiveModels(db.write);
  await db.write.transaction().execute(async (trx) => {
    const emails = facts.map((f) => f.email);
    const byEmail = new Map<string, string>();
    for (let i = 0; i < emails.length; i += 500) {
      for (const r of await trx.selectFrom('lead_emails').select(['email', 'lead_id']).where('email', 'in', emails.slice(i, i + 500)).execute()) byEmail.set(r.email, r.lead_id);
    }
    const ids = [...new Set(byEmail.values())];
    const rows = await leadRows(trx, ids);
    const scores = await storedScores(trx, ids);
    for (const f of facts) {
      const leadId = byEmail.get(f.email);
      const row = leadId ? rows.get(leadId) : undefined;
      if (!row) continue;
      const decoded = LeadProfile.safeParse(JSON.parse(row.profile));
      if (!decoded.success) throw new Error(`seeding: lead ${row.id} has a stored profile that is not a LeadProfile: ${describeError(decoded.error, ['profile'])}`);
      const profile = decoded.data;
      if (f.country) profile.country ??= f.country;
      if (f.company && profile.company) profile.company = { ...f.company, ...profile.company, domain: profile.company.domain };
      const updated = { ...row, profile: JSON.stringify(profile) };
      await trx.updateTable('leads').set({ profile: updated.profile }).where('id', '=', row.id).execute();
      await rescoreLead(trx, { lead: updated, models, stored: scores.get(row.id) ?? new Map(), newEvents: [], rebuild: false, now });
    }
  });
}
