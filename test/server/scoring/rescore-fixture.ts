import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../../server/db/schema.ts';
import type { StageChange } from '../../../shared/contracts/api.ts';
import type { Model } from '../../../shared/contracts/model.ts';
import { defaultModel } from '../../../shared/scoring/index.ts';

// What the rescoring tests share: the published version they rescore to, and a way to see what
// a way of rescoring writes without keeping it, so two ways can be compared on the same store.

/** The starter model's next version: lower thresholds and a heavier pricing page, so stages move. */
export const MODEL_V2: Model = {
  ...defaultModel,
  version: 2,
  thresholds: { ...defaultModel.thresholds, engaged: 8, mql: { ...defaultModel.thresholds.mql, interest: 30 } },
  interestRules: defaultModel.interestRules.map((r) => (r.id === 'pricing-page' ? { ...r, points: 25 } : r)),
};

class Rollback extends Error {}

export type Written = { scores: unknown[]; stages: unknown[]; changes: StageChange[] };

/**
 * What `rescore` writes for every lead (version-2 score rows, stage changes made at one of
 * `at`), read back inside its transaction, which is then rolled back.
 */
export async function writtenAndRolledBack(db: Kysely<DB>, at: readonly number[], rescore: (trx: Transaction<DB>, ids: string[]) => Promise<StageChange[]>): Promise<Written> {
  let out: Written | undefined;
  const ids = (await db.selectFrom('leads').select('id').orderBy('id').execute()).map((r) => r.id);
  await db
    .transaction()
    .execute(async (trx) => {
      const changes = await rescore(trx, ids);
      const scores = await trx.selectFrom('lead_scores').select(['lead_id', 'model_id', 'model_version', 'state', 'stage', 'fit', 'interest', 'updated_at']).where('model_version', '=', 2).orderBy('lead_id').execute();
      const stages = await trx.selectFrom('stage_changes').select(['lead_id', 'model_id', 'from_stage', 'to_stage', 'reason', 'at']).where('at', 'in', [...at]).orderBy('id').execute();
      out = { scores, stages, changes };
      throw new Rollback();
    })
    .catch((e: unknown) => {
      if (!(e instanceof Rollback)) throw e;
    });
  return out!;
}
