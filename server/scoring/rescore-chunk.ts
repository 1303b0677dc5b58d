import { CompiledQuery, sql, type Kysely } from 'kysely';
import type { StageChange } from '../../shared/contracts/api.ts';
import type { Model } from '../../shared/contracts/model.ts';
import { isPostgres } from '../db/locks.ts';
import { packedSummaries } from '../db/lead-summary.ts';
import type { DB } from '../db/schema.ts';
import { chunks, leadRows, stageChangeRow, type LeadRow } from './lead-scores.ts';
import { isCurrent, rescoreMany, type RescoreInput, type RescoreOutput, type StoredStage } from './rescore-compute.ts';

// One chunk of the background rescore (rescore.ts) as a few statements instead of a few per
// lead: the chunk's packed summaries in one read (db/lead-summary.ts: one row per lead, not one
// row and one JSON body per event), every score row in one multi-row upsert, the stage changes
// in one insert. Per lead it stores exactly what `rescoreLead` with `rebuild: true` does
// (rescore-compute.ts). Reading the histories lead by lead and writing each row alone made a
// publish take 335-745 s per 100k leads, most of it statements.
//
// The rescorer reads a chunk and scores it in a worker before the chunk's writer job
// (`readChunk`), then the job (`commitChunk`) reads again what the scores depend on, inside the
// transaction (and, on PostgreSQL, with the leads locked): a lead whose row, stored stages or
// summary changed meanwhile, or that is new, is scored again there; one that ingest scored with
// the current versions meanwhile is skipped. So what commits is what scoring every lead inside
// the job would store, and the job holds the writer only for the comparison and the writes.

/** Rows per multi-row statement: 8 values a row stays far below both backends' parameter limits. */
const ROWS_PER_STATEMENT = 500;
/** Leads per summary comparison: two parameters each, one packed summary of ~6 kB among them. */
const PAIRS_PER_STATEMENT = 100;

/** What rescoring needs of these leads, for those whose stored rows are not all of the current versions, in the order of `leads`. */
export async function rescoreInputs(db: Kysely<DB>, leads: ReadonlyMap<string, LeadRow>, stored: ReadonlyMap<string, Readonly<Record<string, StoredStage>>>, models: readonly Model[]): Promise<RescoreInput[]> {
  const todo = [...leads.values()].filter((lead) => !isCurrent(stored.get(lead.id), models));
  if (todo.length === 0) return [];
  const packed = await packedSummaries(
    db,
    todo.map((l) => l.id),
  );
  return todo.map((lead) => ({ lead, packed: packed.get(lead.id) ?? null, stored: stored.get(lead.id) ?? {} }));
}

/** A chunk's leads in (after, last] as rescoring reads them: every id in order, the rows, the stored stages, and the inputs of those to rescore. */
export type ChunkRange = { ids: string[]; leads: Map<string, LeadRow>; stored: Map<string, Record<string, StoredStage>>; inputs: RescoreInput[] };

/**
 * The leads in (after, last] with what rescoring needs of them, read by id range rather than by
 * lists of 200 ids (a list costs a parameter and a lookup per id, and building it through Kysely
 * cost about a CPU-second per 100k leads). The stored stages are read for the live models only
 * (the only ones rescoring compares), which on SQLite the lead_scores_member index answers alone
 * instead of reading each lead's 2.4 KB score row (0.16 against 0.54 CPU-s per 100k leads). On
 * PostgreSQL inside a transaction the rows come from leadRows, which locks them first, as every
 * scoring path does. A lead added to the range after the read is not in it: the writer job finds it.
 * Without `summaries`, no inputs (the writer job's check reads only the changed leads' summaries).
 */
export async function readRange(db: Kysely<DB>, after: string, last: string, models: readonly Model[], summaries = true): Promise<ChunkRange> {
  let leads = new Map<string, LeadRow>();
  for (const r of await db.selectFrom('leads').selectAll().where('id', '>', after).where('id', '<=', last).orderBy('id').execute()) leads.set(r.id, r);
  const ids = [...leads.keys()];
  if (db.isTransaction && isPostgres(db)) leads = await leadRows(db, ids);
  const stored = new Map<string, Record<string, StoredStage>>();
  if (ids.length > 0 && models.length > 0) {
    for (const r of await stagesInRange(db, after, last, models).execute()) {
      let m = stored.get(r.lead_id);
      if (!m) stored.set(r.lead_id, (m = {}));
      m[r.model_id] = { model_version: r.model_version, stage: r.stage };
    }
  }
  if (!summaries) return { ids, leads, stored, inputs: [] };
  const todo = ids.filter((id) => !isCurrent(stored.get(id), models));
  let packed: Map<string, string>;
  if (todo.length < ids.length) packed = await packedSummaries(db, todo);
  else {
    packed = new Map();
    for (const r of await db.selectFrom('lead_summaries').select(['lead_id', 'packed']).where('lead_id', '>', after).where('lead_id', '<=', last).execute()) packed.set(r.lead_id, r.packed);
  }
  const inputs: RescoreInput[] = [];
  for (const id of todo) {
    const lead = leads.get(id);
    if (lead) inputs.push({ lead, packed: packed.get(id) ?? null, stored: stored.get(id) ?? {} });
  }
  return { ids, leads, stored, inputs };
}

