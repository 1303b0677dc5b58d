import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSdk } from '../../sdk/build.ts';

// What goes into the bundles. Sizes are reported by the benchmark (test/bench/sdk.ts), not asserted here.

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
});
