import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../shared/contracts/api.ts';
import { BatchResult } from '../../../shared/contracts/batch.ts';
import { answer, BACKENDS, ev, testServer, usePostgres, type TestServer } from '../harness.ts';

// Thousands of malformed, oversized and hostile bodies: every one gets a 4xx with a clear
// message (or a 200 naming each bad event), never a 5xx, and the server stays up.

const pg = usePostgres();
// Thousands of requests each: on a loaded 2-core machine they ran past the 20 s default.
const FUZZ_TIMEOUT_MS = 180_000;

async function send(url: string, body: Uint8Array<ArrayBuffer> | string, contentType = 'text/plain'): Promise<{ status: number; json: unknown }> {
  return answer(await fetch(`${url}/v1/events`, { method: 'POST', headers: { 'content-type': contentType }, body }));
}

function check(r: { status: number; json: unknown }, accepted: 'none' | 'any' = 'none'): void {
  expect(r.status).toBeLessThan(500);
  if (r.status >= 400) {
    const e = ApiError.parse(r.json);
    expect(e.error.length).toBeGreaterThan(5);
  } else {
    const b = BatchResult.parse(r.json);
    if (accepted === 'none') expect(b.accepted).toBe(0);
    for (const rej of b.rejected) expect(rej.errors.every((m) => /^events\[\d+\]/.test(m))).toBe(true);
  }
}

const nasty = fc.oneof(
  fc.constant('__proto__'),
  fc.constant('constructor'),
  fc.constant('prototype'),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 10 }),
);

const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue({ maxDepth: 3 }),
    fc.dictionary(nasty, tie('value'), { maxKeys: 5 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.string({ minLength: 1000, maxLength: 5000 }),
    fc.double(),
    fc.constantFrom(null, true, -1, 1e308, Number.MAX_SAFE_INTEGER + 2),
  ),
})).value;

describe.each(BACKENDS)('hostile payloads on %s', (backend) => {
  let s: TestServer;
  const runs = backend === 'sqlite' ? 1500 : 400;
  beforeAll(async () => {
    s = await testServer(backend, pg);
  });
  afterAll(async () => {
    await s?.cleanup();
  });

  it('random JSON documents and envelopes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(hostileValue, fc.record({ events: fc.array(hostileValue, { maxLength: 5 }), sentAt: hostileValue }, { requiredKeys: ['events'] })), async (body) => {
        check(await send(s.url, JSON.stringify(body) ?? 'null'));
      }),
      { numRuns: runs },
    );
  }, FUZZ_TIMEOUT_MS);

  it('events with hostile fields, keyed to the real site', async () => {
    const field = fc.constantFrom('id', 'ts', 'type', 'url', 'anonymousId', 'sessionId', 'props', 'traits', 'tags', 'utm', 'weight', '__proto__', 'constructor', 'fileUrl');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom('page_view', 'identify', 'download', 'custom', 'form_submit', 'nope'), fc.dictionary(field, hostileValue, { maxKeys: 3 })), { minLength: 1, maxLength: 8 }), async (specs) => {
        const events = specs.map(([type, patch]) => {
          const e = ev(s.siteKey, 'fuzz', type, 0);
          // Own properties, __proto__ included, as JSON.parse would make them.
          for (const [k, v] of Object.entries(patch)) Object.defineProperty(e, k, { value: v, enumerable: true, configurable: true, writable: true });
          return e;
        });
        check(await send(s.url, JSON.stringify({ events })), 'any');
      }),
      { numRuns: runs },
    );
  }, FUZZ_TIMEOUT_MS);

  it('raw bytes: invalid UTF-8, truncated JSON, other content types', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.constantFrom('text/plain', 'application/json', 'application/octet-stream', 'text/plain; charset=latin1'), async (bytes, type) => {
        check(await send(s.url, bytes, type));
      }),
      { numRuns: Math.round(runs / 2) },
    );
    const invalid = await send(s.url, new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]));
    expect(invalid.status).toBe(400);
    expect((invalid.json as { error: string }).error).toMatch(/UTF-8/);
  }, FUZZ_TIMEOUT_MS);

  it('deep nesting, huge strings and oversized bodies', async () => {
    const deep = '['.repeat(30_000) + ']'.repeat(30_000);
    check(await send(s.url, deep));
    const deepObj = '{"events":[' + '{"a":'.repeat(5000) + '1' + '}'.repeat(5000) + ']}';
    check(await send(s.url, deepObj));
    const huge = await send(s.url, JSON.stringify({ events: [ev(s.siteKey, 'h', 'page_view', 0, { title: 'x'.repeat(1_000_000) })] }));
    expect(huge.status).toBe(413);
    const many = await send(s.url, JSON.stringify({ events: Array.from({ length: 101 }, () => ({})) }));
    expect(many.status).toBe(400);
    expect((many.json as { details: string[] }).details.join()).toMatch(/at most 100/);
    const proto = await send(s.url, '{"events":[{"__proto__":{"admin":true}}],"__proto__":{"polluted":1}}');
    check(proto);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Still alive and still storing.
    const ok = await send(s.url, JSON.stringify({ events: [ev(s.siteKey, 'alive', 'page_view', 0)] }));
    expect(ok.status).toBe(200);
    expect((ok.json as { accepted: number }).accepted).toBe(1);
  }, FUZZ_TIMEOUT_MS);
});
