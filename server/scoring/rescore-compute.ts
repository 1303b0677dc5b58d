import type { StageChange } from '../../shared/contracts/api.ts';
import type { Stage } from '../../shared/contracts/lead.ts';
import type { Model } from '../../shared/contracts/model.ts';
import { readScoreFigures, stateFromHistory } from '../../shared/scoring/index.ts';
import { unpack } from '../db/lead-summary-codec.ts';
import { factsOf, scoreValues, stageChangeOf, type LeadRow, type ScoreRow } from './score-rows.ts';

// The CPU of the background rescore (rescore.ts) for a set of leads, with no I/O: a lead's
// row, its packed summary (db/lead-summary.ts) and its stored stages in; its new lead_scores
// rows and stage changes out. Per lead and model it computes exactly what `rescoreLead` with
// `rebuild: true` does: a state from the whole history, the score read at `now` (the stored
// figures only, readScoreFigures: the same numbers as readScore without building its reasons),
// a stage change when the stage moved. It runs in the rescore workers (rescore-worker.ts) on leads read
// outside the writer, and inline in the writer job for a lead that changed since it was read.
// Inputs are plain data (structured-clone safe), so a worker gets them as the database gave them.

/** A stored score row as far as rescoring reads it: which version wrote it, and the stage it set. */
export type StoredStage = Pick<ScoreRow, 'model_version' | 'stage'>;

/** One lead as rescoring reads it: its row, its packed events (null: none), its stored stages by model id. */
export type RescoreInput = { lead: LeadRow; packed: string | null; stored: Readonly<Record<string, StoredStage>> };

/** What rescoring one lead writes: one lead_scores row per model, and its stage changes. */
export type RescoreOutput = { leadId: string; rows: ScoreRow[]; changes: StageChange[] };

/** True when the lead's stored rows are all of the current model versions (ingest already rescored it). */
export function isCurrent(stored: Readonly<Record<string, StoredStage>> | undefined, models: readonly Model[]): boolean {
  return models.every((m) => stored?.[m.id]?.model_version === m.version);
}

export function rescoreOne(input: RescoreInput, models: readonly Model[], now: number): RescoreOutput {
  const { lead, stored } = input;
  const facts = factsOf(lead);
  // Each lead's events from its one summary row, in (ts, id) order.
  const history = unpack(input.packed);
  const rows: ScoreRow[] = [];
  const changes: StageChange[] = [];
  for (const model of models) {
    const state = stateFromHistory(model, history);
    // Only what the row stores and a stage change words: no reasons (readScoreFigures).
    const score = readScoreFigures(model, facts, state, now);
    rows.push({ lead_id: lead.id, model_id: model.id, ...scoreValues(model, state, { stage: score.stage, fit: { score: score.fit }, interest: { score: score.interest } }, now) });
    const from = (stored[model.id]?.stage ?? 'anonymous') as Stage;
    if (from !== score.stage) changes.push(stageChangeOf(lead, model.id, from, score, facts.profile, now));
  }
  return { leadId: lead.id, rows, changes };
}

export function rescoreMany(inputs: readonly RescoreInput[], models: readonly Model[], now: number): RescoreOutput[] {
  return inputs.map((input) => rescoreOne(input, models, now));
}
