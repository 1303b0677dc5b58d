import type { Selectable } from 'kysely';
import type { StageChange } from '../../shared/contracts/api.ts';
import type { LeadProfile, LeadScore, Stage } from '../../shared/contracts/lead.ts';
import type { Model } from '../../shared/contracts/model.ts';
import type { ScoreState } from '../../shared/contracts/score-state.ts';
import type { LeadFacts } from '../../shared/scoring/index.ts';
import { leadEmails, leadFeedback, leadOutcome, leadProfile } from '../db/lead-rows.ts';
import type { LeadsTable, LeadScoresTable } from '../db/schema.ts';

// What a lead's scores are stored as, with no I/O: the lead's facts from its row, the
// lead_scores columns of a score, a stage change and its row. lead-scores.ts (ingest's
// rescore) and the rescore workers (rescore-compute.ts) both write through these; kept apart
// from lead-scores.ts so a worker thread loads no database code.

export type LeadRow = Selectable<LeadsTable>;
export type ScoreRow = Selectable<LeadScoresTable>;

/** A lead's stage change under one model, as the outbox, streams and webhooks carry it. */
export function stageChangeOf(lead: LeadRow, modelId: string, from: Stage, score: Pick<LeadScore, 'stage' | 'stageReason'>, profile: LeadProfile, now: number): StageChange {
  const emails = leadEmails(lead);
  return {
    leadId: lead.id,
    modelId,
    from,
    to: score.stage,
    reason: score.stageReason,
    at: now,
    ...(emails[0] ? { email: emails[0] } : {}),
    ...(profile.name ? { name: profile.name } : {}),
  };
}

/** The stage_changes row of a change. */
export function stageChangeRow(c: StageChange) {
  return { lead_id: c.leadId, model_id: c.modelId, from_stage: c.from, to_stage: c.to, reason: JSON.stringify(c.reason), at: c.at };
}

/** The lead's facts, decoded through the contracts (a row that does not decode throws, naming the lead). */
export function factsOf(row: LeadRow): LeadFacts {
  return { profile: leadProfile(row), feedback: leadFeedback(row), outcome: leadOutcome(row) };
}

/** A lead's `lead_scores` columns under `model` (ingest's rescore and the batched rescore chunk write the same). */
export function scoreValues(model: Pick<Model, 'version'>, state: ScoreState, score: Pick<LeadScore, 'stage'> & { fit: Pick<LeadScore['fit'], 'score'>; interest: Pick<LeadScore['interest'], 'score'> }, now: number): Omit<ScoreRow, 'lead_id' | 'model_id'> {
  return { model_version: model.version, state: JSON.stringify(state), stage: score.stage, fit: score.fit.score, interest: score.interest.score, updated_at: now };
}
