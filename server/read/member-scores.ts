import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Stage } from '../../shared/contracts/lead.ts';
import type { Model } from '../../shared/contracts/model.ts';
import { STATE_VERSION } from '../../shared/contracts/score-state.ts';
import { isPostgres } from '../db/locks.ts';
import { MEMBER_SUMS_SQL } from '../db/member-sums-index.ts';
import type { DB } from '../db/schema.ts';
import { decodedOrAbsent, InterestSums, storedInterestSums } from './stored-lead.ts';

// What an account member shows of its score under the primary model: the stored stage and the
// four sums its interest is read from at any moment (`interestAt`), never its whole 2 KB state.
//
// On SQLite the sums come out of the index lead_scores_member (migration 0015), which stores
// them when a state is written: the read touches neither the states nor their JSON (0.4 ms of
// CPU per 20-member account at 100k leads before). PostgreSQL has no such index (a large
// state's entry could exceed its B-tree limit), so there the state comes back as text and is
// decoded here; a malformed state there reads as absent rather than failing the query.

export type MemberScore = { stage: Stage; sums: InterestSums | undefined };

/** The sums as the index holds them: a JSON array in the order of MEMBER_SUMS_SQL. */
const SumsArray = z.tuple([InterestSums.shape.v, InterestSums.shape.decaying, InterestSums.shape.decayingAt, InterestSums.shape.steady]);

/** The stored stage and interest sums of each of `leadIds` under `model`; sums only for a state of `model`'s version. */
export async function memberScores(db: Kysely<DB>, model: Pick<Model, 'id' | 'version'>, leadIds: readonly string[]): Promise<Map<string, MemberScore>> {
  const out = new Map<string, MemberScore>();
  if (leadIds.length === 0) return out;
  if (isPostgres(db)) {
    for (const r of await scoreRows(db, model.id, leadIds).select('state').execute()) {
      out.set(r.lead_id, { stage: r.stage as Stage, sums: r.model_version === model.version ? storedInterestSums(r.state) : undefined });
    }
    return out;
  }
  for (const r of await indexedSumsQuery(db, model.id, leadIds).execute()) {
    out.set(r.lead_id, { stage: r.stage as Stage, sums: r.model_version === model.version ? indexedSums(r.sums) : undefined });
  }
  return out;
}

function scoreRows(db: Kysely<DB>, modelId: string, leadIds: readonly string[]) {
  return db.selectFrom('lead_scores').select(['lead_id', 'model_version', 'stage']).where('model_id', '=', modelId).where('lead_id', 'in', [...leadIds]);
}

/** The SQLite read, answered from the index alone (exported for the test of its plan). */
export function indexedSumsQuery(db: Kysely<DB>, modelId: string, leadIds: readonly string[]) {
  return scoreRows(db, modelId, leadIds).select(sql<string | null>`${sql.raw(MEMBER_SUMS_SQL)}`.as('sums'));
}

function indexedSums(text: string | null): InterestSums | undefined {
  const a = decodedOrAbsent(SumsArray, text);
  return a && a[0] === STATE_VERSION ? { v: a[0], decaying: a[1], decayingAt: a[2], steady: a[3] } : undefined;
}
