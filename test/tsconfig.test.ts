import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// One tsconfig per runtime (issue 18): browser code cannot use Node APIs and the reverse. Each
// case compiles a small file with a runtime's real compiler options and references, next to an
// import of that runtime's real code (so its dependencies' types are loaded too: the previous
// single config let preact's jsx.d.ts pull lib DOM into everything), and expects exactly the
// violation lines to fail. The allowed lines are the control: they must compile.

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const FIXTURES = join(ROOT, 'test-output/tsc-runtimes');

type Case = {
  /** The runtime's tsconfig, relative to the root. */
  config: string;
  /** Lines of the fixture; a line ending in `// error` must fail with "Cannot find name/module", every other line must pass. */
  lines: string[];
  /** Ambient declarations the runtime's project includes. */
  include?: string[];
  /** Reference the runtime's own project too, so its code comes in as built declarations (cheaper than compiling it again). */
  self?: boolean;
};

const CASES: Record<string, Case> = {
  shared: {
    config: 'shared/tsconfig.json',
    include: ['shared/web-crypto.d.ts'],
    self: true,
    lines: [
      "import '../../../shared/index.ts';",
      "import '../../../shared/email.ts';",
      "import { z } from 'zod';",
      'export const ok = z.string().parse(String(crypto.getRandomValues(new Uint8Array(1))[0]));',
      'export const env = process.env.X; // error',
      'export const title = document.title; // error',
      'export const buf = Buffer.from(ok); // error',
    ],
  },
  sdk: {
    config: 'sdk/tsconfig.json',
    self: true,
    lines: [
      "import { init } from '../../../sdk/index.ts';",
      "init({ site: 'pk', server: location.origin });",
      'export const title = document.title;',
      'export const env = process.env.X; // error',
      "export const fs = import('node:fs'); // error",
    ],
  },
  server: {
    config: 'server/tsconfig.json',
    self: true,
    lines: [
      "import { startServer } from '../../../server/http/app.ts';",
      "import '../../../server/cli/inspect.ts';",
      'export const app = startServer;',
      'export const env = process.env.X;',
      'export const title = document.title; // error',
      "export const item = localStorage.getItem('x'); // error",
    ],
  },
  extension: {
    config: 'extension/tsconfig.json',
    include: ['extension/**/*.d.ts'],
    self: true,
    lines: [
      "import { browser } from 'wxt/browser';",
      "import { h } from 'preact';",
      "export const el = h('p', null, 'x');",
      "import '../../../extension/sites/noise.ts';",
      'export const id = browser.runtime.id + document.title;',
      'export const env = process.env.X; // error',
    ],
  },
};

function tscBuild(config: string): Promise<string> {
  return new Promise((resolve) => {
    execFile(process.execPath, [TSC, '-b', config, '--pretty', 'false'], { cwd: ROOT, maxBuffer: 1 << 24 }, (_err, stdout, stderr) => resolve(stdout + stderr));
  });
}

describe('one tsconfig per runtime', () => {
  it.each(Object.entries(CASES))('%s: only the other runtime’s APIs fail', async (name, c) => {
    const dir = join(FIXTURES, name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const real = JSON.parse(readFileSync(join(ROOT, c.config), 'utf8').replace(/^\s*\/\/.*$/gm, '')) as { references?: { path: string }[] };
    const up = (p: string) => relative(dir, join(ROOT, dirname(c.config), p));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        extends: relative(dir, join(ROOT, c.config)),
        compilerOptions: { composite: false, emitDeclarationOnly: false, noEmit: true, rootDir: relative(dir, ROOT) },
        include: (c.include ?? []).map((p) => relative(dir, join(ROOT, p))),
        files: ['violation.ts'],
        references: [...(real.references ?? []).map((r) => ({ path: up(r.path) })), ...(c.self ? [{ path: relative(dir, join(ROOT, c.config)) }] : [])],
      }),
    );
    writeFileSync(join(dir, 'violation.ts'), c.lines.join('\n') + '\n');
    const out = await tscBuild(join(dir, 'tsconfig.json'));
    const errors = [...out.matchAll(/^(.*?)\((\d+),\d+\): error TS\d+: (Cannot find (?:name|module))?/gm)].map((m) => `${relative(ROOT, join(ROOT, m[1]!))}:${m[2]} ${m[3] ?? 'other error'}`);
    expect(out, 'an error without a file: the fixture project itself is wrong').not.toMatch(/^error TS/m);
    const fixture = relative(ROOT, join(dir, 'violation.ts'));
    const expected = c.lines.flatMap((l, i) => (l.endsWith('// error') ? [`${fixture}:${i + 1} ${l.includes("import('") ? 'Cannot find module' : 'Cannot find name'}`] : []));
    expect(errors, out).toEqual(expected);
  }, 480_000);
});
