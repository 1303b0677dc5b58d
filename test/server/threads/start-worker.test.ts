import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { startWorker } from '../../../server/threads/start-worker.ts';
import { workerCode, type Bundler } from '../../../server/threads/worker-bundle.ts';

// Worker threads start from a bundle of their TypeScript entry made once per process, or,
// when esbuild cannot bundle, from the TypeScript through tsx: the same answers either way.

const ENTRY = new URL('./echo-worker.ts', import.meta.url);
type Answer = { answer: string; url: string; besideFound: boolean; runsFrom: string };

const started: Worker[] = [];
afterAll(async () => {
  await Promise.all(started.map((w) => w.terminate()));
});

/** Posts at once (before the worker has loaded anything) and waits for the answer. */
async function ask(worker: Worker, message: unknown): Promise<Answer> {
  started.push(worker);
  const answer = new Promise<Answer>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  worker.postMessage(message);
  return answer;
}

/** A bundler that is not installed (an install without esbuild, or a platform without its binary). */
const missing = async (): Promise<Bundler> => {
  throw new Error("Cannot find package 'esbuild'");
};

describe('startWorker', () => {
  it('runs the entry from its bundle, with its sources, packages and own import.meta.url', async () => {
    const a = await ask(startWorker(ENTRY), { text: 'hej' });
    expect(a.answer).toBe('HEJ!');
    expect(a.url).toBe(ENTRY.href);
    expect(a.besideFound).toBe(true);
    // The code runs from the bundle, whose stack frames name the entry.
    expect(a.runsFrom).toContain(`${ENTRY.href}.bundle.mjs`);
    // A package's check ran in the worker: a bad message is refused by zod there.
    expect((await ask(startWorker(ENTRY), { text: 5 })).answer).toBe('not a message: text');
  }, 60_000);

  it('runs the same entry through tsx when esbuild is missing, and says why once', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      const a = await ask(startWorker(ENTRY, { loadBundler: missing }), { text: 'hallo' });
      expect(a.answer).toBe('HALLO!');
      expect(a.url).toBe(ENTRY.href);
      expect(a.besideFound).toBe(true);
      expect(a.runsFrom).not.toContain('.bundle.mjs');
      expect(a.runsFrom).toContain('echo-worker.ts');
      // The warning is emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    const ours = warnings.filter((w) => (w as Error & { code?: string }).code === 'LEADGLOW_WORKER_SOURCE');
    expect(ours.map((w) => w.message)).toEqual([expect.stringMatching(/tsx.*esbuild is not available \(Cannot find package 'esbuild'\)/)]);
  }, 60_000);
});

describe('workerCode', () => {
  it('bundles an entry once per process, its sources in and its packages out by absolute URL', async () => {
    const first = workerCode(ENTRY);
    expect(workerCode(ENTRY)).toBe(first);
    const code = await first;
    if (code.kind !== 'bundle') throw new Error(`not bundled: ${code.why}`);
    expect(code.code).toContain('toUpperCase()');
    // zod is imported from the file Node itself resolves it to, not copied in.
    expect(code.code).toContain(`from ${JSON.stringify(import.meta.resolve('zod'))}`);
    expect(code.code).not.toMatch(/from ["']zod["']/);
  }, 60_000);

  it('bundles two entries at once: one finishing does not stop the esbuild service the other uses', async () => {
    // Its own loader, so neither entry comes from the cache the tests above filled.
    const esbuild = async (): Promise<Bundler> => {
      const m = await import('esbuild');
      return m.default ?? m;
    };
    const shout = new URL('./echo-shout.ts', import.meta.url);
    const codes = await Promise.all([workerCode(shout, esbuild), workerCode(ENTRY, esbuild)]);
    expect(codes.map((c) => (c.kind === 'bundle' ? 'bundle' : c.why))).toEqual(['bundle', 'bundle']);
  }, 60_000);

  it('names the entry and the reason when it cannot bundle, so the worker loads the source instead', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'leadglow-bundle-test-'));
    try {
      const broken = pathToFileURL(join(dir, 'broken.ts'));
      writeFileSync(broken, "import { gone } from './not-there.ts';\nexport const x = gone;\n");
      const code = await workerCode(broken);
      expect(code).toEqual({ kind: 'source', why: expect.stringMatching(/^bundling .*broken\.ts failed \(.*not-there\.ts/) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(await workerCode(ENTRY, missing)).toEqual({ kind: 'source', why: "esbuild is not available (Cannot find package 'esbuild')" });
  }, 60_000);
});
