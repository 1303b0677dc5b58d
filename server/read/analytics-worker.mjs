// Bootstrap for the report and backtest workers (see analytics-worker.ts and worker-pool.ts). As for the training
// worker, a worker thread gets no TypeScript loader from its parent, so it registers tsx itself;
// it is started with empty execArgv so tsx is never registered twice.
import { register } from 'tsx/esm/api';

register();
await import('./analytics-worker.ts');
