import type { Kysely } from 'kysely';
import type { Model } from '../shared/contracts/model.ts';
import { defaultModel, parseModel } from '../shared/scoring/index.ts';
import type { DB } from './db/schema.ts';

// Live models, cached in memory: every ingest transaction and every lead read needs them.
// The first live model is the primary one (`scores[0]`, the hot list's default, account
// interest); it is the one named by the `primary_model` setting, else the oldest published.

export type LiveModels = { models: Model[]; primary: Model };

export async function ensureDefaultModel(db: Kysely<DB>, now = Date.now()): Promise<void> {
  const any = await db.selectFrom('models').select('id').limit(1).executeTakeFirst();
  if (any) return;
  await db
    .insertInto('models')
    .values({ id: defaultModel.id, version: defaultModel.version, json: JSON.stringify(defaultModel), status: 'live', created_at: now, published_at: now })
    .execute();
  await db.insertInto('settings').values({ key: 'primary_model', value: defaultModel.id }).onConflict((oc) => oc.column('key').doNothing()).execute();
}

export async function loadLiveModels(db: Kysely<DB>): Promise<LiveModels> {
  const rows = await db.selectFrom('models').selectAll().where('status', '=', 'live').orderBy('published_at').orderBy('id').execute();
  const primaryId = (await db.selectFrom('settings').select('value').where('key', '=', 'primary_model').executeTakeFirst())?.value;
  const models: Model[] = [];
  for (const row of rows) {
    const parsed = parseModel(JSON.parse(row.json));
    if (parsed.ok) models.push(parsed.model);
  }
  if (models.length === 0) models.push(defaultModel);
  const i = models.findIndex((m) => m.id === primaryId);
  if (i > 0) models.unshift(...models.splice(i, 1));
  return { models, primary: models[0]! };
}
