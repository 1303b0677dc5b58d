import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createKey, createKeyCache } from '../../../server/auth/api-keys.ts';
import { openDatabase, type OpenDatabase } from '../../../server/db/open.ts';
import { ADMIN, keyOf, roleGroup } from '../../../server/http/auth.ts';
import { RequestError, fail } from '../../../server/http/fail.ts';
import { intField } from '../../../server/http/query-fields.ts';
import { contract, registerValidation, withContracts } from '../../../server/http/validate.ts';

// The mechanism the routes stand on (server/http/auth.ts, validate.ts), on a real Fastify and a
// real key store: a role group's hook answers before anything of the request is read, puts the
// key on the request, and leaves routes outside the group alone; contracts type and check parts,
// answering in the ApiError shape.

let dir: string;
let db: OpenDatabase;
let app: FastifyInstance;
let url: string;
let admin: string;
let rep: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'leadglow-groups-'));
  db = await openDatabase({ dataDir: dir });
  admin = await createKey(db.write, { role: 'admin', name: 'Ada' });
  rep = await createKey(db.write, { role: 'rep' });
  const keys = createKeyCache(db.read);
  app = Fastify();
  app.setErrorHandler((error: RequestError | Error, _req, reply) => (error instanceof RequestError ? fail(reply, error.statusCode, error.message, error.details) : fail(reply, 500, 'internal error')));
  registerValidation(app);
  withContracts(app).get('/open', { schema: { querystring: contract(z.object({ n: intField(3, 1, 9, 'n: expected a number from 1 to 9') })) } }, async (req) => ({ n: req.query.n, key: req.key }));
  roleGroup(app, keys, ADMIN, (group) => {
    group.post('/closed', { schema: { body: contract(z.strictObject({ name: z.string().min(1) }), { error: 'invalid thing' }) } }, async (req) => ({ by: keyOf(req).name, name: req.body.name }));
  });
  url = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await app?.close();
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

const postClosed = (headers: Record<string, string>, body: string) => fetch(`${url}/closed`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('role groups', () => {
  it('answer 401 and 403 before the body is parsed or checked', async () => {
    const none = await postClosed({}, '{not json');
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ error: 'missing token: send Authorization: Bearer <token>' });
    const unknown = await postClosed({ authorization: 'Bearer lga_not-a-real-token' }, '{not json');
    expect(unknown.status).toBe(401);
    const wrongRole = await postClosed({ authorization: `Bearer ${rep}` }, '{"name":""}');
    expect(wrongRole.status).toBe(403);
    expect(((await wrongRole.json()) as { error: string }).error).toBe('a rep key cannot do this; it needs a admin token');
  });

  it('put the key on the request for the routes inside, and none on routes outside', async () => {
    const ok = await postClosed({ authorization: `Bearer ${admin}` }, '{"name":"x"}');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ by: 'Ada', name: 'x' });
    const open = await fetch(`${url}/open`);
    expect(await open.json()).toEqual({ n: 3, key: null });
  });
});

describe('contracts on route parts', () => {
  it('refuse a body with the route’s error and the issues, each naming where', async () => {
    const r = await postClosed({ authorization: `Bearer ${admin}` }, '{"name":"","extra":1}');
    expect(r.status).toBe(400);
    const body = (await r.json()) as { error: string; details: string[] };
    expect(body.error).toBe('invalid thing');
    expect(body.details).toContain('(root): unknown field "extra"');
    expect(body.details.some((d) => d.startsWith('name: '))).toBe(true);
  });

  it('refuse a query field with its own message, and hand the route the parsed value', async () => {
    const bad = await fetch(`${url}/open?n=12`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'n: expected a number from 1 to 9' });
    expect(await (await fetch(`${url}/open?n=7`)).json()).toEqual({ n: 7, key: null });
  });

  it('refuse, at start, a route schema that is not a contract', async () => {
    const other = Fastify();
    registerValidation(other);
    other.get('/x', { schema: { querystring: { type: 'object' } } }, async () => ({}));
    await expect(other.ready()).rejects.toThrow(/GET \/x: schema.querystring must be a contract/);
    await other.close();
  });
});
