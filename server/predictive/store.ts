import type { Kysely } from 'kysely';
import { Evaluation, RunWhy, type PredictiveStatus, type PredictiveSummary } from '../../shared/contracts/marketing.ts';
import { english, wordRunWhy } from '../../shared/scoring/wording.ts';
import { PredictiveModel } from '../../shared/predictive/predictive-model.ts';
import type { DB } from '../db/schema.ts';
import { tryDecodeStored } from '../db/stored-json.ts';

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

/** The current model's run and its model as stored text (what the worker gets), or undefined. */
export async function currentModelRow(db: Kysely<DB>): Promise<{ id: string; model: string | null } | undefined> {
  return db.selectFrom('predictive_models').select(['id', 'model']).where('status', '=', 'current').orderBy('trained_at', 'desc').limit(1).executeTakeFirst();
}

/**
 * The current model, read: none, decoded, or unreadable with the run and why. An unreadable
 * current model (a row written by another release, a hand edit) cannot score; whoever reads it
 * says so rather than acting as if there were no model: lead reads log it (current.ts), the
 * status carries it (`currentUnreadable`), and training judges its run as the first
 * (`currentForTraining`), so the next accepted run replaces it.
 */
export type CurrentModelRead = { kind: 'none' } | { kind: 'ok'; run: string; model: PredictiveModel; text: string } | { kind: 'unreadable'; run: string; reason: string };

export async function readCurrentModel(db: Kysely<DB>): Promise<CurrentModelRead> {
  const row = await currentModelRow(db);
  if (!row) return { kind: 'none' };
  if (row.model === null) return { kind: 'unreadable', run: row.id, reason: `stored predictive_models.model of row ${row.id} is empty` };
  const decoded = tryDecodeStored(PredictiveModel, row.model, { table: 'predictive_models', column: 'model', row: row.id });
  return decoded.ok ? { kind: 'ok', run: row.id, model: decoded.value, text: row.model } : { kind: 'unreadable', run: row.id, reason: decoded.error.message };
}

/** The current model, or undefined when there is none or it is unreadable (`readCurrentModel` says which). */
export async function loadCurrentModel(db: Kysely<DB>): Promise<PredictiveModel | undefined> {
  const read = await readCurrentModel(db);
  return read.kind === 'ok' ? read.model : undefined;
}

/**
 * The current model's text for a training run, and the reason it is left out when it does not
 * decode: the run is then judged as the first one, so that an accepted run replaces a model
 * nothing can read instead of every run failing on it.
 */
export async function currentForTraining(db: Kysely<DB>): Promise<{ text: string | null; unreadable?: { run: string; reason: string } }> {
  const read = await readCurrentModel(db);
  if (read.kind === 'unreadable') return { text: null, unreadable: { run: read.run, reason: read.reason } };
  return { text: read.kind === 'ok' ? read.text : null };
}

export function summaryOf(model: PredictiveModel): PredictiveSummary {
  return { id: model.id, trainedAt: model.trainedAt, features: model.names.length, evaluation: model.evaluation };
}

export async function predictiveStatus(db: Kysely<DB>, training: boolean, scheduleHours: number): Promise<PredictiveStatus> {
  const status: PredictiveStatus = { training, scheduleHours };
  const current = await readCurrentModel(db);
  if (current.kind === 'ok') status.current = summaryOf(current.model);
  if (current.kind === 'unreadable') status.currentUnreadable = { run: current.run, reason: current.reason };
  const last = await db.selectFrom('predictive_models').select(['id', 'trained_at', 'status', 'reason', 'evaluation']).orderBy('trained_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  if (last) {
    const why = storedWhy(last.id, last.reason);
    status.lastRun = { at: last.trained_at, accepted: last.status === 'current' || last.status === 'retired', reason: why ? wordRunWhy(why, english) : last.reason, ...(why ? { why } : {}) };
    // An evaluation that does not decode is left out of the status (it is shown, not used);
    // the reason it was left out is in `lastRun.evaluationUnreadable`.
    if (last.evaluation) {
      const evaluation = tryDecodeStored(Evaluation, last.evaluation, { table: 'predictive_models', column: 'evaluation', row: last.id });
      if (evaluation.ok) status.lastRun.evaluation = evaluation.value;
      else status.lastRun.evaluationUnreadable = evaluation.error.message;
    }
  }
  return status;
}

/**
 * A stored reason as data; undefined for English text stored before reasons were data, and for
 * JSON this release does not know (a newer release's reason kind): the status then shows the
 * stored text as it is, which still says why.
 */
function storedWhy(run: string, text: string): RunWhy | undefined {
  if (!text.startsWith('{')) return undefined;
  const decoded = tryDecodeStored(RunWhy, text, { table: 'predictive_models', column: 'reason', row: run });
  return decoded.ok ? decoded.value : undefined;
}
