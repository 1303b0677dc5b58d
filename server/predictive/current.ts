import type { Kysely } from 'kysely';
import type { PredictionWithheld } from '../../shared/contracts/lead.ts';
import { withheldBecause, withheldForCounts } from '../../shared/predictive/gate.ts';
import type { PredictiveModel } from '../../shared/predictive/predictive-model.ts';
import type { DB } from '../db/schema.ts';
import { loadCurrentModel } from './store.ts';

// The current model for lead reads, cached per database handle: a lead read costs a feature
// row and a dot product (or a walk down the trees), not a query and a JSON parse. The service
// replaces it as soon as a run is accepted; a model written by another process (the CLI) is
// picked up within MAX_AGE_MS. Whether it may show probabilities (shared/predictive/gate.ts)
// is decided here once per load; with no model at all, the decided leads are counted so the
// panel can say how many more are needed.

const MAX_AGE_MS = 60_000;

export type CurrentPrediction = { model: PredictiveModel; withheld?: undefined } | { model?: PredictiveModel | undefined; withheld: PredictionWithheld };

type Entry = { value: CurrentPrediction; loadedAt: number; loading?: Promise<CurrentPrediction> };
const cache = new WeakMap<Kysely<DB>, Entry>();

function judged(model: PredictiveModel): CurrentPrediction {
  const withheld = withheldBecause(model.evaluation);
  return withheld ? { model, withheld } : { model };
}

/** Won and lost leads: LIKE on the stored JSON works the same on SQLite and PostgreSQL. */
async function outcomeCounts(db: Kysely<DB>): Promise<{ won: number; lost: number }> {
  const count = async (result: 'won' | 'lost') => {
    // `outcome IS NOT NULL` lets both backends count from the partial index leads_outcome (migration 0012).
    const row = await db
      .selectFrom('leads')
      .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
      .where('outcome', 'is not', null)
      .where('outcome', 'like', `%"result":"${result}"%`)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  };
  return { won: await count('won'), lost: await count('lost') };
}

async function load(db: Kysely<DB>): Promise<CurrentPrediction> {
  const model = await loadCurrentModel(db);
  if (model) return judged(model);
  const { won, lost } = await outcomeCounts(db);
  return { withheld: withheldForCounts(won, lost) };
}

export function setCurrentModel(dbs: readonly Kysely<DB>[], model: PredictiveModel, now: number): void {
  for (const db of dbs) cache.set(db, { value: judged(model), loadedAt: now });
}

/** The current model and whether it may show probabilities (or why not). */
export async function currentPrediction(db: Kysely<DB>, now: number): Promise<CurrentPrediction> {
  const entry = cache.get(db);
  if (entry && now - entry.loadedAt < MAX_AGE_MS) return entry.value;
  if (entry?.loading) return entry.loading;
  const loading = load(db).then(
    (value) => {
      cache.set(db, { value, loadedAt: now });
      return value;
    },
    () => entry?.value ?? { withheld: withheldForCounts(0, 0) }, // a failed refresh keeps serving what we had
  );
  cache.set(db, { value: entry?.value ?? { withheld: withheldForCounts(0, 0) }, loadedAt: entry?.loadedAt ?? -Infinity, loading });
  return loading;
}

/** The current model whatever the gate says (reports, which judge it out of sample themselves). */
export async function currentModel(db: Kysely<DB>, now: number): Promise<PredictiveModel | undefined> {
  return (await currentPrediction(db, now)).model;
}
