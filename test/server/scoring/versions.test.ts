import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../shared/contracts/api.ts';
import { Versions } from '../../../shared/contracts/marketing.ts';
import { defaultModel } from '../../../shared/scoring/index.ts';
import { versionItems } from '../../../server/scoring/model-versions.ts';
import { answer, BACKENDS, testServer, usePostgres, type TestServer } from '../harness.ts';

// Version history with its authors and notes, on both backends: every way of publishing
// (draft publish, rollback, POST /v1/models) records the admin key that did it and the note
// it gave; the history shows them; stored rows are decoded through the contract.

const pg = usePostgres();
const ID = defaultModel.id;

async function call(s: TestServer, method: string, path: string, token: string, body?: unknown) {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return answer(await fetch(`${s.url}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) }));
}

async function versions(s: TestServer) {
  const r = await call(s, 'GET', `/v1/models/${ID}/versions`, s.admin);
  expect(r.status).toBe(200);
  return Versions.parse(r.json).items;
}

describe.each(BACKENDS)('version authors and notes on %s', (backend) => {
  let s: TestServer;
  let mailOnly: string;
  let nameless: string;
  beforeAll(async () => {
    s = await testServer(backend, pg);
    mailOnly = await s.createKey({ role: 'admin', emails: ['Marta@Example.se'] });
    nameless = await s.createKey({ role: 'admin' });
  });
  afterAll(async () => {
    await s?.cleanup();
  });

  it('the starter model has no author; a published draft keeps the key and the note', async () => {
    const [first] = await versions(s);
    expect(first).toMatchObject({ version: 1, status: 'live' });
    expect(first!.publishedBy).toBeUndefined();
    expect(first!.note).toBeUndefined();

    expect((await call(s, 'PUT', `/v1/models/${ID}/draft`, s.admin, { ...defaultModel, halfLifeDays: 21 })).status).toBe(200);
    const pub = await call(s, 'POST', `/v1/models/${ID}/draft/publish`, s.admin, { note: '  Faster decay after the Q3 review\u0007 ' });
    expect(pub.status).toBe(201);
    const [v2] = await versions(s);
    expect(v2).toMatchObject({ version: 2, status: 'live', note: 'Faster decay after the Q3 review', publishedBy: { name: 'Ada Admin' } });
    expect(v2!.publishedBy!.keyId).toMatch(/^[0-9a-f-]{36}$/);
    expect(v2!.changes).toEqual([{ kind: 'value-changed', path: 'halfLifeDays', before: 30, after: 21 }]);
  });

  it('refuses a note that is too long or not text, naming the field, and publishes nothing', async () => {
    await call(s, 'PUT', `/v1/models/${ID}/draft`, s.admin, { ...defaultModel, halfLifeDays: 22 });
    const long = await call(s, 'POST', `/v1/models/${ID}/draft/publish`, s.admin, { note: 'x'.repeat(501) });
    expect(long.status).toBe(400);
    expect(ApiError.parse(long.json).details).toEqual(['note: expected at most 500 characters']);
    const wrong = await call(s, 'POST', `/v1/models/${ID}/draft/publish`, s.admin, { note: 7 });
    expect(wrong.status).toBe(400);
    expect(ApiError.parse(wrong.json).details![0]).toMatch(/^note: /);
    const extra = await call(s, 'POST', `/v1/models/${ID}/draft/publish`, s.admin, { note: 'ok', by: 'someone else' });
    expect(extra.status).toBe(400);
    const items = await versions(s);
    expect(items.map((v) => [v.version, v.status])).toEqual([
      [3, 'draft'],
      [2, 'live'],
      [1, 'retired'],
    ]);
  });

  it('names a key without a name by its first address, and a key with neither by its id only', async () => {
    const pub = await call(s, 'POST', `/v1/models/${ID}/draft/publish`, mailOnly, {});
    expect(pub.status).toBe(201);
    const [v3] = await versions(s);
    expect(v3).toMatchObject({ version: 3, publishedBy: { name: 'marta@example.se' } });
    expect(v3!.note).toBeUndefined();

    const back = await call(s, 'POST', `/v1/models/${ID}/rollback`, nameless, { version: 1, note: 'Back to the starter while we look at the MQL drop' });
    expect(back.status).toBe(201);
    const [v4, v3again, v2] = await versions(s);
    expect(v4).toMatchObject({ version: 4, status: 'live', note: 'Back to the starter while we look at the MQL drop' });
    expect(v4!.publishedBy!.keyId).toMatch(/^[0-9a-f-]{36}$/);
    expect(v4!.publishedBy!.name).toBeUndefined();
    // Earlier versions keep their own authors.
    expect(v3again!.publishedBy!.name).toBe('marta@example.se');
    expect(v2!.publishedBy!.name).toBe('Ada Admin');
  });

  it('POST /v1/models takes its note from the query', async () => {
    const bad = await call(s, 'POST', `/v1/models?note=${'y'.repeat(600)}`, s.admin, { ...defaultModel, version: 5 });
    expect(bad.status).toBe(400);
    expect(ApiError.parse(bad.json).details).toEqual(['note: expected at most 500 characters']);
    const r = await call(s, 'POST', `/v1/models?note=${encodeURIComponent('Imported from the staging server')}`, s.admin, { ...defaultModel, version: 5, halfLifeDays: 45 });
    expect(r.status).toBe(201);
    const [v5] = await versions(s);
    expect(v5).toMatchObject({ version: 5, note: 'Imported from the staging server', publishedBy: { name: 'Ada Admin' } });
  });

  it('a stored version that no longer decodes is an error naming it, not a history with holes', async () => {
    await s.db.write.updateTable('models').set({ json: JSON.stringify({ ...defaultModel, version: 2, halfLifeDays: 'twenty' }) }).where('id', '=', ID).where('version', '=', 2).execute();
    const r = await call(s, 'GET', `/v1/models/${ID}/versions`, s.admin);
    expect(r.status).toBe(500);
    // The answer never echoes internals; the error (logged) names the model, version and field.
    const rows = await s.db.read.selectFrom('models').selectAll().where('id', '=', ID).orderBy('version').execute();
    expect(() => versionItems(ID, rows)).toThrow(`stored models.json of row "${ID}" version 2 does not decode: halfLifeDays: `);
  });
});
