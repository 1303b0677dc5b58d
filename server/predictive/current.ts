import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { PredictionWithheld } from '../../shared/contracts/lead.ts';
import { withheldBecause, withheldForCounts } from '../../shared/predictive/gate.ts';
import type { PredictiveModel } from '../../shared/predictive/predictive-model.ts';
import type { DB } from '../db/schema.ts';
import { readCurrentModel } from './store.ts';

// The current model for lead reads, cached per database handle: a lead read costs a feature
// row and a dot product (or a walk down the trees), not a query and a JSON parse. The service
// replaces it as soon as a run is accepted; a model written by another process (the CLI) is
// picked up within MAX_AGE_MS. Whether it may show probabilities (shared/predictive/gate.ts)
// is decided here once per load; with no model at all, the decided leads are counted so the
// panel can say how many more are needed.
//
// A current model that does not decode is not "no model": it is logged (run id and reason)
// through the logger the service registers for the database (`logPredictionLoads`), once per
// run and reason rather than on every reload, and the status says why (store.ts). A failed
// load (the query threw) keeps serving what was loaded before, and is logged too.

const MAX_AGE_MS = 60_000;

export type CurrentPrediction = { model: PredictiveModel; withheld?: undefined } | { model?: PredictiveModel | undefined; withheld: PredictionWithheld };

type Entry = { value: CurrentPrediction; loadedAt: number; loading?: Promise<CurrentPrediction> };
const cache = new WeakMap<Kysely<DB>, Entry>();

/** Where a database's load problems are logged, and the last one logged (so each is logged once). */
type LoadLog = { log: Pick<FastifyBaseLogger, 'error'>; last?: string };
const logs = new WeakMap<Kysely<DB>, LoadLog>();

/** Logs problems loading the current model from these databases to `log` (the service calls it). */
export function logPredictionLoads(dbs: readonly Kysely<DB>[], log: Pick<FastifyBaseLogger, 'error'>): void {
  for (const db of dbs) logs.set(db, { log });
}

function logOnce(db: Kysely<DB>, key: string, fields: Record<string, unknown>, message: string): void {
  const entry = logs.get(db);
  if (!entry || entry.last === key) return;
  entry.last = key;
  entry.log.error(fields, message);
}

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
  const read = await readCurrentModel(db);
  if (read.kind === 'ok') {
    const entry = logs.get(db);
    if (entry) entry.last = undefined; // a later problem, even the same one again, is news
    return judged(read.model);
  }
  if (read.kind === 'unreadable') logOnce(db, `${read.run} ${read.reason}`, { run: read.run, reason: read.reason }, 'the current predictive model does not load; leads get no probability until a run replaces it');
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
    (err: unknown) => {
      logOnce(db, `failed ${err instanceof Error ? err.message : String(err)}`, { err }, 'loading the current predictive model failed; serving the one loaded before');
      // A failed refresh keeps serving what we had and tries again after MAX_AGE_MS: the entry
      // must not keep this settled promise, or every later read would get it and never reload.
      const kept = entry?.value ?? { withheld: withheldForCounts(0, 0) };
      cache.set(db, { value: kept, loadedAt: now });
      return kept;
    },
  );
  cache.set(db, { value: entry?.value ?? { withheld: withheldForCounts(0, 0) }, loadedAt: entry?.loadedAt ?? -Infinity, loading });
  return loading;
}

/** The current model whatever the gate says (reports, which judge it out of sample themselves). */
export async function currentModel(db: Kysely<DB>, now: number): Promise<PredictiveModel | undefined> {
  return (await currentPrediction(db, now)).model;
}
