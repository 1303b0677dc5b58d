// A pool worker for test/server/read/worker-pool.test.ts: answers each page's number doubled,
// with its thread id and nice value; fails or stops at the page the start message names.
import { register } from 'tsx/esm/api';

register();
const { threadId } = await import('node:worker_threads');
const { readlinkSync } = await import('node:fs');
const { getPriority } = await import('node:os');
/** This thread's nice value (Linux), as the pool set it. */
const nice = () => (process.platform === 'linux' ? getPriority(Number(readlinkSync('/proc/thread-self').split('/').pop())) : undefined);
const { servePool } = await import('../../../server/read/worker-pool.ts');

servePool('worker-pool-echo.mjs', (start) => (page) => {
  if (start.failAt === page.n) throw new Error(`no page ${page.n} here`);
  if (start.exitAt === page.n) process.exit(3);
  return { n: page.n, twice: page.n * 2, threadId, nice: nice() };
});
