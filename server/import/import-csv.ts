import type { Kysely } from 'kysely';
import type { StageChange } from '../../shared/contracts/api.ts';
import type { ImportSummary } from '../../shared/contracts/admin.ts';
import type { Model } from '../../shared/contracts/model.ts';
import type { DB } from '../db/schema.ts';
import { CsvError, readCsv, streamOutcomeRows, streamTouchpointRows } from './csv.ts';
import { addTouchpoint, setOutcome } from './touchpoints-and-outcomes.ts';

/** Runs a job in one write transaction; stage changes it reports are the caller's to publish. */
export type RunInTransaction = (job: (trx: Kysely<DB>, changes: StageChange[]) => Promise<void>) => Promise<void>;

/**
 * `leadglow import events|outcomes FILE.csv` and `POST /v1/import/...`: streams the CSV, one
 * transaction per 500 rows. Rows for emails with no lead are skipped (counted); bad rows are
 * listed with their line and do not stop the others.
 */
export async function importCsv(
  run: RunInTransaction,
  models: readonly Model[],
  kind: 'events' | 'outcomes',
  source: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  opts: { site: string },
): Promise<ImportSummary> {
  const summary: ImportSummary = { imported: 0, skipped: 0, duplicates: 0, rejects: [] };
  const rows = readCsv(source);
  let batch: ((trx: Kysely<DB>, changes: StageChange[]) => Promise<void>)[] = [];
  const flush = async () => {
    const jobs = batch;
    batch = [];
    if (jobs.length)
      await run(async (trx, changes) => {
        for (const j of jobs) await j(trx, changes);
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
      batch.push(async (trx, changes) => {
        if ('kind' in rec) {
          const r = await addTouchpoint(trx, models, rec, opts.site);
          changes.push(...r.changes);
          if (!r.found) summary.skipped++;
          else if (r.duplicate) summary.duplicates++;
          else summary.imported++;
        } else {
          const outcome = { result: rec.result, at: rec.at, ...(rec.value !== undefined ? { value: rec.value } : {}) };
          const r = await setOutcome(trx, models, rec.email, outcome);
          changes.push(...r.changes);
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
