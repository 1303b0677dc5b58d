import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parentPort } from 'node:worker_threads';
import { z } from 'zod';
import { shout } from './echo-shout.ts';

// A worker entry for start-worker.test.ts: answers each message with what a bundled module
// must keep from its sources: another source's code (shout), a package (zod), its own
// import.meta.url (a file beside it is found), and the file its code runs from (the stack).

const Message = z.object({ text: z.string() });

parentPort?.on('message', (m: unknown) => {
  const parsed = Message.safeParse(m);
  parentPort?.postMessage({
    answer: parsed.success ? shout(parsed.data.text) : `not a message: ${parsed.error.issues[0]?.path.join('.')}`,
    url: import.meta.url,
    besideFound: existsSync(fileURLToPath(new URL('./echo-shout.ts', import.meta.url))),
    runsFrom: new Error('where').stack?.split('\n')[1] ?? '',
  });
});
