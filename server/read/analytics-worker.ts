import { backtestJudge, type BacktestLead } from '../../shared/analytics/backtest.ts';
import { reportJudge, type ReportLead } from '../../shared/analytics/report.ts';
import { historyLead, predictiveScorer, typeSet, type AnalyticsStart, type RawHistoryLead } from './analytics-runs.ts';
import { servePool } from './worker-pool.ts';

// A report and backtest worker (one of a few, worker-pool.ts): the main thread reads stored
// leads a page at a time and posts them unparsed (events packed, db/lead-summary.ts); here they
// are unpacked and judged (the replays, nearly all of a report's CPU), and the page's judged
// leads go back to be counted in page order on the main thread (report.ts `take`).

servePool<AnalyticsStart, RawHistoryLead[], ReportLead[] | BacktestLead[]>('server/read/analytics-worker.ts', ({ job, types }) => {
  const only = typeSet(types);
  if (job.kind === 'backtest') {
    const judge = backtestJudge(job.options);
    return (page) => page.map((r) => judge(historyLead(r, only)));
  }
  const { predictive, ...options } = job.options;
  const judge = reportJudge({ ...options, ...(predictive ? { scorers: [predictiveScorer(predictive, options.now)] } : {}) });
  return (page) => page.map((r) => judge(historyLead(r, only)));
});
