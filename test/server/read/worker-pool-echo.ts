// A pool worker for test/server/read/worker-pool.test.ts: answers each page's number doubled,
// with its thread id and nice value; fails or stops at the page the start message names.
import { readlinkSync } from 'node:fs';
import { getPriority } from 'node:os';
import { threadId } from 'node:worker_threads';
import { servePool } from '../../../server/read/worker-pool.ts';

type Start = { failAt?: number; exitAt?: number };

/** This thread's nice value (Linux), as the pool set it. */
const nice = () => (process.platform === 'linux' ? getPriority(Number(readlinkSync('/proc/thread-self').split('/').pop())) : undefined);

servePool<Start, { n: number }, object>('worker-pool-echo.ts', (start) => (page) => {
  if (start.failAt === page.n) throw new Error(`no page ${page.n} here`);
  if (start.exitAt === page.n) process.exit(3);
  return { n: page.n, twice: page.n * 2, threadId, nice: nice() };
});
