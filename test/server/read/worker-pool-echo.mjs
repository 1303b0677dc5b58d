// A pool worker for test/server/read/worker-pool.test.ts: answers each page's number doubled,
// with its thread id; fails or stops at the page the start message names.
import { register } from 'tsx/esm/api';

register();
const { threadId } = await import('node:worker_threads');
const { servePool } = await import('../../../server/read/worker-pool.ts');

servePool('worker-pool-echo.mjs', (start) => (page) => {
  if (start.failAt === page.n) throw new Error(`no page ${page.n} here`);
  if (start.exitAt === page.n) process.exit(3);
  return { n: page.n, twice: page.n * 2, threadId };
});
