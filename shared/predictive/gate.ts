import type { PredictionWithheld } from '../contracts/lead.ts';
import type { Evaluation } from '../contracts/marketing.ts';

// When a probability has earned its place under a lead's name. Two conditions, both on the
// model's own cross-validated evaluation:
// - at least MIN_WON won and MIN_LOST lost leads to learn from: with fewer, a fold holds a
//   handful of each and its AUC swings by ±0.1 from one seed to the next;
// - a mean fold AUC of at least MIN_AUC and no fold at or below chance: a model that ranks
//   only a little better than a coin makes a rep's list worse, not better.
// Otherwise the lead API says why, as data the extension words in the rep's language.

export const MIN_WON = 50;
export const MIN_LOST = 50;
export const MIN_AUC = 0.6;

/** undefined when the model may show probabilities; otherwise why not. */
export function withheldBecause(e: Pick<Evaluation, 'auc' | 'folds' | 'rows' | 'positives'>): PredictionWithheld | undefined {
  const won = e.positives;
  const lost = e.rows - e.positives;
  if (won < MIN_WON || lost < MIN_LOST) return { reason: 'outcomes', won, lost, needed: Math.max(MIN_WON, MIN_LOST) };
  if (e.auc === null || e.auc < MIN_AUC || e.folds.some((f) => f.auc === null || f.auc <= 0.5)) return { reason: 'auc', auc: e.auc, needed: MIN_AUC };
  return undefined;
}

/** Why there is no model at all: too few decided leads (against what is needed), or none trained yet. */
export function withheldForCounts(won: number, lost: number): PredictionWithheld {
  if (won >= MIN_WON && lost >= MIN_LOST) return { reason: 'untrained', won, lost };
  return { reason: 'outcomes', won, lost, needed: Math.max(MIN_WON, MIN_LOST) };
}
