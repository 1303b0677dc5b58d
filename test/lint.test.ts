import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// `npm test` runs `biome lint` (biome.json): the project's conventions as rules. This test
// lints small files that break each rule, with the real biome.json (copied next to them, so
// its per-folder overrides see the same relative paths), and expects each rule to fire where
// it should and nowhere else: a rule that silently stopped matching would let violations in.

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIOME = join(ROOT, 'node_modules/@biomejs/biome/bin/biome');
const DIR = join(ROOT, 'test-output/lint-fixture');

/** Each file, and the rules it must break (empty: it must pass). */
const FILES: Record<string, { code: string; rules: string[] }> = {
  'shared/imports-server.ts': { code: "import { startServer } from '../server/http/app.ts';\nexport const s = startServer;\n", rules: ['lint/style/noRestrictedImports'] },
  'shared/imports-sdk.ts': { code: "export { init } from '../sdk/index.ts';\n", rules: ['lint/style/noRestrictedImports'] },
  'shared/imports-node.ts': { code: "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n", rules: ['lint/correctness/noNodejsModules'] },
  'shared/any.ts': { code: 'export const f = (x: any): number => x;\n', rules: ['lint/suspicious/noExplicitAny'] },
  'shared/pure.ts': { code: "import { z } from 'zod';\nexport const S = z.string();\n", rules: [] },
  'sdk/imports-extension.ts': { code: "import '../extension/cache.ts';\n", rules: ['lint/style/noRestrictedImports'] },
  'sdk/log.ts': { code: "console.log('hi');\nconsole.warn('Leadglow: no site key');\n", rules: ['lint/suspicious/noConsole'] },
  'sdk/floating.ts': { code: 'async function send(): Promise<boolean> {\n  return true;\n}\nsend();\nvoid send();\n', rules: ['lint/nursery/noFloatingPromises'] },
  'extension/imports-server.ts': { code: "import { startServer } from '../../server/http/app.ts';\nexport const s = startServer;\n", rules: ['lint/style/noRestrictedImports'] },
  'server/imports-sdk-and-node.ts': { code: "import { snippet } from '../sdk/snippet.ts';\nimport { readFileSync } from 'node:fs';\nexport const s = [snippet, readFileSync];\nconsole.log('server logs are fine');\n", rules: [] },
  'test/focused.test.ts': { code: "import { describe, it } from 'vitest';\nit.only('a', () => {});\ndescribe.only('b', () => {});\nit.concurrent.only('c', () => {});\n", rules: ['plugin', 'plugin', 'plugin'] },
  'test/skipped.test.ts': { code: "import { it } from 'vitest';\nit.skip('a', () => {});\n", rules: ['lint/suspicious/noSkippedTests'] },
  'test/fit-score.test.ts': { code: "import { it } from 'vitest';\nconst fit = (grade: string) => grade;\nit('grades', () => fit('B'));\n", rules: [] },
};

function lint(cwd: string): Promise<string> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIOME, 'lint', '--max-diagnostics=100', '--colors=off', '.'], { cwd, maxBuffer: 1 << 24 }, (_err, stdout, stderr) => resolve(stdout + stderr));
  });
}

describe('lint rules (biome.json)', () => {
  it('enforce the dependency direction, focused and skipped tests, floating promises, any, console in the sdk', async () => {
    rmSync(DIR, { recursive: true, force: true });
    const config = JSON.parse(readFileSync(join(ROOT, 'biome.json'), 'utf8')) as Record<string, unknown> & { plugins: string[] };
    delete config.$schema;
    const fixture = { ...config, root: true, vcs: { enabled: false }, files: { includes: ['**'] }, plugins: config.plugins.map((p) => join(ROOT, p)) };
    mkdirSync(DIR, { recursive: true });
    writeFileSync(join(DIR, 'biome.json'), JSON.stringify(fixture));
    for (const [path, { code }] of Object.entries(FILES)) {
      mkdirSync(dirname(join(DIR, path)), { recursive: true });
      writeFileSync(join(DIR, path), code);
    }
    const out = await lint(DIR);
    const found: Record<string, string[]> = Object.fromEntries(Object.keys(FILES).map((f) => [f, []]));
    for (const m of out.matchAll(/^(\S+\.ts):\d+:\d+ (\S+)/gm)) (found[m[1]!] ??= []).push(m[2]!);
    const expected = Object.fromEntries(Object.entries(FILES).map(([f, { rules }]) => [f, rules]));
    expect(found, out).toEqual(expected);
  }, 120_000);
});
