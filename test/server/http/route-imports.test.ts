import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// Route files stand side by side: what two of them share lives in a non-route module of
// server/http/ or in its domain folder, so one route file never imports another
// (ARCHITECTURE.md, "Adding a route"). Read from the sources, as the imports are written.

const ROUTES = resolve('server/http/routes');
const files = readdirSync(ROUTES).filter((f) => f.endsWith('.ts'));

/** Every module specifier a file imports or re-exports from, static or dynamic. */
function specifiers(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push((m[1] ?? m[2])!);
  return out;
}

describe('server/http/routes', () => {
  it('has route files to check', () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
  });

  it.each(files)('%s imports no other route file', (file) => {
    const text = readFileSync(join(ROUTES, file), 'utf8');
    const found = specifiers(text);
    expect(found.length, `${file}: no imports read`).toBeGreaterThan(0);
    const siblings = found.filter((s) => s.startsWith('.') && resolve(ROUTES, s).startsWith(`${ROUTES}/`));
    expect(siblings, `${file} imports route files`).toEqual([]);
  });
});
