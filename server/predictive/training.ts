import type { Event } from '../../shared/contracts/event.ts';
import type { LeadProfile, Outcome } from '../../shared/contracts/lead.ts';
import { aucOn, train } from '../../shared/predictive/cv.ts';
import { leadTable, type LeadInput } from '../../shared/predictive/lead-features.ts';
import { PredictiveModel } from '../../shared/predictive/model.ts';

// What the training worker does, as a plain function (tests call it directly too): leads with
// outcomes to rows as of their outcome, cross-validate, fit, and compare with the current
// model on the same leads. Input is raw JSON text from the database, so the main thread only
// reads; all parsing and arithmetic happen here.

export type RawLead = { profile: string; emails: string; outcome: string; events: string[] };

export type TrainingInput = {
  id: string;
  now: number;
  leads: RawLead[];
  /** The current model as stored (JSON), if any. */
  current: string | null;
  folds: number;
  seed: number;
};

export type TrainingResult =
  | { ok: true; model: PredictiveModel; accepted: boolean; reason: string; currentAuc: number | null }
  | { ok: false; reason: string };

/** Fewer leads of either outcome than this and cross-validation says nothing. */
export const MIN_PER_OUTCOME = 5;

const f3 = (x: number | null): string => (x === null ? 'none' : x.toFixed(3));

export function trainFromLeads(input: TrainingInput): TrainingResult {
  const items: { input: LeadInput; asOf: number }[] = [];
  const labels: (0 | 1)[] = [];
  for (const lead of input.leads) {
    const outcome = JSON.parse(lead.outcome) as Outcome;
    // As of the outcome: what happened after the deal was decided must not explain it.
    items.push({
      input: { profile: JSON.parse(lead.profile) as LeadProfile, emails: JSON.parse(lead.emails) as string[], events: lead.events.map((e) => JSON.parse(e) as Event) },
      asOf: outcome.at,
    });
    labels.push(outcome.result === 'won' ? 1 : 0);
  }
  const won = labels.filter((y) => y === 1).length;
  const lost = labels.length - won;
  if (won < MIN_PER_OUTCOME || lost < MIN_PER_OUTCOME) {
    return { ok: false, reason: `needs at least ${MIN_PER_OUTCOME} won and ${MIN_PER_OUTCOME} lost leads; there are ${won} won and ${lost} lost` };
  }
  const rows = leadTable(items);
  const { model } = train({ id: input.id, trainedAt: input.now, label: 'outcome', rows, labels }, { folds: input.folds, seed: input.seed });
  const newAuc = model.evaluation.auc;
  if (!input.current) return { ok: true, model, accepted: true, reason: `first model: cross-validated AUC ${f3(newAuc)}`, currentAuc: null };
  // The current model scored on the same leads. It has seen most of them in training, so this
  // is a generous bar: a new model replaces it only when clearly no worse.
  const current = PredictiveModel.parse(JSON.parse(input.current));
  const currentAuc = aucOn(current, rows, labels);
  const accepted = newAuc !== null && (currentAuc === null || newAuc >= currentAuc);
  const reason = accepted
    ? `cross-validated AUC ${f3(newAuc)} is at least the current model's ${f3(currentAuc)} on the same ${labels.length} leads`
    : `cross-validated AUC ${f3(newAuc)} is below the current model's ${f3(currentAuc)} on the same ${labels.length} leads: kept the current model`;
  return { ok: true, model, accepted, reason, currentAuc };
}