/** The stored stages and versions of the leads in (after, last] under `models` (on SQLite answered by the lead_scores_member index alone). */
export function stagesInRange(db: Kysely<DB>, after: string, last: string, models: readonly Model[]) {
  return db
    .selectFrom('lead_scores')
    .select(['lead_id', 'model_id', 'model_version', 'stage'])
    .where(
      'model_id',
      'in',
      models.map((m) => m.id),
    )
    .where('lead_id', '>', after)
    .where('lead_id', '<=', last);
}

/** The lead_scores columns a rescore writes, in the order of the upsert's values. */
const SCORE_COLUMNS = ['lead_id', 'model_id', 'model_version', 'state', 'stage', 'fit', 'interest', 'updated_at'] as const;

/** The upsert of `rows` score rows as SQL text, made once per row count and backend (the statement cache then prepares it once). */
const upsertText = new Map<string, string>();
function upsertSql(rows: number, postgres: boolean): string {
  const key = `${rows}:${postgres}`;
  let text = upsertText.get(key);
  if (text === undefined) {
    const width = SCORE_COLUMNS.length;
    const tuple = (r: number) => `(${SCORE_COLUMNS.map((_, c) => (postgres ? `$${r * width + c + 1}` : '?')).join(', ')})`;
    const set = SCORE_COLUMNS.slice(2).map((c) => `${c} = excluded.${c}`).join(', ');
    text = `insert into lead_scores (${SCORE_COLUMNS.join(', ')}) values ${Array.from({ length: rows }, (_, r) => tuple(r)).join(', ')} on conflict (lead_id, model_id) do update set ${set}`;
    upsertText.set(key, text);
  }
  return text;
}

/**
 * Writes rescored leads: their score rows in upserts (multi-row on PostgreSQL, one round trip per
 * 500 rows; one row per statement on SQLite), their stage changes; returns the changes (for the
 * outbox). The upsert is SQL text made once per size rather than built through Kysely per chunk:
 * building a 200-row statement cost about a second of the event loop per 100k leads.
 */
export async function writeRescored(trx: Kysely<DB>, outputs: readonly RescoreOutput[]): Promise<StageChange[]> {
  const scoreRows = outputs.flatMap((o) => o.rows);
  const changes = outputs.flatMap((o) => o.changes);
  const postgres = isPostgres(trx);
  if (postgres) {
    for (const rows of chunks(scoreRows, ROWS_PER_STATEMENT)) {
      const params: unknown[] = [];
      for (const r of rows) params.push(r.lead_id, r.model_id, r.model_version, r.state, r.stage, r.fit, r.interest, r.updated_at);
      await trx.executeQuery(CompiledQuery.raw(upsertSql(rows.length, postgres), params));
    }
  } else {
    // SQLite runs in this process, so a statement costs no round trip, and one prepared row at a
    // time is cheaper than a 200-row VALUES list (which SQLite walks as a co-routine binding 1,600
    // parameters): 5.3-6.1 against 6.9-7.6 CPU-s per 100k rows with their commits, on the 100k store.
    const text = upsertSql(1, false);
    for (const r of scoreRows) await trx.executeQuery(CompiledQuery.raw(text, [r.lead_id, r.model_id, r.model_version, r.state, r.stage, r.fit, r.interest, r.updated_at]));
  }
  for (const rows of chunks(changes.map(stageChangeRow), ROWS_PER_STATEMENT)) await trx.insertInto('stage_changes').values(rows).execute();
  return changes;
}

/**
 * Rescores, inside `trx`, the leads of a chunk whose stored scores are not all of the current
 * model versions; returns the stage changes (for the outbox, not yet published) and how many
 * leads it scored.
 */
export async function rescoreChunk(
  trx: Kysely<DB>,
  leads: ReadonlyMap<string, LeadRow>,
  scores: ReadonlyMap<string, ReadonlyMap<string, StoredStage>>,
  models: readonly Model[],
  now: number,
): Promise<{ changes: StageChange[]; scored: number }> {
  const stored = new Map([...scores].map(([id, byModel]) => [id, Object.fromEntries(byModel)]));
  const inputs = await rescoreInputs(trx, leads, stored, models);
  if (inputs.length === 0) return { changes: [], scored: 0 };
  return { changes: await writeRescored(trx, rescoreMany(inputs, models, now)), scored: inputs.length };
}

/** A chunk read outside the writer: the leads in (after, last], what was read of those to rescore, and their scores (from a worker). */
export type ReadChunk = {
  after: string;
  last: string;
  /** Every lead id of the chunk, skipped ones too. */
  ids: string[];
  inputs: Map<string, RescoreInput>;
  models: readonly Model[];
  now: number;
  outputs: Promise<RescoreOutput[]>;
};

