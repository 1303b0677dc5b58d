import type { z } from 'zod';

// Stored JSON columns are decoded through their contracts, never cast: a row written by an
// older or broken release, or edited by hand, must stop where it is read, with the table,
// column and row named, instead of travelling on as a wrong type. Each table's reader has
// one decoder per column (lead-rows.ts, model-rows.ts, auth/api-keys.ts, predictive/store.ts)
// and writes down what happens to a row that does not decode: the request fails (the error
// handler logs it), or the row is skipped and logged, or (score states) rebuilt.

/** Where a stored value lives: its table, its column and the row's key. */
export type StoredPlace = { table: string; column: string; row: string };

/** A stored value that does not decode through its contract. */
export class StoredRowError extends Error {
  readonly table: string;
  readonly column: string;
  readonly row: string;
  constructor(place: StoredPlace, why: string) {
    super(`stored ${place.table}.${place.column} of row ${place.row} does not decode: ${why}`);
    this.name = 'StoredRowError';
    this.table = place.table;
    this.column = place.column;
    this.row = place.row;
  }
}

export type Decoded<T> = { ok: true; value: T } | { ok: false; error: StoredRowError };

/** The column's text decoded through `schema`, or why not (not JSON, or which fields the contract refuses). */
export function tryDecodeStored<S extends z.ZodType>(schema: S, text: string, place: StoredPlace): Decoded<z.infer<S>> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: new StoredRowError(place, `not JSON (${error instanceof Error ? error.message : String(error)})`) };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.length ? i.path.join('.') : '(the value)'}: ${i.message}`);
  return { ok: false, error: new StoredRowError(place, issues.join('; ')) };
}

/** The column's text decoded through `schema`; throws a StoredRowError naming the place. */
export function decodeStored<S extends z.ZodType>(schema: S, text: string, place: StoredPlace): z.infer<S> {
  const decoded = tryDecodeStored(schema, text, place);
  if (!decoded.ok) throw decoded.error;
  return decoded.value;
}
