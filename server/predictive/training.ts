import type { Event } from '../../shared/contracts/event.ts';
import type { RunWhy } from '../../shared/contracts/marketing.ts';
import { auc } from '../../shared/analytics/classifier-metrics.ts';
import { aucOn, train } from '../../shared/predictive/cv.ts';
import { leadTable, type LeadInput } from '../../shared/predictive/lead-features.ts';
import { PredictiveModel, probability } from '../../shared/predictive/predictive-model.ts';
import { leadEmails, leadOutcome, leadProfile } from '../db/lead-rows.ts';
import { decodeStored, StoredRowError } from '../db/stored-json.ts';

// What the training worker does, as a plain function (tests call it directly too): leads with
// outcomes to rows as of their outcome, cross-validate, fit, and compare with the current
// model (on the leads decided since it was trained when there are enough of them). Input is raw JSON text from the database, so the main thread only
// reads; all parsing and arithmetic happen here.

export type RawLead = { id: string; profile: string; emails: string; outcome: string; events: string[] };

export type TrainingInput = {
  id: string;
  now: number;
  leads: RawLead[];
  /** The current model as stored (JSON), if any. */
  current: string | null;
  folds: number;
  seed: number;
};

/** Leads left out of a run because a stored column did not decode: how many, and the first reasons. */
export type Unreadable = { count: number; reasons: string[] };

export type TrainingResult = (
  | {
      ok: true;
      model: PredictiveModel;
      accepted: boolean;
      why: RunWhy;
      /** The two AUCs the decision compared, and on how many leads. */
      newAuc: number | null;
      currentAuc: number | null;
      comparedOn: number;
    }
  | { ok: false; why: RunWhy }
) & { unreadable?: Unreadable };

const REASONS_KEPT = 5;

/**
 * The lead's columns decoded through the lead contracts (server/db/lead-rows.ts), or the
 * StoredRowError of the first that does not decode: such a lead is left out of the run, and the
 * run says how many were and why (the service logs it), rather than failing every run on it.
 * Events are JSON.parse'd and checked only for the type and time the features read: they were
 * decoded through the Event contract when stored and are rebuilt from their columns
 * (eventJson), and a full decode of every event added about 7% to a 3,000-lead run.
 */
function decodeLead(lead: RawLead): { input: LeadInput; outcome: { result: 'won' | 'lost'; at: number } } | StoredRowError {
  try {
    const outcome = leadOutcome(lead);
    if (!outcome) return new StoredRowError({ table: 'leads', column: 'outcome', row: lead.id }, 'empty');
    const events: Event[] = [];
    for (const text of lead.events) {
      let e: unknown;
      try {
        e = JSON.parse(text);
      } catch {
        return new StoredRowError({ table: 'events', column: 'body', row: `of lead ${lead.id}` }, 'not JSON');
      }
      const o = e as { type?: unknown; ts?: unknown } | null;
      if (typeof o !== 'object' || o === null || typeof o.type !== 'string' || !Number.isFinite(o.ts)) {
        return new StoredRowError({ table: 'events', column: 'body', row: `of lead ${lead.id}` }, 'an event without a type and a time');
      }
      events.push(e as Event);
    }
    return { input: { profile: leadProfile(lead), emails: leadEmails(lead), events }, outcome };
  } catch (error) {
    if (error instanceof StoredRowError) return error;
    throw error;
  }
}


/** Fewer leads of either outcome than this and cross-validation says nothing. */
export const MIN_PER_OUTCOME = 5;

export function trainFromLeads(input: TrainingInput): TrainingResult {
  const items: { input: LeadInput; asOf: number }[] = [];
  const labels: (0 | 1)[] = [];
  const unreadable: Unreadable = { count: 0, reasons: [] };
  for (const lead of input.leads) {
    const decoded = decodeLead(lead);
    if (decoded instanceof StoredRowError) {
      unreadable.count++;
      if (unreadable.reasons.length < REASONS_KEPT) unreadable.reasons.push(decoded.message);
      continue;
    }
    // As of the outcome: what happened after the deal was decided must not explain it.
    items.push({ input: decoded.input, asOf: decoded.outcome.at });
    labels.push(decoded.outcome.result === 'won' ? 1 : 0);
  }
  const result = trainOn(input, items, labels);
  return unreadable.count ? { ...result, unreadable } : result;
}

function trainOn(input: TrainingInput, items: { input: LeadInput; asOf: number }[], labels: (0 | 1)[]): TrainingResult {
  const won = labels.filter((y) => y === 1).length;
  const lost = labels.length - won;
  if (won < MIN_PER_OUTCOME || lost < MIN_PER_OUTCOME) {
    return { ok: false, why: { kind: 'too-few', won, lost, min: MIN_PER_OUTCOME } };
  }
  const rows = leadTable(items);
  const { model, cv } = train({ id: input.id, trainedAt: input.now, label: 'outcome', rows, labels }, { folds: input.folds, seed: input.seed });
  const cvAuc = model.evaluation.auc;
  if (!input.current) return { ok: true, model, accepted: true, why: { kind: 'first', auc: cvAuc }, currentAuc: null, newAuc: cvAuc, comparedOn: labels.length };
  // The service hands over only a current model that decoded (store.ts currentForTraining); one
  // that does not now fails the run, naming the place, rather than being compared half-read.
  const current = decodeStored(PredictiveModel, input.current, { table: 'predictive_models', column: 'model', row: 'current' });
  // Fair ground first: leads decided since the current model was trained. Neither model has
  // seen their outcomes (the new one's figures there are out-of-fold), so the comparison is
  // out of sample on both sides.
  const fresh = items.flatMap((item, i) => (item.asOf > current.trainedAt ? [i] : []));
  const freshWon = fresh.filter((i) => labels[i] === 1).length;
  let newAuc: number | null;
  let currentAuc: number | null;
  let ground: 'fresh' | 'same';
  let comparedOn: number;
  if (freshWon >= MIN_PER_OUTCOME && fresh.length - freshWon >= MIN_PER_OUTCOME) {
    newAuc = auc(fresh.map((i) => ({ score: cv.outOfFold[i]!, label: labels[i]! })));
    currentAuc = auc(fresh.map((i) => ({ score: probability(current, rows[i]!), label: labels[i]! })));
    comparedOn = fresh.length;
    ground = 'fresh';
  } else {
    // Too few new outcomes: the current model scored on all the leads, most of which it was
    // trained on. A generous bar: a new model replaces it only when clearly no worse.
    newAuc = cvAuc;
    currentAuc = aucOn(current, rows, labels);
    comparedOn = labels.length;
    ground = 'same';
  }
  const accepted = newAuc !== null && (currentAuc === null || newAuc >= currentAuc);
  const why: RunWhy = { kind: 'compared', accepted, newAuc, currentAuc, leads: comparedOn, ground, min: MIN_PER_OUTCOME };
  return { ok: true, model, accepted, why, currentAuc, newAuc, comparedOn };
}
