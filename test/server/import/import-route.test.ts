import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportSummary } from '../../../shared/contracts/admin.ts';
import { LeadView } from '../../../shared/contracts/api.ts';
import { BACKENDS, answer, ev, get, post, testServer, usePostgres, type TestServer } from '../harness.ts';

// CRM outcomes and offline touchpoints as CSV over HTTP (the dashboard's import), the same
// formats as `leadglow import`: good rows land, unknown emails are counted, bad rows are
// named by line and stop nothing.

const pg = usePostgres();

describe.each(BACKENDS)('POST /v1/import on %s', (backend) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer(backend, pg);
    const events = ['ann@initech.com', 'bob@initech.com'].flatMap((email, i) => [
      ev(s.siteKey, `imp-${i}`, 'page_view', 9000),
      ev(s.siteKey, `imp-${i}`, 'identify', 8000, { traits: { email }, source: 'form' }),
    ]);
    expect((await post(s.url, { events })).status).toBe(200);
  });
  afterAll(async () => {
    await s?.cleanup();
  });

  const importCsv = (kind: string, csv: string, token = s.admin) =>
    fetch(`${s.url}/v1/import/${kind}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, body: csv }).then(answer);

  it('sets outcomes, counts unknown emails, names bad rows by line, and the stage follows', async () => {
    const csv = ['email,result,date,value', 'ann@initech.com,won,2026-11-01,12000', 'nobody@initech.com,lost,2026-11-02,', 'bob@initech.com,maybe,2026-11-03,', 'bob@initech.com,lost,2026-11-04,'].join('\n');
    const r = await importCsv('outcomes', csv);
    expect(r.status).toBe(200);
    const summary = ImportSummary.parse(r.json);
    expect(summary).toMatchObject({ imported: 2, skipped: 1, duplicates: 0 });
    expect(summary.rejects).toHaveLength(1);
    expect(summary.rejects[0]!.line).toBe(4);
    expect(summary.rejects[0]!.errors.join(' ')).toMatch(/result/);
    const ann = LeadView.parse((await get(s.url, s.rep, '/v1/leads?email=ann@initech.com')).json);
    expect(ann.lead.outcome).toMatchObject({ result: 'won', value: 12000 });
    expect(ann.lead.scores[0]!.stage).toBe('customer');
    const bob = LeadView.parse((await get(s.url, s.rep, '/v1/leads?email=bob@initech.com')).json);
    expect(bob.lead.outcome?.result).toBe('lost');
  });

  it('adds touchpoints, and a second import of the same rows stores nothing twice', async () => {
    const csv = 'email,kind,date,title\nann@initech.com,webinar,2026-11-10,Forecasting live\n';
    expect(ImportSummary.parse((await importCsv('events', csv)).json)).toMatchObject({ imported: 1, duplicates: 0 });
    expect(ImportSummary.parse((await importCsv('events', csv)).json)).toMatchObject({ imported: 0, duplicates: 1 });
  });

  it('is for admins, knows its two kinds, and wants CSV', async () => {
    expect((await importCsv('outcomes', 'email,result,date\n', s.rep)).status).toBe(403);
    expect((await importCsv('leads', 'email\n')).status).toBe(404);
    const json = await fetch(`${s.url}/v1/import/outcomes`, { method: 'POST', headers: { authorization: `Bearer ${s.admin}`, 'content-type': 'application/json' }, body: '{"a":1}' }).then(answer);
    expect(json.status).toBe(415);
    expect(json.json.error).toMatch(/text\/csv/);
  });
});
