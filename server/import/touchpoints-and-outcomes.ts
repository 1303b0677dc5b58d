import { createReadStream } from 'node:fs';
import type { Kysely } from 'kysely';
import type { StageChange } from '../../shared/contracts/api.ts';
import { Event } from '../../shared/contracts/event.ts';
import type { Outcome } from '../../shared/contracts/lead.ts';
import type { Model } from '../../shared/contracts/model.ts';
import { encodeBody, storedIds } from '../db/event-rows.ts';
import { appendToSummaries } from '../db/lead-summary.ts';
import { isPostgres } from '../db/locks.ts';
import type { DB } from '../db/schema.ts';
import { leadRows, rescoreLead, storedScores } from '../scoring/lead-scores.ts';
import { touchpointEvent, type TouchpointRecord } from './csv.ts';
import { leadIdByEmail } from '../read/lead-views.ts';

// Offline facts for known leads: touchpoints (webinar, trade fair, call) become `custom`
// events on the lead's history; CRM outcomes (won, lost) set the lead's outcome. Used by
// POST /v1/track and by `leadglow import`. Both rescore the lead at once.

export async function addTouchpoint(trx: Kysely<DB>, models: readonly Model[], rec: Omit<TouchpointRecord, 'line'>, site: string, now = Date.now()): Promise<{ found: boolean; duplicate: boolean; changes: StageChange[] }> {
  const leadId = await leadIdByEmail(trx, rec.email);
  if (!leadId) return { found: false, duplicate: false, changes: [] };
  const event: Event = touchpointEvent({ ...rec, line: 0 }, { site, anonymousId: `lead:${leadId}`.slice(0, 64), sessionId: 'offline' });
  return addLeadEvent(trx, models, leadId, event, now);
}

/**
 * Stores one event straight on a known lead's history (no anonymous id to resolve: offline
 * touchpoints, email opens and clicks), once per event id, and rescores the lead.
 */
export async function addLeadEvent(trx: Kysely<DB>, models: readonly Model[], leadId: string, event: Event, now = Date.now()): Promise<{ found: boolean; duplicate: boolean; changes: StageChange[] }> {
  const lead = (await leadRows(trx, [leadId])).get(leadId);
  if (!lead) return { found: false, duplicate: false, changes: [] };
  // The lead's row lock (above) keeps two writers of one event on this lead apart.
  if (isPostgres(trx) && (await storedIds(trx, [event.id])).size > 0) return { found: true, duplicate: true, changes: [] };
  const inserted = await trx
    .insertInto('events')
    .values({ id: event.id, site: event.site, anonymous_id: event.anonymousId, lead_id: leadId, ts: event.ts, type: event.type, body: encodeBody(event), received_at: now })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .execute();
  if (inserted.length === 0) return { found: true, duplicate: true, changes: [] };
  // Packed as a rebuild would read it back: through the contract.
  const decoded = Event.safeParse(event);
  if (decoded.success) await appendToSummaries(trx, new Map([[leadId, [decoded.data]]]));
  const stored = (await storedScores(trx, [leadId])).get(leadId) ?? new Map();
  const changes = await rescoreLead(trx, { lead, models, stored, newEvents: [event], rebuild: false, now });
  if (event.ts > lead.last_seen || event.ts < lead.first_seen) {
    await trx.updateTable('leads').set({ last_seen: Math.max(lead.last_seen, event.ts), first_seen: Math.min(lead.first_seen, event.ts) }).where('id', '=', leadId).execute();
  }
  return { found: true, duplicate: false, changes };
}

export async function setOutcome(trx: Kysely<DB>, models: readonly Model[], email: string, outcome: Outcome, now = Date.now()): Promise<{ found: boolean; changes: StageChange[] }> {
  const leadId = await leadIdByEmail(trx, email);
  if (!leadId) return { found: false, changes: [] };
  const lead = (await leadRows(trx, [leadId])).get(leadId)!;
  const updated = { ...lead, outcome: JSON.stringify(outcome) };
  await trx.updateTable('leads').set({ outcome: updated.outcome }).where('id', '=', leadId).execute();
  const stored = (await storedScores(trx, [leadId])).get(leadId) ?? new Map();
  return { found: true, changes: await rescoreLead(trx, { lead: updated, models, stored, newEvents: [], rebuild: false, now }) };
}

export function fileChunks(path: string): AsyncIterable<Uint8Array> {
  return createReadStream(path) as AsyncIterable<Uint8Array>;
}
