// A pool worker for test/server/read/worker-pool.test.ts that answers pages two at a time, the
// later one first: the pool must still hand the answers over in page order.
import { parentPort } from 'node:worker_threads';

type Page = { type: string; index: number; page: unknown };
let held: Page | undefined;
parentPort?.on('message', (m: Page) => {
  if (m.type !== 'page') return;
  if (held === undefined) {
    held = m;
    return;
  }
  parentPort?.postMessage({ type: 'answer', index: m.index, answer: m.page });
  parentPort?.postMessage({ type: 'answer', index: held.index, answer: held.page });
  held = undefined;
});
