import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { backtestJudge, type BacktestLead } from '../../shared/analytics/backtest.ts';
import { reportJudge, type ReportLead } from '../../shared/analytics/report.ts';
import type { DB } from '../db/schema.ts';
import { historyLead, historyPage, predictiveScorer, typeSet, type AnalyticsPage, type AnalyticsStart, type RawHistoryLead } from './analytics-runs.ts';
import { servePool } from './worker-pool.ts';

// A report and backtest worker (one of a few, worker-pool.ts). It gets a page of leads, as rows
// the main thread read or, on SQLite, as id bounds it reads itself on its own read-only
// connection; unpacks and judges the leads (the replays, nearly all of a report's CPU); and
// answers the page's judged leads, which the main thread counts in page order (report.ts `take`).

/** This worker's connection to each SQLite file it was asked to read, kept while it lives (it may serve several runs). */
const readers = new Map<string, Kysely<DB>>();

function readerOf(file: string): Kysely<DB> {
  let db = readers.get(file);
  if (!db) {
    const sqlite = new Database(file, { readonly: true, fileMustExist: true });
    sqlite.pragma('busy_timeout = 5000');
    db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) });
    readers.set(file, db);
  }
  return db;
}

servePool<AnalyticsStart, AnalyticsPage, ReportLead[] | BacktestLead[]>('server/read/analytics-worker.ts', ({ job, types, sqliteFile }) => {
  const only = typeSet(types);
  let judgeRows: (rows: RawHistoryLead[]) => ReportLead[] | BacktestLead[];
  if (job.kind === 'backtest') {
    const judge = backtestJudge(job.options);
    judgeRows = (rows) => rows.map((r) => judge(historyLead(r, only)));
  } else {
    const { predictive, ...options } = job.options;
    const judge = reportJudge({ ...options, ...(predictive ? { scorers: [predictiveScorer(predictive, options.now)] } : {}) });
    judgeRows = (rows) => rows.map((r) => judge(historyLead(r, only)));
  }
  const db = sqliteFile === undefined ? undefined : readerOf(sqliteFile);
  return async (page) => {
    if (Array.isArray(page)) return judgeRows(page);
    if (!db) throw new Error('a page of bounds came without a store to read it from');
    return judgeRows(await historyPage(db, page));
  };
});
