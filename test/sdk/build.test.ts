import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUDGET_GZIP, TAGS_BUDGET_GZIP, buildSdk, sizes } from '../../sdk/build.ts';

// What goes into the bundles, and the size budget of the full snippet (every feature), gzip
// level 9. The per-feature costs are printed by `npm run bench sdk`.

describe('buildSdk', () => {
  it('builds an IIFE and an ESM module without zod, eval or new Function; the core variant leaves the outbox out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'leadglow-build-'));
    const full = await buildSdk({ outdir: dir });
    const core = await buildSdk({ outdir: dir, core: true });
    const js = readFileSync(full.iife, 'utf8');
    const mjs = readFileSync(full.esm, 'utf8');
    const coreJs = readFileSync(core.iife, 'utf8');
    for (const code of [js, mjs, coreJs]) {
      expect(code).not.toMatch(/\bzod\b|safeParse|\$ZodType/);
      expect(code).not.toMatch(/\beval\(|new Function\(/);
      expect(code).toContain('/v1/events');
    }
    expect(js.startsWith('"use strict";(()=>{') || js.startsWith('(()=>{')).toBe(true);
    expect(mjs).toMatch(/export\{/);
    expect(js).toContain('"lg_out"');
    expect(coreJs).not.toContain('lg_out');
  }, 30_000);

  it(`the full snippet, with every feature, is at most ${BUDGET_GZIP} B gzip`, async () => {
    const { iife } = await buildSdk({ outdir: mkdtempSync(join(tmpdir(), 'leadglow-budget-')) });
    const { gzip } = sizes(iife);
    console.log(`sdk full snippet: ${gzip} B gzip, budget ${BUDGET_GZIP} B (${(gzip / BUDGET_GZIP).toFixed(3)}x)`);
    expect(gzip).toBeLessThanOrEqual(BUDGET_GZIP);
  }, 30_000);

  it(`the tags script is at most ${TAGS_BUDGET_GZIP} B gzip, has no zod, eval or storage, and the snippet does not carry its matching`, async () => {
    const { iife, tags } = await buildSdk({ outdir: mkdtempSync(join(tmpdir(), 'leadglow-tags-')) });
    const { gzip } = sizes(tags);
    console.log(`sdk tags script: ${gzip} B gzip, budget ${TAGS_BUDGET_GZIP} B (${(gzip / TAGS_BUDGET_GZIP).toFixed(3)}x)`);
    expect(gzip).toBeLessThanOrEqual(TAGS_BUDGET_GZIP);
    const code = readFileSync(tags, 'utf8');
    expect(code).not.toMatch(/\bzod\b|safeParse|\beval\(|new Function\(|localStorage|indexedDB|document\.cookie/);
    expect(code).toContain('/v1/tags/health?site=');
    expect(code).toContain('__lgTag');
    // The snippet knows only how to load it: no fingerprint matching of its own.
    const snippet = readFileSync(iife, 'utf8');
    expect(snippet).toContain('__lgTags');
    expect(snippet).not.toContain('/v1/tags/health');
    expect(snippet).not.toContain('getElementsByTagName');
  }, 30_000);
});
