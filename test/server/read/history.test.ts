import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backtest, Report } from '../../../shared/contracts/marketing.ts';
import { defaultModel } from '../../../shared/scoring/index.ts';
import { rebuildAllSummaries } from '../../../server/db/lead-summary.ts';
import { openDatabase, type OpenDatabase } from '../../../server/db/open.ts';
import { runBacktest, runInWorker, runReport } from '../../../server/read/analytics-runs.ts';
import { seedBulk } from '../../bench/seed.ts';

// Reports and backtests in worker threads give exactly what the in-process run gives, however
// the pages are cut and shared, leave the main thread, and count progress up to every lead.

const NOW = Date.UTC(2026, 10, 1);
const LEADS = 180;
let dir: string;
let db: OpenDatabase;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'leadglow-history-'));
  await seedBulk({ dataDir: dir, leads: LEADS, perLead: 12, now: NOW });
  db = await openDatabase({ dataDir: dir });
  // The bulk seeder writes rows past ingest: the summaries are built from them, as a migration would.
  await rebuildAllSummaries(db.write);
}, 60_000);

afterAll(async () => {
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

const draft = { ...defaultModel, version: defaultModel.version + 1, thresholds: { ...defaultModel.thresholds, mql: { ...defaultModel.thresholds.mql, interest: 30 } } };

describe('runInWorker', () => {
  it('reports in another thread exactly as in this one, with progress to the last lead', async () => {
    const seen: number[] = [];
    const inProcess = await runReport(db.read, { model: defaultModel, draft, now: NOW, weeks: 13 });
    const inWorker = await runInWorker<Report>(db.read, { kind: 'report', options: { model: defaultModel, draft, now: NOW, weeks: 13 } }, { pageSize: 40, onProgress: (done, total) => seen.push(done, total) });
    expect(inWorker.threadId).not.toBe(threadId);
    expect(inWorker.value).toEqual(inProcess);
    expect(inProcess.leads).toBe(LEADS);
    expect(seen.slice(-2)).toEqual([LEADS, LEADS]);
  }, 60_000);

  it('backtests in another thread exactly as in this one', async () => {
    const inProcess = await runBacktest(db.read, { live: defaultModel, draft, now: NOW, weeks: 13 });
    const inWorker = await runInWorker<Backtest>(db.read, { kind: 'backtest', options: { live: defaultModel, draft, now: NOW, weeks: 13 } });
    expect(inWorker.value).toEqual(inProcess);
    expect(inProcess.moves.length).toBeGreaterThan(0);
  }, 60_000);

  it.each([
    [7, 3],
    [13, 2],
    [50, 4],
  ])('gives the one-thread report and backtest over pages of %i leads shared by %i workers', async (pageSize, workers) => {
    const report = await runInWorker<Report>(db.read, { kind: 'report', options: { model: defaultModel, draft, now: NOW, weeks: 13 } }, { pageSize, workers });
    expect(report.value).toEqual(await runReport(db.read, { model: defaultModel, draft, now: NOW, weeks: 13 }));
    expect(new Set(report.threadIds).size).toBe(Math.min(workers, Math.ceil(LEADS / pageSize)));
    const backtest = await runInWorker<Backtest>(db.read, { kind: 'backtest', options: { live: defaultModel, draft, now: NOW, weeks: 13 } }, { pageSize, workers });
    expect(backtest.value).toEqual(await runBacktest(db.read, { live: defaultModel, draft, now: NOW, weeks: 13 }));
  }, 120_000);

  it('reads the leads in the workers on SQLite, given the open store, and gives the same', async () => {
    const seen: number[] = [];
    const report = await runInWorker<Report>(db, { kind: 'report', options: { model: defaultModel, draft, now: NOW, weeks: 13 } }, { pageSize: 17, workers: 2, onProgress: (done, total) => seen.push(done, total) });
    expect(report.value).toEqual(await runReport(db.read, { model: defaultModel, draft, now: NOW, weeks: 13 }));
    expect(new Set(report.threadIds).size).toBe(2);
    expect(seen.slice(-2)).toEqual([LEADS, LEADS]);
    const backtest = await runInWorker<Backtest>(db, { kind: 'backtest', options: { live: defaultModel, draft, now: NOW, weeks: 13 } }, { pageSize: 17, workers: 2 });
    expect(backtest.value).toEqual(await runBacktest(db.read, { live: defaultModel, draft, now: NOW, weeks: 13 }));
  }, 120_000);

  it('fails with the reason when the worker cannot run the job', async () => {
    // A week count no report accepts: createReport throws in the worker, and the caller hears why.
    await expect(runInWorker<Report>(db.read, { kind: 'report', options: { model: defaultModel, now: NOW, weeks: -1 } })).rejects.toThrow(/^report failed: ./);
  }, 60_000);

  it('fails naming the lead when a worker reads a row that does not decode, and the next run works', async () => {
    const row = await db.read.selectFrom('leads').select(['id', 'profile']).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    await db.write.updateTable('leads').set({ profile: '{"company":' }).where('id', '=', row.id).execute();
    try {
      const run = runInWorker<Backtest>(db, { kind: 'backtest', options: { live: defaultModel, draft, now: NOW, weeks: 13 } }, { pageSize: 20, workers: 2 });
      await expect(run).rejects.toThrow(new RegExp(`^backtest failed: .*leads\\.profile.*${row.id}`));
    } finally {
      await db.write.updateTable('leads').set({ profile: row.profile }).where('id', '=', row.id).execute();
    }
    const again = await runInWorker<Backtest>(db, { kind: 'backtest', options: { live: defaultModel, draft, now: NOW, weeks: 13 } }, { pageSize: 20, workers: 2 });
    expect(again.value.leads).toBe(LEADS);
  }, 120_000);
});
