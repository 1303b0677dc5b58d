import { describe, expect, it } from 'vitest';
import { LeadView } from '../../../shared/contracts/api.ts';
import { ScoreState, STATE_VERSION } from '../../../shared/contracts/score-state.ts';
import { applyEvents } from '../../../shared/scoring/index.ts';
import { leadHistory } from '../../../server/scoring/lead-scores.ts';
import { loadLiveModels } from '../../../server/scoring/live-models.ts';
import { BACKENDS, ev, get, post, testServer, usePostgres, type BackendName } from '../harness.ts';

// ScoreState.v is real: a stored state of an older engine version (English evidence, v 1), or
// text that does not decode as a state at all, is not folded into. The next event for the lead
// rebuilds the state from the lead's history and stores the rebuilt one in its place; a read in
// between rebuilds it for the answer. The rebuilt state must equal what the incremental path
// makes of the untouched state, so the rebuild is checked against an independent computation.

const pg = usePostgres();

// `read`: whether the lead read is checked too while the state is broken. The lead read
// decodes the lead's own states through `storedState`; its account members and the hot list
// (server/read/lead-views.ts) still JSON.parse the state as it is, so only a version 1 state,
// which parses, is read through them here.
const broken: { name: string; read: boolean; tamper: (state: ScoreState) => string }[] = [
  {
    name: 'a version 1 state (English evidence)',
    read: true,
    tamper: (s) =>
      JSON.stringify({
        ...s,
        v: 1,
        // A marker a fold would carry on: the rebuilt state must not have it.
        steady: s.steady + 1000,
        rules: Object.fromEntries(Object.entries(s.rules).map(([id, r]) => [id, { ...r, evidence: `visited ${id}` }])),
      }),
  },
  { name: 'text that is not JSON', read: false, tamper: (s) => JSON.stringify(s).slice(0, 40) },
  // Version and last event intact, so only the shape check can tell it is not a state.
  { name: 'JSON without the state shape', read: false, tamper: (s) => JSON.stringify({ ...s, v: STATE_VERSION, decaying: null, only: null }) },
];

describe.each(BACKENDS)('stored score states that are not current, on %s', (backend: BackendName) => {
  it.each(broken)('$name is rebuilt from history and re-stored on the next event', async ({ read: readMeanwhile, tamper }) => {
    const s = await testServer(backend, pg);
    try {
      const first = await post(s.url, {
        events: [
          ev(s.siteKey, 'v-old', 'identify', 90_000, { traits: { email: 'inge@initech.com', jobTitle: 'CTO' }, source: 'form' }),
          ev(s.siteKey, 'v-old', 'page_view', 80_000, { url: 'https://acme.test/pricing' }),
          ev(s.siteKey, 'v-old', 'page_view', 70_000, { url: 'https://acme.test/demo' }),
        ],
      });
      expect(first.status).toBe(200);
      const read = async () => LeadView.parse((await get(s.url, s.rep, '/v1/leads?email=inge@initech.com')).json).lead;
      const before = await read();
      const { primary: model } = await loadLiveModels(s.db.read);
      const row = await s.db.read.selectFrom('lead_scores').selectAll().where('lead_id', '=', before.id).where('model_id', '=', model.id).executeTakeFirstOrThrow();
      const good = ScoreState.parse(JSON.parse(row.state));
      expect(good.v).toBe(STATE_VERSION);

      await s.db.write.updateTable('lead_scores').set({ state: tamper(good) }).where('lead_id', '=', row.lead_id).where('model_id', '=', row.model_id).execute();

      // A read meanwhile rebuilds from history for its answer: the same score as before.
      if (readMeanwhile) {
        const meanwhile = await read();
        expect(meanwhile.scores[0]!.interest.score).toBeCloseTo(before.scores[0]!.interest.score, 2);
        expect(meanwhile.scores[0]!.stage).toBe(before.scores[0]!.stage);
      }

      // The next event: the state is rebuilt from the whole history and stored.
      const next = ev(s.siteKey, 'v-old', 'page_view', 10_000, { url: 'https://acme.test/pricing' });
      expect((await post(s.url, { events: [next] })).status).toBe(200);
      const after = await s.db.read.selectFrom('lead_scores').select('state').where('lead_id', '=', row.lead_id).where('model_id', '=', row.model_id).executeTakeFirstOrThrow();
      const rebuilt = ScoreState.parse(JSON.parse(after.state));
      expect(rebuilt.v).toBe(STATE_VERSION);
      // What the incremental path makes of the untouched state with the same event.
      const history = await leadHistory(s.db.read, row.lead_id);
      const stored = history.find((e) => e.id === next.id);
      expect(stored?.ts).toBe(next.ts);
      expect(rebuilt).toEqual(applyEvents(model, good, [stored!]));
      expect(rebuilt.steady).toBe(good.steady);
      for (const r of Object.values(rebuilt.rules)) expect(typeof r.evidence === 'object').toBe(true);
    } finally {
      await s.cleanup();
    }
  });
});
