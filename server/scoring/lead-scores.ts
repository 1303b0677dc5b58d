import { sql, type Kysely } from 'kysely';
import type { StageChange } from '../../shared/contracts/api.ts';
import type { Event } from '../../shared/contracts/event.ts';
import type { Stage } from '../../shared/contracts/lead.ts';
import type { Model } from '../../shared/contracts/model.ts';
import { storedState, type ScoreState } from '../../shared/contracts/score-state.ts';
import { applyEventsInPlace, compareEvents, needsRebuild, readScore, stateFromHistory } from '../../shared/scoring/index.ts';
import { decodeEvents, leadEvents } from '../db/event-rows.ts';
import { isPostgres } from '../db/locks.ts';
import type { DB } from '../db/schema.ts';
import { factsOf, scoreValues, stageChangeOf, stageChangeRow, type LeadRow, type ScoreRow } from './score-rows.ts';

// Keeping a lead's scores current: incremental on new events, a rebuild from the stored
// history when an event arrives out of order, when a history joins the lead, or when the
// model changed. Runs inside the writer's transaction.

export { factsOf, scoreValues, stageChangeOf, stageChangeRow, type LeadRow, type ScoreRow } from './score-rows.ts';

export async function leadHistory(db: Kysely<DB>, leadId: string, upTo?: number): Promise<Event[]> {
  const rows = await leadEvents(db, [leadId], upTo !== undefined ? { upTo } : {})
    .orderBy('ts')
    .orderBy('id')
    .execute();
  return decodeEvents(rows);
}

export type RescoreInput = {
  lead: LeadRow;
  models: readonly Model[];
  /** Stored score rows of this lead, by model id. */
  stored: Map<string, ScoreRow>;
  /** New events of this lead (any order); empty for fact changes (feedback, outcome). */
  newEvents: readonly Event[];
  /** Force a rebuild from history (a history joined the lead; events were deleted). */
  rebuild: boolean;
  now: number;
};

/** Updates the lead's score rows; returns the stage changes (not yet published). */
export async function rescoreLead(trx: Kysely<DB>, input: RescoreInput): Promise<StageChange[]> {
  const { lead, models, stored, now } = input;
  const facts = factsOf(lead);
  const sorted = [...input.newEvents].sort(compareEvents);
  let history: Event[] | undefined;
  const changes: StageChange[] = [];
  for (const model of models) {
    const row = stored.get(model.id);
    // A state of another model version, of an older engine or one that does not decode is
    // rebuilt from history, and the rebuilt state is stored below in its place.
    let state: ScoreState | undefined = row && row.model_version === model.version ? storedState(row.state) : undefined;
    if (!state || input.rebuild || (sorted.length > 0 && needsRebuild(state, sorted[0]!))) {
      history ??= await leadHistory(trx, lead.id);
      state = stateFromHistory(model, history);
    } else if (sorted.length > 0) {
      // In place: the state was just decoded from its row and nothing else holds it.
      state = applyEventsInPlace(model, state, sorted);
    }
    const score = readScore(model, facts, state, now);
    const from = (row?.stage ?? 'anonymous') as Stage;
    const values = scoreValues(model, state, score, now);
    await trx
      .insertInto('lead_scores')
      .values({ lead_id: lead.id, model_id: model.id, ...values })
      .onConflict((oc) => oc.columns(['lead_id', 'model_id']).doUpdateSet(values))
      .execute();
    if (from !== score.stage) {
      const change = stageChangeOf(lead, model.id, from, score, facts.profile, now);
      await trx.insertInto('stage_changes').values(stageChangeRow(change)).execute();
      changes.push(change);
    }
  }
  return changes;
}

export async function storedScores(db: Kysely<DB>, leadIds: readonly string[]): Promise<Map<string, Map<string, ScoreRow>>> {
  const out = new Map<string, Map<string, ScoreRow>>();
  for (const chunk of chunks(leadIds, 500)) {
    const rows = await db.selectFrom('lead_scores').selectAll().where('lead_id', 'in', chunk).execute();
    for (const r of rows) {
      let m = out.get(r.lead_id);
      if (!m) out.set(r.lead_id, (m = new Map()));
      m.set(r.model_id, r);
    }
  }
  return out;
}

/**
 * The leads' rows. Inside a transaction on PostgreSQL this also locks them (FOR UPDATE, in id
 * order), and everything that scores a lead reads it through here first: so whatever an
 * instance then reads of the lead's scores and writes back, no other instance changes in
 * between, and N instances compute exactly what one would.
 */
export async function leadRows(db: Kysely<DB>, leadIds: readonly string[]): Promise<Map<string, LeadRow>> {
  const out = new Map<string, LeadRow>();
  const lock = db.isTransaction && isPostgres(db);
  // Code-unit order here and byte order (COLLATE "C") in the database: one order everywhere.
  const ids = lock ? [...new Set(leadIds)].sort() : leadIds;
  for (const chunk of chunks(ids, 500)) {
    const q = db.selectFrom('leads').selectAll().where('id', 'in', chunk);
    const rows = lock ? await q.orderBy(sql`id COLLATE "C"`).forUpdate().execute() : await q.execute();
    for (const r of rows) out.set(r.id, r);
  }
  return out;
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
