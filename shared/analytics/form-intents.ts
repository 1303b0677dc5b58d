import type { FormIntent } from '../contracts/event.ts';
import type { Model } from '../contracts/model.ts';

// Tagging mode's word on one form, as data in the model: `formIntents` (shared/contracts/model.ts)
// overrides the classifier for every submission of that form id; without an entry, the
// classifier decides again.

/** The model with `formId`'s override set to `intent`, or removed (`null`: let Leadglow decide). */
export function setFormIntent(model: Model, formId: string, intent: FormIntent | null): Model {
  const others = (model.formIntents ?? []).filter((o) => o.formId !== formId);
  return { ...model, formIntents: intent === null ? others : [...others, { formId, intent }] };
}
