import { describe, expect, it } from 'vitest';
import { RescoreStatus } from '../../../shared/contracts/admin.ts';
import { LeadView } from '../../../shared/contracts/api.ts';
import { answer, BACKENDS, ev, get, post, testServer, until, usePostgres, type BackendName } from '../harness.ts';

// "Reads show the old score until the new one is written": a lead the rescoring after a
// publish has not reached yet is read with the version that scored it, as its stored row
// says, and switches to the new version's score in one step when its row is rewritten.

const pg = usePostgres();

describe.each(BACKENDS)('reads during a rescoring on %s', (backend: BackendName) => {
  it('show a lead not yet rescored with the version that scored it, and the new score once its row is written', async () => {
    const s = await testServer(backend, pg);
    try {
      await post(s.url, {
        events: [
          ev(s.siteKey, 'reader', 'identify', 60_000, { traits: { email: 'cto@initech.com', jobTitle: 'CTO' }, source: 'form' }),
          ev(s.siteKey, 'reader', 'page_view', 50_000, { url: 'https://acme.test/pricing' }),
          ev(s.siteKey, 'reader', 'form_submit', 40_000, { formId: 'demo-request', fields: ['email'] }),
        ],
      });
      const read = async () => LeadView.parse((await get(s.url, s.rep, '/v1/leads?email=cto@initech.com')).json).lead;
      const before = await read();
      expect(before.scores[0]!.stage).not.toBe('disqualified');
      const row = await s.db.read.selectFrom('lead_scores').selectAll().where('lead_id', '=', before.id).executeTakeFirstOrThrow();

      // The new version treats initech.com as a competitor: disqualified under it.
      const auth = { authorization: `Bearer ${s.admin}` };
      const live = await answer(await fetch(`${s.url}/v1/models/${row.model_id}`, { headers: auth }));
      const next = { ...live.json, version: live.json.version + 1, competitorDomains: ['initech.com'] };
      expect((await answer(await fetch(`${s.url}/v1/models`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(next) }))).status).toBe(201);
      // The job is added just after the publish answers: wait for one that finished.
      await until(async () => RescoreStatus.parse((await get(s.url, s.admin, '/v1/rescoring')).json).finishedAt !== undefined, 'the rescoring');
      const after = await read();
      expect(after.scores[0]).toMatchObject({ modelVersion: next.version, stage: 'disqualified' });

      // The same lead as the rescoring finds it before its turn: its row as the old version wrote it.
      await s.db.write
        .updateTable('lead_scores')
        .set({ model_version: row.model_version, state: row.state, stage: row.stage, fit: row.fit, interest: row.interest })
        .where('lead_id', '=', row.lead_id)
        .where('model_id', '=', row.model_id)
        .execute();
      const pending = await read();
      expect(pending.scores[0]!.modelVersion).toBe(row.model_version);
      expect(pending.scores[0]!.stage).toBe(before.scores[0]!.stage);
      expect(pending.scores[0]!.interest.score).toBeCloseTo(before.scores[0]!.interest.score, 2);
    } finally {
      await s.cleanup();
    }
  });
});
