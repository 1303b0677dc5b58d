import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Me } from '../../../shared/contracts/api.ts';
import { keyInputErrors } from '../../../server/auth/api-keys.ts';
import { BACKENDS, testServer, usePostgres, type TestServer } from '../harness.ts';

// A rep token names the rep's own addresses; /v1/me gives them to the extension, which never
// offers the rep as a lead.

describe.each(BACKENDS)('rep addresses on /v1/me (%s)', (backend) => {
  const pg = backend === 'postgres' ? usePostgres() : undefined;
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer(backend, pg);
  }, 60_000);
  afterAll(async () => s?.cleanup());

  it('returns the token\'s addresses, lowercased, and none for a token without', async () => {
    const token = await s.createKey({ role: 'rep', name: 'Robin', emails: ['Robin@Example.org', 'robin.alt@example.net'] });
    const res = await fetch(`${s.url}/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(Me.parse(await res.json())).toMatchObject({ role: 'rep', name: 'Robin', emails: ['robin@example.org', 'robin.alt@example.net'] });
    const plain = await fetch(`${s.url}/v1/me`, { headers: { authorization: `Bearer ${s.rep}` } });
    expect(Me.parse(await plain.json()).emails).toEqual([]);
  });

  it('refuses an address that is not one, naming it and where it is', async () => {
    await expect(s.createKey({ role: 'rep', emails: ['robin@example.org', 'not an address'] })).rejects.toThrow(/emails\[1\]: expected an email address/);
  });
});

describe('key input checks', () => {
  it('names every bad address and refuses addresses on a site key', () => {
    expect(keyInputErrors({ role: 'rep', emails: ['a@example.org', 'b@', 'c@example.org'] })).toEqual([expect.stringMatching(/^emails\[1\]: /)]);
    expect(keyInputErrors({ role: 'site', site: 'acme', emails: ['a@example.org'] })).toContain('emails: only rep and admin tokens name a person');
    expect(keyInputErrors({ role: 'rep', emails: Array.from({ length: 11 }, (_, i) => `r${i}@example.org`) })).toContain('emails: at most 10 addresses');
  });
});
