import { sql, type Kysely } from 'kysely';
import type { Model } from '../../shared/contracts/model.ts';
import { DAY_MS } from '../../shared/scoring/index.ts';
import { rebuildSummaries } from '../db/lead-summary.ts';
import { isPostgres } from '../db/locks.ts';
import { dropPartition, listPartitions } from '../db/partitions.ts';
import type { DB } from '../db/schema.ts';
import { chunks, leadRows, rescoreLead, storedScores } from '../scoring/lead-scores.ts';
import type { JobRunner } from '../db/writer.ts';

// Retention: events older than N days go, and the leads that lost some are rescored from
// what is left. It never holds the write lock for long:
// - PostgreSQL drops whole months (db/partitions.ts) once the month is entirely past the
//   cutoff: no row-by-row delete, no dead rows for vacuum.
// - What is left before the cutoff (the month the cutoff falls in, the default partition, and
//   every row on SQLite) goes CHUNK rows per writer job, with a turn of the event loop between
//   jobs, so ingest commits in between instead of waiting behind one large DELETE.
// - The leads that lost events are rescored 200 per writer job, locking each (leads.ts), and
//   their summaries (db/lead-summary.ts) made again from what is left in the same job.

export const RETENTION_CHUNK = 5_000;

export type RetentionResult = { events: number; leads: number; partitions: number };

type Owner = { site: string; anonymous_id: string; lead_id: string | null };

export async function runRetention(deps: {
  db: Kysely<DB>;
  writer: JobRunner;
  days: number;
  models(): readonly Model[];
  now?: number;
  chunk?: number;
}): Promise<RetentionResult> {
  const { db, writer, days } = deps;
  const now = deps.now ?? Date.now();
  const size = deps.chunk ?? RETENTION_CHUNK;
  const cutoff = now - days * DAY_MS;
  const affected = new Set<string>();
  let events = 0;
  let partitions = 0;

  if (isPostgres(db)) {
    for (const p of await listPartitions(db)) {
      if (p.to > cutoff) continue;
      // Whose events the month holds (and how many), read before it goes.
      const { rows } = await sql<{ lead: string | null; n: number }>`
        SELECT coalesce(e.lead_id, i.lead_id) AS lead, count(*) AS n FROM ${sql.table(p.name)} e
        LEFT JOIN identities i ON i.site = e.site AND i.anonymous_id = e.anonymous_id GROUP BY 1`.execute(db);
      if (!(await dropPartition(db, p))) continue;
      partitions++;
      for (const r of rows) {
        events += Number(r.n);
        if (r.lead) affected.add(r.lead);
      }
    }
  }

  for (;;) {
    const deleted = await writer.run(async (trx) => {
      const gone = await deleteChunk(trx, cutoff, size);
      return { n: gone.length, leads: await owners(trx, gone) };
    });
    events += deleted.n;
    for (const id of deleted.leads) affected.add(id);
    if (deleted.n < size) break;
    await new Promise((r) => setImmediate(r));
  }

  // Tag health (tag-health.ts) keeps page paths, not people, but no longer than the events
  // it was read from: a row not reported since the cutoff goes.
  await writer.run((trx) => trx.deleteFrom('tag_health').where('last_at', '<', cutoff).execute());

  const ids = [...affected].sort();
  for (const chunk of chunks(ids, 200)) {
    await writer.run(async (trx, _after, stage) => {
      const leads = await leadRows(trx, chunk);
      // Their packed events (db/lead-summary.ts), under the leads' locks: the deleted ones leave the summaries too.
      await rebuildSummaries(trx, chunk);
      const scores = await storedScores(trx, chunk);
      const models = deps.models();
      for (const lead of leads.values()) {
        stage(await rescoreLead(trx, { lead, models, stored: scores.get(lead.id) ?? new Map(), newEvents: [], rebuild: true, now }));
      }
    });
    await new Promise((r) => setImmediate(r));
  }
  if (events > 0) {
    const detail = { days, events, leads: ids.length, ...(partitions > 0 ? { partitions } : {}) };
    await writer.run((trx) => trx.insertInto('audit').values({ at: now, actor: 'retention', action: 'retention', detail: JSON.stringify(detail) }).execute());
  }
  return { events, leads: ids.length, partitions };
}

/** Deletes up to `limit` events older than `cutoff`; returns whose they were. */
async function deleteChunk(trx: Kysely<DB>, cutoff: number, limit: number): Promise<Owner[]> {
  // (id, ts) is the key on PostgreSQL (migration 0010); SQLite has its rowid.
  const q = isPostgres(trx)
    ? sql<Owner>`DELETE FROM events e USING (SELECT id, ts FROM events WHERE ts < ${cutoff} LIMIT ${limit}) d
        WHERE e.id = d.id AND e.ts = d.ts RETURNING e.site, e.anonymous_id, e.lead_id`
    : sql<Owner>`DELETE FROM events WHERE rowid IN (SELECT rowid FROM events WHERE ts < ${cutoff} LIMIT ${limit})
        RETURNING site, anonymous_id, lead_id`;
  return (await q.execute(trx)).rows;
}

/** The leads the deleted rows belonged to: pinned ones, else through their anonymous ids. */
async function owners(trx: Kysely<DB>, rows: readonly Owner[]): Promise<string[]> {
  const out = new Set<string>();
  const pairs = new Set<string>();
  for (const r of rows) {
    if (r.lead_id) out.add(r.lead_id);
    else pairs.add(`${r.site}\u0000${r.anonymous_id}`);
  }
  const anon = [...new Set(rows.filter((r) => !r.lead_id).map((r) => r.anonymous_id))];
  for (const chunk of chunks(anon, 500)) {
    const found = await trx.selectFrom('identities').select(['site', 'anonymous_id', 'lead_id']).where('anonymous_id', 'in', chunk).execute();
    for (const f of found) if (pairs.has(`${f.site}\u0000${f.anonymous_id}`)) out.add(f.lead_id);
  }
  return [...out];
}
