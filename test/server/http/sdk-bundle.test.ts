import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../harness.ts';

// GET /leadglow.js serves the built bundle (dist/sdk/leadglow.js by default; configurable with
// startServer({ sdkFile })). The SDK is built elsewhere; this tests the serving, on a file of
// our own so it does not depend on the SDK's build at this moment.

describe('GET /leadglow.js', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leadglow-sdk-'));
  const file = join(dir, 'leadglow.js');
  let s: TestServer;
  beforeAll(async () => {
    writeFileSync(file, '(()=>{window.leadglowTest=1})();\n');
    s = await testServer('sqlite', undefined, { sdkFile: file });
  });
  afterAll(async () => {
    await s?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the file with an ETag, Cache-Control and CORS, and 304 on a match', async () => {
    const r = await fetch(`${s.url}/leadglow.js`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(r.headers.get('cache-control')).toMatch(/public, max-age=\d+/);
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
    expect(await r.text()).toBe('(()=>{window.leadglowTest=1})();\n');
    const etag = r.headers.get('etag')!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    const same = await fetch(`${s.url}/leadglow.js`, { headers: { 'if-none-match': etag } });
    expect(same.status).toBe(304);
    expect(await same.text()).toBe('');
    expect((await fetch(`${s.url}/leadglow.js`, { headers: { 'if-none-match': '"stale"' } })).status).toBe(200);
  });

  it('picks up a rebuilt bundle with a new ETag', async () => {
    const before = (await fetch(`${s.url}/leadglow.js`)).headers.get('etag');
    writeFileSync(file, '(()=>{window.leadglowTest=2})();\n');
    // A later mtime, even on filesystems with coarse timestamps.
    const later = new Date(Date.now() + 5000);
    utimesSync(file, later, later);
    const r = await fetch(`${s.url}/leadglow.js`, { headers: { 'if-none-match': before! } });
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('leadglowTest=2');
    expect(r.headers.get('etag')).not.toBe(before);
  });

  it('answers 503 with a hint when the bundle is not built', async () => {
    rmSync(file);
    const r = await fetch(`${s.url}/leadglow.js`);
    expect(r.status).toBe(503);
    expect((await r.json()).error).toMatch(/npm run build:sdk/);
  });
});
