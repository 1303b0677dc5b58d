import type { Prediction } from '../contracts/lead.ts';
import { countedKeys, leadFeatures, type LeadInput } from './lead-features.ts';
import { predict, type PredictiveModel } from './predictive-model.ts';

/** One lead's probability and top factors under a model trained on lead features: a row and a dot product. */
export function predictLead(model: PredictiveModel, input: LeadInput, asOf: number): Prediction {
  // The model's tag and custom-event columns are zero counts for a lead that has none of them.
  return predict(model, leadFeatures(input, asOf, countedKeys(model.encoders.map((e) => e.column))));
}
