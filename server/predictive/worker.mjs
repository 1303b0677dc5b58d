// Bootstrap for the training worker. The server runs TypeScript through tsx (npm start, the
// CLI) or vitest; a worker thread gets neither loader, so it registers tsx itself before
// importing the TypeScript entry. The worker is started with empty execArgv, so tsx is
// never registered twice (which breaks its loader).
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
