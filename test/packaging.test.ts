import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// Issue 18, finding 6: `wxt zip -b firefox --mv3` put data/ (demo keys, the lead database and
// its WAL) and dist/ into the sources zip that Mozilla asks publishers to upload; and the
// README's `npx leadglow …` had no `bin` to run. The zips are built from a copy of the tracked
// files plus what a developer's checkout holds besides, and their entries are listed.

const ROOT = resolve(import.meta.dirname, '..');
const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** The names in a zip file, read from its central directory. */
export function zipEntries(file: string): string[] {
  const zip = readFileSync(file);
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error(`${file}: not a zip file`);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`${file}: bad central directory entry ${i}`);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    names.push(zip.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extra + comment;
  }
  return names;
}

// What lies around in a working checkout: the demo's data folder, built bundles, test output, keys.
const DECOYS = ['data/leadglow.db', 'data/leadglow.db-wal', 'data/leadglow.db-shm', 'data/secret.key', 'data/demo-keys.json', 'dist/sdk/leadglow.js', 'sdk/dist/index.js', 'test-output/report.txt', 'coverage/index.html', 'server.pem', 'leads.sqlite', 'leadglow-0.1.0.tgz', 'npm-debug.log'];

describe('packaging', () => {
  it('zips the Firefox extension and its sources without data, bundles, databases, keys or test output', () => {
    const copy = mkdtempSync(join(tmpdir(), 'leadglow-zip-'));
    temps.push(copy);
    const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
    for (const f of tracked) {
      mkdirSync(dirname(join(copy, f)), { recursive: true });
      copyFileSync(join(ROOT, f), join(copy, f));
    }
    for (const f of DECOYS) {
      mkdirSync(dirname(join(copy, f)), { recursive: true });
      writeFileSync(join(copy, f), 'lead@example.com secret\n');
    }
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/wxt/bin/wxt.mjs'), 'zip', '-b', 'firefox', '--mv3'], { cwd: copy, encoding: 'utf8', env: { ...process.env, LEADGLOW_E2E: '' }, timeout: 400_000 });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    const zips = readdirSync(join(copy, '.output')).filter((f) => f.endsWith('.zip'));
    const sources = zips.find((z) => z.endsWith('-sources.zip'));
    const extension = zips.find((z) => z.endsWith('-firefox.zip'));
    expect(sources, zips.join()).toBeDefined();
    expect(extension, zips.join()).toBeDefined();
    const sourceEntries = zipEntries(join(copy, '.output', sources!));
    const extensionEntries = zipEntries(join(copy, '.output', extension!));
    for (const entries of [sourceEntries, extensionEntries]) {
      const leaked = entries.filter((e) => /^(data|dist|sdk\/dist|coverage|test-output|node_modules|\.output)\/|\.(db|db-wal|db-shm|sqlite|key|pem|tgz|log)$/.test(e));
      expect(leaked).toEqual([]);
    }
    // What a reviewer needs to rebuild it is there.
    expect(sourceEntries).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'wxt.config.ts', 'tsconfig.json', 'tsconfig.base.json', 'extension/tsconfig.json', 'LICENSE']));
    expect(sourceEntries.some((e) => e.startsWith('extension/entrypoints/'))).toBe(true);
    expect(sourceEntries.some((e) => e.startsWith('shared/contracts/'))).toBe(true);
    expect(extensionEntries).toContain('manifest.json');
  }, 600_000);

  it('runs `npx leadglow --help` from the checkout, offline', () => {
    const r = spawnSync('npm', ['exec', '--offline', '--', 'leadglow', '--help'], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^usage:\n {2}leadglow serve/);
    expect(r.stdout).toMatch(/leadglow erase EMAIL/);
  }, 200_000);

  it('ships the MIT license that package.json names', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { license: string; bin: Record<string, string> };
    expect(pkg.license).toBe('MIT');
    expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n[\s\S]*Permission is hereby granted, free of charge/);
    expect(pkg.bin.leadglow).toBe('bin/leadglow.mjs');
    expect(readFileSync(join(ROOT, pkg.bin.leadglow!), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
  });
});
