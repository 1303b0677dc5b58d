import type { Model } from '../../shared/contracts/model.ts';
import { parseModel } from '../../shared/scoring/index.ts';

/**
 * A `models.json` cell decoded through the Model contract. A row that does not decode fails the
 * request (500, logged with this message naming the row): answering with half a model, or
 * publishing over one, would be worse than an error.
 */
export function decodeStoredModel(json: string, row: { id: string; version: number }): Model {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new Error(`models.json of ${row.id} v${row.version} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = parseModel(value);
  if (!parsed.ok) throw new Error(`models.json of ${row.id} v${row.version} is not a model: ${parsed.errors.slice(0, 5).join('; ')}`);
  return parsed.model;
}
