import { sql } from 'kysely';
import type { OpenDatabase } from './open.ts';

// After an erasure the deleted rows must leave the files too, not only the tables (issue 18:
// `strings leadglow.db` still found the erased person). SQLite runs with `secure_delete` on
// (db/open.ts), so freed space is zeroed as it is freed; VACUUM rebuilds the file once more for
// bytes freed before that pragma was on, and a TRUNCATE checkpoint empties the WAL, which held
// the old page images. PostgreSQL's VACUUM removes the dead tuples and their index entries.
// Both cost time on a large database; erasures are rare and the law asks for them.

/** The tables eraseLead deletes from. */
export const ERASED_TABLES = ['events', 'identities', 'identity_links', 'lead_emails', 'lead_scores', 'stage_changes', 'lead_summaries', 'leads'] as const;

export type ScrubResult = { vacuumed: boolean; walEmptied: boolean };

/** Removes the bytes of deleted rows from the database files; call after the erasing transaction. */
export async function scrubDeleted(db: OpenDatabase): Promise<ScrubResult> {
  if (db.backend === 'postgres') {
    await sql.raw(`VACUUM ${ERASED_TABLES.join(', ')}`).execute(db.write);
    return { vacuumed: true, walEmptied: true };
  }
  await sql`VACUUM`.execute(db.write);
  // busy = 1 when a reader (a running server) holds an old snapshot: the WAL could not be emptied.
  const r = await sql<{ busy: number }>`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db.write);
  return { vacuumed: true, walEmptied: r.rows[0]?.busy === 0 };
}
