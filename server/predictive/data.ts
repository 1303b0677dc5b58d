import type { Kysely } from 'kysely';
import { eventJson, leadEvents } from '../db/event-rows.ts';
import type { DB } from '../db/schema.ts';
import type { RawLead } from './training.ts';

// Training data: leads with an outcome and their events, as stored text, in chunks. SQLite
// reads are synchronous, and one query over every event (or one message carrying all of
// them to the worker) would hold the event loop; a chunk at a time, with a turn of the loop
// between chunks, keeps ingest and lead reads flowing while a run gathers its data.

const CHUNK = 200;
/** The most recent outcomes; older ones describe a funnel that has moved on. */
export const MAX_TRAINING_LEADS = 20_000;

export async function* trainingLeadChunks(db: Kysely<DB>): AsyncGenerator<RawLead[]> {
  const leads = await db
    .selectFrom('leads')
    .select(['id', 'profile', 'emails', 'outcome'])
    .where('outcome', 'is not', null)
    .orderBy('last_seen', 'desc')
    .limit(MAX_TRAINING_LEADS)
    .execute();
  for (let i = 0; i < leads.length; i += CHUNK) {
    const chunk = leads.slice(i, i + CHUNK);
    const events = await leadEvents(
      db,
      chunk.map((l) => l.id),
    )
      .orderBy('ts')
      .orderBy('id')
      .execute();
    const byLead = new Map<string, string[]>();
    for (const e of events) {
      const list = byLead.get(e.lead_id) ?? [];
      list.push(eventJson(e));
      byLead.set(e.lead_id, list);
    }
    yield chunk.map((l) => ({ id: l.id, profile: l.profile, emails: l.emails, outcome: l.outcome!, events: byLead.get(l.id) ?? [] }));
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Every chunk at once (the CLI, which has no event loop to keep free). */
export async function loadTrainingLeads(db: Kysely<DB>): Promise<RawLead[]> {
  const out: RawLead[] = [];
  for await (const chunk of trainingLeadChunks(db)) out.push(...chunk);
  return out;
}
