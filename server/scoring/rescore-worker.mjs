// Bootstrap for the rescore workers (rescore-pool.ts). As for the report and training workers,
// a worker thread gets no TypeScript loader from its parent, so it registers tsx itself; it is
// started with empty execArgv so tsx is never registered twice.
import { register } from 'tsx/esm/api';

register();
await import('./rescore-worker.ts');
