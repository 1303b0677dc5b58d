import type { Kysely } from 'kysely';
import type { DB } from './db/schema.ts';
import type { Model } from '../shared/contracts/model.ts';
import { CsvError, readCsv, streamOutcomeRows, streamTouchpointRows, type CsvReject } from './csv.ts';
import type { Database_ } from './db/open.ts';
import { addTouchpoint, fileChunks, setOutcome } from './offline.ts';

export type ImportSummary = { imported: number; skipped: number; duplicates: number; rejects: CsvReject[] };

/**
 * `leadglow import events|outcomes FILE.csv`: streams the file, one transaction per 500 rows.
 * Rows for emails with no lead are skipped (counted); bad rows are listed with their line.
 */
export async function importCsv(db: Database_, models: readonly Model[], kind: 'events' | 'outcomes', file: string, opts: { site: string }): Promise<ImportSummary> {
  const summary: ImportSummary = { imported: 0, skipped: 0, duplicates: 0, rejects: [] };
  const rows = readCsv(fileChunks(file));
  let batch: ((trx: Kysely<DB>) => Promise<void>)[] = [];
  const flush = async () => {
    const jobs = batch;
    batch = [];
    if (jobs.length) await db.write.transaction().execute(async (trx) => {
      for (const j of jobs) await j(trx);
    });
  };
  try {
    const items = kind === 'events' ? streamTouchpointRows(rows) : streamOutcomeRows(rows);
    for await (const item of items) {
      if (!item.ok) {
        summary.rejects.push(item.reject);
        continue;
      }
      const rec = item.record;
      batch.push(async (trx) => {
        if ('kind' in rec) {
          const r = await addTouchpoint(trx, models, rec, opts.site);
          if (!r.found) summary.skipped++;
          else if (r.duplicate) summary.duplicates++;
          else summary.imported++;
        } else {
          const outcome = { result: rec.result, at: rec.at, ...(rec.value !== undefined ? { value: rec.value } : {}) };
          const r = await setOutcome(trx, models, rec.email, outcome);
          if (r.found) summary.imported++;
          else summary.skipped++;
        }
      });
      if (batch.length >= 500) await flush();
    }
    await flush();
  } catch (error) {
    if (error instanceof CsvError) summary.rejects.push({ line: error.line, errors: [error.message] });
    else throw error;
  }
  return summary;
}