/** Reads the next `size` leads after `after` (undefined: none left) and hands those to rescore to `score` (a worker). */
export async function readChunk(
  db: Kysely<DB>,
  after: string,
  size: number,
  models: readonly Model[],
  now: number,
  score: (inputs: RescoreInput[]) => Promise<RescoreOutput[]>,
): Promise<ReadChunk | undefined> {
  const last = await chunkEnd(db, after, size);
  if (last === undefined) return undefined;
  const { ids, inputs } = await readRange(db, after, last, models);
  const outputs = inputs.length > 0 ? score(inputs) : Promise.resolve([]);
  // Dropped unawaited when the job is given up (another publish superseded it); the failure is then nobody's.
  outputs.catch(() => undefined);
  return { after, last, ids, inputs: new Map(inputs.map((i) => [i.lead.id, i])), models, now, outputs };
}

/** The last id of the next `size` leads after `after`; undefined when none is left. */
export async function chunkEnd(db: Kysely<DB>, after: string, size: number): Promise<string | undefined> {
  const ids = await db.selectFrom('leads').select('id').where('id', '>', after).orderBy('id').limit(size).execute();
  return ids[ids.length - 1]?.id;
}

/**
 * The writes of a chunk read earlier, inside the writer's transaction: the leads now in
 * (after, last] and what scoring depends on are read again (on PostgreSQL the leads are locked
 * first), precomputed scores are kept for leads where nothing changed, and the others are
 * scored here. Returns the stage changes and how many leads the range holds now.
 */
export async function commitChunk(trx: Kysely<DB>, chunk: ReadChunk, models: readonly Model[]): Promise<{ changes: StageChange[]; leads: number }> {
  // Not the summaries: those read before are compared in the database (unchangedSummaries), and only the changed leads' are read.
  const { ids, leads, stored } = await readRange(trx, chunk.after, chunk.last, models, false);
  if (ids.length === 0) return { changes: [], leads: 0 };
  const sameModels = models.length === chunk.models.length && models.every((m, i) => m.id === chunk.models[i]!.id && m.version === chunk.models[i]!.version);
  const todo = [...leads.values()].filter((lead) => !isCurrent(stored.get(lead.id), models));
  if (todo.length === 0) return { changes: [], leads: ids.length };
  const precomputed = new Map((await chunk.outputs).map((o) => [o.leadId, o]));
  // Candidates: read before with the same row and stored stages; their summaries are compared next.
  const candidates = sameModels ? todo.filter((lead) => sameInput(chunk.inputs.get(lead.id), lead, stored.get(lead.id) ?? {}, models) && precomputed.has(lead.id)) : [];
  const unchanged = await unchangedSummaries(
    trx,
    candidates.map((l) => chunk.inputs.get(l.id)!),
  );
  const stale = todo.filter((lead) => !unchanged.has(lead.id));
  const fresh = new Map(rescoreMany(await rescoreInputs(trx, new Map(stale.map((l) => [l.id, l])), stored, models), models, chunk.now).map((o) => [o.leadId, o]));
  const outputs = todo.map((lead) => fresh.get(lead.id) ?? precomputed.get(lead.id)!);
  return { changes: await writeRescored(trx, outputs), leads: ids.length };
}

/** The lead's row and its stored stages under `models` are what the chunk read. */
function sameInput(read: RescoreInput | undefined, lead: LeadRow, stored: Readonly<Record<string, StoredStage>>, models: readonly Model[]): boolean {
  if (!read) return false;
  for (const key of Object.keys(lead) as (keyof LeadRow)[]) if (read.lead[key] !== lead[key]) return false;
  for (const m of models) {
    const a = read.stored[m.id];
    const b = stored[m.id];
    if (a?.model_version !== b?.model_version || a?.stage !== b?.stage) return false;
  }
  return true;
}

/**
 * The ids of the leads whose summary is still the one read. Compared in the database, the
 * summaries as parameters joined to the rows: no summary comes back, and this costs about what
 * reading them once does (0.8 s of CPU per 100k leads, where one OR of pairs per lead cost 1.5 s).
 */
async function unchangedSummaries(trx: Kysely<DB>, inputs: readonly RescoreInput[]): Promise<Set<string>> {
  const out = new Set<string>();
  const withEvents = inputs.filter((i) => i.packed !== null);
  for (const part of chunks(withEvents, PAIRS_PER_STATEMENT)) {
    // VALUES columns are column1, column2 on both backends.
    const pairs = sql.join(part.map((i) => sql`(${i.lead.id}, ${i.packed})`));
    const { rows } = await sql<{ lead_id: string }>`select s.lead_id from lead_summaries s join (values ${pairs}) as v on s.lead_id = v.column1 and s.packed = v.column2`.execute(trx);
    for (const r of rows) out.add(r.lead_id);
  }
  // A lead read with no events is unchanged while it still has none.
  const without = inputs.filter((i) => i.packed === null).map((i) => i.lead.id);
  const gained = new Set<string>();
  for (const part of chunks(without, ROWS_PER_STATEMENT)) {
    for (const r of await trx.selectFrom('lead_summaries').select('lead_id').where('lead_id', 'in', part).execute()) gained.add(r.lead_id);
  }
  for (const id of without) if (!gained.has(id)) out.add(id);
  return out;
}
