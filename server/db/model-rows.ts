import { Model } from '../../shared/contracts/model.ts';
import type { ModelsTable } from './schema.ts';
import { decodeStored, tryDecodeStored, type Decoded } from './stored-json.ts';

// `models.json`, decoded through the Model contract: one place for every reader of the
// models table in scoring/ (live models, version history) and the CLI. The row is named by
// model id and version. What a reader does with a row that does not decode is its own
// decision, written beside the call (live-models.ts fails the load; model-versions.ts fails
// the history request).

type Row = Pick<ModelsTable, 'id' | 'version' | 'json'>;

function place(row: Row) {
  return { table: 'models', column: 'json', row: `"${row.id}" version ${row.version}` };
}

/** The stored model; throws a StoredRowError naming the model and version. */
export function storedModel(row: Row): Model {
  return decodeStored(Model, row.json, place(row));
}

/** The stored model, or why it does not decode. */
export function tryStoredModel(row: Row): Decoded<Model> {
  return tryDecodeStored(Model, row.json, place(row));
}
