import { isMainThread, parentPort, threadId } from 'node:worker_threads';
import { createBacktest } from '../../shared/analytics/backtest.ts';
import { createReport } from '../../shared/analytics/report.ts';
import type { EventType } from '../../shared/contracts/event.ts';
import { historyLead, predictiveScorer, typeSet, type AnalyticsJob, type FromHistoryWorker, type ToHistoryWorker } from './analytics-runs.ts';

// The report and backtest worker: the main thread reads stored leads a page at a time and
// posts them unparsed (events packed, db/lead-summary.ts); here they are unpacked and replayed (most of a report's CPU), so the
// server's event loop only runs the queries. Each page is acknowledged, which is the main
// thread's progress and its backpressure.

if (isMainThread || !parentPort) throw new Error('server/read/analytics-worker.ts runs only as a worker thread');
const port = parentPort;
let builder: { add(leads: Iterable<ReturnType<typeof historyLead>>): void; finish(): unknown } | undefined;
let types: ReadonlySet<EventType> | undefined;

function start(job: AnalyticsJob): typeof builder {
  if (job.kind === 'backtest') return createBacktest(job.options);
  const { predictive, ...options } = job.options;
  return createReport({ ...options, ...(predictive ? { scorers: [predictiveScorer(predictive, options.now)] } : {}) });
}

port.on('message', (m: ToHistoryWorker) => {
  const post = (answer: FromHistoryWorker) => port.postMessage(answer);
  try {
    if (m.type === 'start') {
      builder = start(m.job);
      types = typeSet(m.types);
    }
    else if (m.type === 'page') {
      builder!.add(m.leads.map((r) => historyLead(r, types)));
      post({ type: 'added', leads: m.leads.length });
    } else post({ type: 'result', value: builder!.finish() as never, threadId });
  } catch (error) {
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
});
