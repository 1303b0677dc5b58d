import type { Kysely } from 'kysely';
import { StageReason } from '../../shared/contracts/lead.ts';
import { leadEvents, tryDecodeEvent } from '../db/event-rows.ts';
import { leadEmails, leadFeedback, leadOutcome, leadProfile } from '../db/lead-rows.ts';
import { deleteSummary } from '../db/lead-summary.ts';
import { lockAll, lockKey } from '../db/locks.ts';
import type { DB } from '../db/schema.ts';
import { decodeStored, StoredRowError } from '../db/stored-json.ts';
import { leadRows } from '../scoring/lead-scores.ts';

// Erasure and export (retention: retention.ts). An erasure removes every event, identity link, email and
// score of the lead; the audit entry keeps only the lead id and counts.

export async function eraseLead(trx: Kysely<DB>, leadId: string, actor: string, now = Date.now()): Promise<{ events: number } | undefined> {
  // Its anonymous ids first, then the lead (the lock order of db/locks.ts): no instance can be
  // storing an event for it meanwhile.
  const anon = await trx.selectFrom('identities').select(['site', 'anonymous_id']).where('lead_id', '=', leadId).execute();
  await lockAll(trx, anon.map((a) => lockKey('anon', `${a.site}\u0000${a.anonymous_id}`)));
  const lead = (await leadRows(trx, [leadId])).get(leadId);
  if (!lead) return undefined;
  // Its events: those pinned to it, and those of its anonymous ids pinned to nobody (an
  // earlier owner's pinned events on a shared computer are theirs, and stay).
  const del = await trx.deleteFrom('events').where('lead_id', '=', leadId).executeTakeFirst();
  let events = Number(del.numDeletedRows);
  for (const a of anon) {
    const r = await trx.deleteFrom('events').where('site', '=', a.site).where('anonymous_id', '=', a.anonymous_id).where('lead_id', 'is', null).executeTakeFirst();
    events += Number(r.numDeletedRows);
  }
  await trx.deleteFrom('identities').where('lead_id', '=', leadId).execute();
  await trx.deleteFrom('identity_links').where('lead_id', '=', leadId).execute();
  await trx.updateTable('identity_links').set({ from_lead_id: null }).where('from_lead_id', '=', leadId).execute();
  await trx.deleteFrom('lead_emails').where('lead_id', '=', leadId).execute();
  await trx.deleteFrom('lead_scores').where('lead_id', '=', leadId).execute();
  // Its packed events (db/lead-summary.ts): an earlier owner's summary holds none of its events.
  await deleteSummary(trx, leadId);
  await trx.deleteFrom('stage_changes').where('lead_id', '=', leadId).execute();
  // Undelivered webhooks and stream replays of an erased lead carry its name and email.
  await trx.deleteFrom('outbox').where('lead_id', '=', leadId).execute();
  await trx.deleteFrom('leads').where('id', '=', leadId).execute();
  await trx.insertInto('audit').values({ at: now, actor, action: 'erase', detail: JSON.stringify({ leadId, events }) }).execute();
  return { events };
}

export async function exportLead(db: Kysely<DB>, leadId: string): Promise<Record<string, unknown> | undefined> {
  const lead = await db.selectFrom('leads').selectAll().where('id', '=', leadId).executeTakeFirst();
  if (!lead) return undefined;
  const eventRows = await leadEvents(db, [leadId]).orderBy('ts').orderBy('id').execute();
  const identities = await db.selectFrom('identities').select(['site', 'anonymous_id', 'created_at']).where('lead_id', '=', leadId).execute();
  const links = await db.selectFrom('identity_links').selectAll().where('lead_id', '=', leadId).execute();
  const scores = await db.selectFrom('lead_scores').select(['model_id', 'model_version', 'stage', 'fit', 'interest', 'updated_at']).where('lead_id', '=', leadId).execute();
  const stages = await db.selectFrom('stage_changes').select(['id', 'model_id', 'from_stage', 'to_stage', 'reason', 'at']).where('lead_id', '=', leadId).orderBy('id').execute();
  // An export must carry everything held on the person, and in time: a column that does not
  // decode through its contract is exported as the stored text, with why in `unreadable`
  // rather than failing the export or leaving the data out.
  const unreadable: string[] = [];
  const column = (read: () => unknown, stored: string): unknown => {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof StoredRowError)) throw error;
      unreadable.push(error.message);
      return stored;
    }
  };
  const exportedLead = {
    id: lead.id,
    emails: column(() => leadEmails(lead), lead.emails),
    profile: column(() => leadProfile(lead), lead.profile),
    feedback: lead.feedback === null ? null : column(() => leadFeedback(lead), lead.feedback),
    outcome: lead.outcome === null ? null : column(() => leadOutcome(lead), lead.outcome),
    firstSeen: lead.first_seen,
    lastSeen: lead.last_seen,
  };
  // An event the contract refuses is exported with its columns and stored body, and why.
  const events = eventRows.map((r) => {
    const decoded = tryDecodeEvent(r);
    if (decoded.ok) return decoded.value;
    unreadable.push(decoded.error.message);
    return { id: r.id, site: r.site, anonymousId: r.anonymous_id, type: r.type, ts: Number(r.ts), body: r.body };
  });
  // Why each stage change happened, as data (StageReason), as the API gives it.
  const stageChanges = stages.map(({ id, ...c }) => ({ ...c, reason: column(() => decodeStored(StageReason, c.reason, { table: 'stage_changes', column: 'reason', row: String(id) }), c.reason) }));
  return {
    exportedAt: Date.now(),
    lead: exportedLead,
    identities,
    identityLinks: links,
    scores,
    stageChanges,
    events,
    ...(unreadable.length ? { unreadable } : {}),
  };
}
