import type { Kysely } from 'kysely';
import type { Evaluation, PredictiveStatus, PredictiveSummary } from '../../shared/contracts/marketing.ts';
import { PredictiveModel } from '../../shared/predictive/model.ts';
import type { DB } from '../db/schema.ts';

// Predictive runs in the database: the current model, and every run with why it was or was
// not kept. Exactly one row is `current` at a time; a new current retires the old one in the
// same transaction.

export type RunRecord = {
  id: string;
  trainedAt: number;
  status: 'current' | 'rejected' | 'failed';
  reason: string;
  model?: PredictiveModel;
};

export async function recordRun(trx: Kysely<DB>, run: RunRecord): Promise<void> {
  if (run.status === 'current') await trx.updateTable('predictive_models').set({ status: 'retired' }).where('status', '=', 'current').execute();
  await trx
    .insertInto('predictive_models')
    .values({
      id: run.id,
      trained_at: run.trainedAt,
      status: run.status,
      reason: run.reason,
      evaluation: run.model ? JSON.stringify(run.model.evaluation) : null,
      model: run.model ? JSON.stringify(run.model) : null,
    })
    .execute();
}

/** The current model as stored text (what the worker gets), or null. */
export async function currentModelText(db: Kysely<DB>): Promise<string | null> {
  const row = await db.selectFrom('predictive_models').select('model').where('status', '=', 'current').orderBy('trained_at', 'desc').limit(1).executeTakeFirst();
  return row?.model ?? null;
}

export async function loadCurrentModel(db: Kysely<DB>): Promise<PredictiveModel | undefined> {
  const text = await currentModelText(db);
  if (!text) return undefined;
  const parsed = PredictiveModel.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : undefined;
}

export function summaryOf(model: PredictiveModel): PredictiveSummary {
  return { id: model.id, trainedAt: model.trainedAt, features: model.names.length, evaluation: model.evaluation };
}

export async function predictiveStatus(db: Kysely<DB>, training: boolean, scheduleHours: number): Promise<PredictiveStatus> {
  const status: PredictiveStatus = { training, scheduleHours };
  const current = await loadCurrentModel(db);
  if (current) status.current = summaryOf(current);
  const last = await db.selectFrom('predictive_models').select(['trained_at', 'status', 'reason', 'evaluation']).orderBy('trained_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  if (last) {
    status.lastRun = { at: last.trained_at, accepted: last.status === 'current' || last.status === 'retired', reason: last.reason };
    if (last.evaluation) status.lastRun.evaluation = JSON.parse(last.evaluation) as Evaluation;
  }
  return status;
}
