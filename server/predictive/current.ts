import type { Kysely } from 'kysely';
import type { PredictiveModel } from '../../shared/predictive/model.ts';
import type { DB } from '../db/schema.ts';
import { loadCurrentModel } from './store.ts';

// The current model for lead reads, cached per database handle: a lead read costs a feature
// row and a dot product, not a query and a JSON parse. The service replaces it as soon as a
// run is accepted; a model written by another process (the CLI) is picked up within MAX_AGE_MS.

const MAX_AGE_MS = 60_000;

type Entry = { model: PredictiveModel | undefined; loadedAt: number; loading?: Promise<PredictiveModel | undefined> };
const cache = new WeakMap<Kysely<DB>, Entry>();

export function setCurrentModel(dbs: readonly Kysely<DB>[], model: PredictiveModel | undefined, now: number): void {
  for (const db of dbs) cache.set(db, { model, loadedAt: now });
}

export async function currentModel(db: Kysely<DB>, now: number): Promise<PredictiveModel | undefined> {
  const entry = cache.get(db);
  if (entry && now - entry.loadedAt < MAX_AGE_MS) return entry.model;
  if (entry?.loading) return entry.loading;
  const loading = loadCurrentModel(db).then(
    (model) => {
      cache.set(db, { model, loadedAt: now });
      return model;
    },
    () => entry?.model, // a failed refresh keeps serving the model we had
  );
  cache.set(db, { model: entry?.model, loadedAt: entry?.loadedAt ?? -Infinity, loading });
  return loading;
}
