import type { Kysely } from 'kysely';
import { Evaluation, RunWhy, type PredictiveStatus, type PredictiveSummary } from '../../shared/contracts/marketing.ts';
import { english, wordRunWhy } from '../../shared/scoring/wording.ts';
import { PredictiveModel } from '../../shared/predictive/predictive-model.ts';
import type { DB } from '../db/schema.ts';

// Predictive runs in the database: the current model, and every run with why it was or was
// not kept. Exactly one row is `current` at a time; a new current retires the old one in the
// same transaction.

export type RunRecord = {
  id: string;
  trainedAt: number;
  status: 'current' | 'rejected' | 'failed';
  why: RunWhy;
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
      // The column holds the reason as data (RunWhy JSON); rows from before hold English text.
      reason: JSON.stringify(run.why),
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
    const why = storedWhy(last.reason);
    status.lastRun = { at: last.trained_at, accepted: last.status === 'current' || last.status === 'retired', reason: why ? wordRunWhy(why, english) : last.reason, ...(why ? { why } : {}) };
    if (last.evaluation) {
      const evaluation = Evaluation.safeParse(JSON.parse(last.evaluation));
      if (evaluation.success) status.lastRun.evaluation = evaluation.data;
    }
  }
  return status;
}

/** A stored reason as data; undefined for English text stored before reasons were data. */
function storedWhy(text: string): RunWhy | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const parsed = RunWhy.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
