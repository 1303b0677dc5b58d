import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The one-way rule inside the server (issue 17), read from ARCHITECTURE.md's code map so the
// document and the tree cannot drift apart: a folder imports its own files and folders in
// lower layers, never a folder in its own layer or above. Like refined-github's convention
// tests, it reads the source instead of trusting prose.

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const SERVER = join(ROOT, 'server');

/** Layer per folder, from the rows `| N | `folder/` … |` of the "Inside the server" table. */
function layersFrom(markdown: string): Map<string, number> {
  const section = markdown.split(/^### /m).find((s) => s.startsWith('Inside the server'));
  if (!section) throw new Error('ARCHITECTURE.md has no "### Inside the server" section');
  const layers = new Map<string, number>();
  for (const line of section.split('\n')) {
    const row = /^\|\s*(\d+)\s*\|([^|]+)\|/.exec(line);
    if (!row) continue;
    for (const name of row[2]?.matchAll(/`([^`]+?)\/?`/g) ?? []) layers.set(name[1] as string, Number(row[1]));
  }
  return layers;
}

/** Relative imports of a source file: static (also bare side-effect ones), dynamic, and worker URLs. */
function importsOf(source: string): string[] {
  const specs = source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*|new URL\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g);
  return [...specs].map((m) => m[1] as string);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return path === join(SERVER, 'demo', 'site') ? [] : sourceFiles(path);
    return /\.(ts|mjs)$/.test(name) ? [path] : [];
  });
}

/** `main.ts` at the top is '.', everything else its first folder under server/. */
const folderOf = (path: string): string => {
  const parts = relative(SERVER, path).split(sep);
  return parts.length === 1 ? '.' : (parts[0] as string);
};

const layers = layersFrom(readFileSync(join(ROOT, 'ARCHITECTURE.md'), 'utf8'));
const files = sourceFiles(SERVER);

describe('inside the server, dependencies point one way (ARCHITECTURE.md)', () => {
  it('places every server folder in a layer, and names no folder that does not exist', () => {
    const folders = new Set(files.map(folderOf));
    expect([...folders].filter((f) => !layers.has(f)).sort()).toEqual([]);
    expect([...layers.keys()].filter((f) => !folders.has(f)).sort()).toEqual([]);
  });

  it('has each folder import only its own files and lower layers', () => {
    const wrong: string[] = [];
    for (const file of files) {
      const from = folderOf(file);
      for (const spec of importsOf(readFileSync(file, 'utf8'))) {
        const target = normalize(join(dirname(file), spec));
        if (!target.startsWith(SERVER + sep)) continue; // shared/ and sdk/: biome.json's rules
        const to = folderOf(target);
        if (to === from) continue;
        const a = layers.get(from) ?? Number.NaN;
        const b = layers.get(to) ?? Number.NaN;
        if (!(b < a)) wrong.push(`${relative(ROOT, file)} (${from}, layer ${a}) imports ${spec} (${to}, layer ${b})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('reads the rule the way it is written: a same-layer import and an upward import fail', () => {
    const md = ['### Inside the server', '| layer | folders |', '|---|---|', '| 1 | `db/` |', '| 2 | `auth/`, `metrics/` |', '| 3 | `http/` |', '### Next'].join('\n');
    const l = layersFrom(md);
    expect(Object.fromEntries(l)).toEqual({ db: 1, auth: 2, metrics: 2, http: 3 });
    expect(importsOf("import { a } from '../db/open.ts';\nimport '../cli/cli.ts';\nconst w = new URL('./worker.mjs', import.meta.url);\nawait import('../http/app.ts');")).toEqual(['../db/open.ts', '../cli/cli.ts', './worker.mjs', '../http/app.ts']);
    // auth -> metrics is same-layer and db -> http is upward: both are what the check rejects.
    expect((l.get('metrics') as number) < (l.get('auth') as number)).toBe(false);
    expect((l.get('http') as number) < (l.get('db') as number)).toBe(false);
  });
});
