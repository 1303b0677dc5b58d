import { sql, type Kysely } from 'kysely';
import type { Model } from '../../shared/contracts/model.ts';
import { defaultModel } from '../../shared/scoring/index.ts';
import { isPostgres, lockAll, lockKey, lockStatement } from '../db/locks.ts';
import { storedModel } from '../db/model-rows.ts';
import type { DB } from '../db/schema.ts';

// Live models, cached in memory: every ingest transaction and every lead read needs them.
// The first live model is the primary one (`scores[0]`, the hot list's default, account
// interest); it is the one named by the `primary_model` setting, else the oldest published.

export type LiveModels = { models: Model[]; primary: Model };

/**
 * Seeds the default model into an empty store. Several instances may start at once on one new
 * PostgreSQL database: the check and the insert run in one transaction under the models lock
 * (exclusive, as a publish takes it), so one seeds and the others then see its row.
 */
export async function ensureDefaultModel(db: Kysely<DB>, now = Date.now()): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await lockAll(trx, [lockKey('models', 'models')]);
    const any = await trx.selectFrom('models').select('id').limit(1).executeTakeFirst();
    if (any) return;
    await trx
      .insertInto('models')
      .values({ id: defaultModel.id, version: defaultModel.version, json: JSON.stringify(defaultModel), status: 'live', created_at: now, published_at: now })
      .execute();
    await trx.insertInto('settings').values({ key: 'primary_model', value: defaultModel.id }).onConflict((oc) => oc.column('key').doNothing()).execute();
  });
}

export async function loadLiveModels(db: Kysely<DB>): Promise<LiveModels> {
  const rows = await db.selectFrom('models').selectAll().where('status', '=', 'live').orderBy('published_at').orderBy('id').execute();
  const primaryId = (await db.selectFrom('settings').select('value').where('key', '=', 'primary_model').executeTakeFirst())?.value;
  // A live model that does not decode fails the load, naming the model and version: scoring
  // with fewer models than the marketer published would move leads between stages without a
  // word. The start fails with it; a reload in a write transaction fails that transaction, and
  // both are logged by the server (http/app.ts). Every publish decodes the model first, so such
  // a row is a hand edit or a downgrade to a release that knows fewer fields.
  const models: Model[] = rows.map(storedModel);
  if (models.length === 0) models.push(defaultModel);
  const i = models.findIndex((m) => m.id === primaryId);
  if (i > 0) models.unshift(...models.splice(i, 1));
  return { models, primary: models[0]! };
}

// --- several instances ----------------------------------------------------------------------
//
// Every write transaction starts with `checkLiveModels` (the writer's `begin`): it takes the
// models lock shared, so it waits for a publish being committed, then compares the live set
// with what this instance has loaded and reloads it inside the transaction if another
// instance published. An ingest group on PostgreSQL does the same in its first message instead
// (ingest/store-events.ts: the lock, then the stamp read with its events' insert), and checks
// the stamp with `modelsForStamp` before it scores anything. A publish holds the lock exclusively to its commit. So an event is
// never scored with an older model than the newest published when its transaction began,
// whichever instance it reaches. NOTIFY on MODELS_CHANNEL makes idle instances reload too
// (reads, tags for the SDK), without waiting for their next write.

export const MODELS_CHANNEL = 'leadglow_models';

/**
 * Identifies the live set: each live model's id and version, and the primary model. One
 * statement, since every write transaction reads it (on PostgreSQL a round trip each), and one
 * without parameters, so it travels with the models lock and the transaction's BEGIN in one
 * message (`checkLiveModels`, db/open.ts).
 */
export const LIVE_STAMP_SQL = `SELECT id, cast(version as text) AS value FROM models WHERE status = 'live' UNION ALL SELECT '' AS id, value FROM settings WHERE key = 'primary_model'`;

export async function liveStamp(db: Kysely<DB>): Promise<string> {
  return stampOf((await sql.raw<StampRow>(LIVE_STAMP_SQL).execute(db)).rows);
}

export type StampRow = { id: string; value: string };

/** The stamp from the rows of LIVE_STAMP_SQL (also read inside ingest's store-events call). */
export function stampOf(rows: readonly StampRow[]): string {
  // Model ids are never empty (the contract), so the settings row is the one with id ''.
  const primary = rows.find((r) => r.id === '')?.value ?? '';
  const live = rows.filter((r) => r.id !== '').map((r) => `${r.id}@${r.value}`);
  live.sort();
  return `${live.join(',')}|${primary}`;
}

/** The live models with their stamp, held by one instance. */
export type LiveState = { live: LiveModels; stamp: string };

export async function loadLiveState(db: Kysely<DB>): Promise<LiveState> {
  const stamp = await liveStamp(db);
  return { live: await loadLiveModels(db), stamp };
}

/** In every write transaction, first: returns the state to score with (reloaded when stale). */
export async function checkLiveModels(trx: Kysely<DB>, current: LiveState): Promise<LiveState> {
  // On PostgreSQL the lock and the read are two statements of one message: the read's snapshot
  // is taken after the lock is granted (each statement takes its own), so it sees a publish the
  // lock waited for, and the two (with the deferred BEGIN) cost one round trip instead of two.
  const lock = isPostgres(trx) ? lockStatement([lockKey('models', 'models')], 'shared') : undefined;
  const stamp = lock ? stampOf((await sql.raw<StampRow>(`${lock}; ${LIVE_STAMP_SQL}`).execute(trx)).rows) : await liveStamp(trx);
  return modelsForStamp(trx, current, stamp);
}

/**
 * The state for a stamp read in this transaction under the models lock (by `checkLiveModels`,
 * or by ingest's store-events call on PostgreSQL): `current` when it is the same, else reloaded here.
 */
export async function modelsForStamp(trx: Kysely<DB>, current: LiveState, stamp: string): Promise<LiveState> {
  if (stamp === current.stamp) return current;
  return { live: await loadLiveModels(trx), stamp };
}

/** In a publish's transaction, before it changes the models table. */
export async function lockModelsForPublish(trx: Kysely<DB>): Promise<void> {
  await lockAll(trx, [lockKey('models', 'models')]);
  if (isPostgres(trx)) await sql`SELECT pg_notify(${MODELS_CHANNEL}, '')`.execute(trx);
}
