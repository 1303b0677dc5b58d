import type { Kysely } from 'kysely';
import type { StageChange } from '../../shared/contracts/api.ts';
import type { Stage } from '../../shared/contracts/lead.ts';
import type { Model } from '../../shared/contracts/model.ts';
import { readScore, stateFromHistory } from '../../shared/scoring/index.ts';
import { summaryHistories } from '../db/lead-summary.ts';
import type { DB } from '../db/schema.ts';
import { chunks, factsOf, scoreValues, stageChangeOf, stageChangeRow, type LeadRow, type ScoreRow } from './lead-scores.ts';

// One chunk of the background rescore (rescore.ts) as a few statements instead of a few per
// lead: the chunk's histories in one read of their packed summaries (db/lead-summary.ts: one
// row per lead, not one row and one JSON body per event), every score row in one multi-row
// upsert, the stage changes in one insert. Per lead it computes exactly what `rescoreLead` with
// `rebuild: true` does (a state from the whole history, the score read at `now`, a stage change
// when the stage moved). Reading the histories lead by lead and writing each row alone made a
// publish take 335-745 s per 100k leads, most of it statements.

/** Rows per multi-row statement: 8 values a row stays far below both backends' parameter limits. */
const ROWS_PER_STATEMENT = 500;

/**
 * Rescores the leads of a chunk whose stored scores are not all of the current model versions;
 * returns the stage changes (for the outbox, not yet published) and how many leads it scored.
 */
export async function rescoreChunk(
  trx: Kysely<DB>,
  leads: ReadonlyMap<string, LeadRow>,
  scores: ReadonlyMap<string, Map<string, ScoreRow>>,
  models: readonly Model[],
  now: number,
): Promise<{ changes: StageChange[]; scored: number }> {
  const todo = [...leads.values()].filter((lead) => !models.every((m) => scores.get(lead.id)?.get(m.id)?.model_version === m.version));
  if (todo.length === 0) return { changes: [], scored: 0 };
  // Each lead's events from its one summary row (db/lead-summary.ts), in (ts, id) order.
  const histories = await summaryHistories(
    trx,
    todo.map((l) => l.id),
  );
  const scoreRows: ScoreRow[] = [];
  const stageRows: ReturnType<typeof stageChangeRow>[] = [];
  const changes: StageChange[] = [];
  for (const lead of todo) {
    const facts = factsOf(lead);
    const history = histories.get(lead.id) ?? [];
    const stored = scores.get(lead.id);
    for (const model of models) {
      const state = stateFromHistory(model, history);
      const score = readScore(model, facts, state, now);
      scoreRows.push({ lead_id: lead.id, model_id: model.id, ...scoreValues(model, state, score, now) });
      const from = (stored?.get(model.id)?.stage ?? 'anonymous') as Stage;
      if (from === score.stage) continue;
      const change = stageChangeOf(lead, model.id, from, score, facts.profile, now);
      changes.push(change);
      stageRows.push(stageChangeRow(change));
    }
  }
  for (const rows of chunks(scoreRows, ROWS_PER_STATEMENT)) {
    await trx
      .insertInto('lead_scores')
      .values(rows)
      .onConflict((oc) =>
        oc.columns(['lead_id', 'model_id']).doUpdateSet((eb) => ({
          model_version: eb.ref('excluded.model_version'),
          state: eb.ref('excluded.state'),
          stage: eb.ref('excluded.stage'),
          fit: eb.ref('excluded.fit'),
          interest: eb.ref('excluded.interest'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
  for (const rows of chunks(stageRows, ROWS_PER_STATEMENT)) await trx.insertInto('stage_changes').values(rows).execute();
  return { changes, scored: todo.length };
}
