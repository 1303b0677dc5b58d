import { Model } from '../contracts/model.ts';
import { formatIssues } from '../errors.ts';

export type ModelCheck = { ok: true; model: Model } | { ok: false; errors: string[] };

/** Validates a model file, listing every problem with its path, not only the first. */
export function parseModel(input: unknown): ModelCheck {
  const result = Model.safeParse(input);
  return result.success ? { ok: true, model: result.data } : { ok: false, errors: formatIssues(result.error.issues) };
}
