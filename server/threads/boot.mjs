// Every server worker thread starts here (start-worker.ts). Plain JavaScript, so it runs with no
// loader. It waits on its own port for how to load the entry, then loads it:
// - `bundle`: the entry bundled with the sources it imports (worker-bundle.ts), as a data: URL,
//   so no file is written for it;
// - `source`: the TypeScript entry through tsx, registered here because a worker thread gets no
//   loader from its parent (the worker runs with empty execArgv, so tsx is never registered twice).
// The parent's messages wait in the worker's parentPort, which starts only when the entry listens.
import { workerData } from 'node:worker_threads';

/** @type {import('node:worker_threads').MessagePort} */
const port = workerData.bootPort;
/** @type {{ kind: 'bundle'; code: string } | { kind: 'source'; entry: string }} */
const how = await new Promise((resolve) => port.once('message', resolve));
port.close();
if (how.kind === 'bundle') {
  await import(`data:text/javascript;base64,${Buffer.from(how.code).toString('base64')}`);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(how.entry);
}
