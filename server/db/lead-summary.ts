import { sql, type Kysely } from 'kysely';
import type { Event, EventType } from '../../shared/contracts/event.ts';
import { decodeEvent, leadEvents } from './event-rows.ts';
import { packSegment, SEGMENT_SEPARATOR, unpack, type PackedSummary } from './lead-summary-codec.ts';
import type { DB } from './schema.ts';

// One row per lead holding its events packed (lead-summary-codec.ts), kept in the transactions
// that change whose events are whose, so reports, backtests and rescoring read one row per lead
// instead of one row and one JSON body per event. The events table stays the record: a summary
// is always what `rebuildSummaries` would make from it, and can be made again from it.
//
// Upkeep (each in the transaction that makes the change):
// - ingest: new events of a known lead are appended (a SQL `||` of text, no read); a lead that an
//   identify joined a history to, and the earlier owner on a relink, are rebuilt.
// - offline events on a lead (import, email links): appended.
// - erasure: the row goes with the lead (and `lead_summaries` is in ERASED_TABLES).
// - retention: the leads that lost events are rebuilt with their rescore.

/** Appends beyond this many segments fold the row into one segment (a read and a write). */
export const MAX_SEGMENTS = 24;

const IN_CHUNK = 500;

function* inChunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/** Adds new events (not stored in the summary yet) to their leads' summaries. */
export async function appendToSummaries(trx: Kysely<DB>, byLead: ReadonlyMap<string, readonly Event[]>): Promise<void> {
  const rows = [...byLead].filter(([, events]) => events.length > 0).map(([lead_id, events]) => ({ lead_id, packed: packSegment(events), events: events.length, segments: 1 }));
  if (rows.length === 0) return;
  const full: string[] = [];
  for (const chunk of inChunks(rows, IN_CHUNK)) {
    const written = await trx
      .insertInto('lead_summaries')
      .values(chunk)
      .onConflict((oc) =>
        oc.column('lead_id').doUpdateSet({
          packed: sql<PackedSummary>`lead_summaries.packed || ${SEGMENT_SEPARATOR} || excluded.packed`,
          events: sql<number>`lead_summaries.events + excluded.events`,
          segments: sql<number>`lead_summaries.segments + excluded.segments`,
        }),
      )
      .returning(['lead_id', 'segments'])
      .execute();
    for (const r of written) if (Number(r.segments) > MAX_SEGMENTS) full.push(r.lead_id);
  }
  await foldSegments(trx, full);
}

/** Rewrites each of these summaries as one segment, in order. */
async function foldSegments(trx: Kysely<DB>, leadIds: readonly string[]): Promise<void> {
  for (const chunk of inChunks(leadIds, IN_CHUNK)) {
    const rows = await trx.selectFrom('lead_summaries').select(['lead_id', 'packed']).where('lead_id', 'in', chunk).execute();
    for (const r of rows) {
      const events = unpack(r.packed);
      await trx.updateTable('lead_summaries').set({ packed: packSegment(events), events: events.length, segments: 1 }).where('lead_id', '=', r.lead_id).execute();
    }
  }
}

/**
 * Makes these leads' summaries again from the events table (owners through identities, bodies
 * through the Event contract). A lead with no events keeps no row; a lead that is gone loses it.
 */
export async function rebuildSummaries(trx: Kysely<DB>, leadIds: Iterable<string>): Promise<void> {
  const ids = [...new Set(leadIds)];
  for (const chunk of inChunks(ids, IN_CHUNK)) {
    const rows = await leadEvents(trx, chunk).orderBy('lead_id').orderBy('ts').orderBy('id').execute();
    const byLead = new Map<string, Event[]>();
    for (const r of rows) {
      const e = decodeEvent(r);
      if (!e) continue;
      const list = byLead.get(r.lead_id);
      if (list) list.push(e);
      else byLead.set(r.lead_id, [e]);
    }
    await trx.deleteFrom('lead_summaries').where('lead_id', 'in', chunk).execute();
    const values = [...byLead].map(([lead_id, events]) => ({ lead_id, packed: packSegment(events), events: events.length, segments: 1 }));
    for (const part of inChunks(values, 100)) await trx.insertInto('lead_summaries').values(part).execute();
  }
}

/** Every lead's summary made again from the events table, `pageSize` leads per statement (the backfill). */
export async function rebuildAllSummaries(db: Kysely<DB>, pageSize = 500): Promise<number> {
  let after = '';
  let leads = 0;
  for (;;) {
    const ids = (await db.selectFrom('leads').select('id').where('id', '>', after).orderBy('id').limit(pageSize).execute()).map((r) => r.id);
    if (ids.length === 0) return leads;
    await rebuildSummaries(db, ids);
    leads += ids.length;
    after = ids[ids.length - 1]!;
  }
}

/** How a change of the packed form reads a stale row and writes it anew (migration 0013). */
export type SummaryRewrite = { stale: (packed: string) => boolean; read: (packed: string) => Event[]; write: (events: readonly Event[]) => string };

/**
 * Every stale summary written again from its own events in another packed form, `pageSize`
 * leads per read, each as one segment; returns how many were rewritten.
 */
export async function rewriteAllSummaries(db: Kysely<DB>, { stale, read, write }: SummaryRewrite, pageSize = 500): Promise<number> {
  let after = '';
  let rewritten = 0;
  for (;;) {
    const rows = await db.selectFrom('lead_summaries').select(['lead_id', 'packed']).where('lead_id', '>', after).orderBy('lead_id').limit(pageSize).execute();
    if (rows.length === 0) return rewritten;
    for (const r of rows) {
      if (!stale(r.packed)) continue;
      const events = read(r.packed);
      await db.updateTable('lead_summaries').set({ packed: write(events), events: events.length, segments: 1 }).where('lead_id', '=', r.lead_id).execute();
      rewritten++;
    }
    after = rows[rows.length - 1]!.lead_id;
  }
}

/** The packed summaries of these leads, as stored (absent: the lead has no events); rescoring unpacks them in its workers. */
export async function packedSummaries(db: Kysely<DB>, leadIds: readonly string[]): Promise<Map<string, PackedSummary>> {
  const out = new Map<string, PackedSummary>();
  for (const chunk of inChunks(leadIds, IN_CHUNK)) {
    for (const r of await db.selectFrom('lead_summaries').select(['lead_id', 'packed']).where('lead_id', 'in', chunk).execute()) out.set(r.lead_id, r.packed);
  }
  return out;
}

/** The events of each of `leadIds` from their summaries, in (ts, id) order (of `types` only, when given). */
export async function summaryHistories(db: Kysely<DB>, leadIds: readonly string[], types?: ReadonlySet<EventType>): Promise<Map<string, Event[]>> {
  const out = new Map<string, Event[]>();
  for (const [leadId, packed] of await packedSummaries(db, leadIds)) out.set(leadId, unpack(packed, types));
  return out;
}

/** Drops a lead's summary (erasure). */
export async function deleteSummary(trx: Kysely<DB>, leadId: string): Promise<void> {
  await trx.deleteFrom('lead_summaries').where('lead_id', '=', leadId).execute();
}
