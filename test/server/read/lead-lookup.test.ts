import { CompiledQuery, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Account, AccountMember } from '../../../shared/contracts/api.ts';
import type { Stage } from '../../../shared/contracts/lead.ts';
import { DAY_MS, emptyState, interestAt, interestSeries } from '../../../shared/scoring/index.ts';
import type { DB } from '../../../server/db/schema.ts';
import { seedDemo } from '../../../server/demo/seed.ts';
import { accountMembersQuery, accountOf, leadView } from '../../../server/read/lead-views.ts';
import { indexedSumsQuery, memberScores } from '../../../server/read/member-scores.ts';
import { storedEmails, storedScoreState } from '../../../server/read/stored-lead.ts';
import { leadHistory } from '../../../server/scoring/lead-scores.ts';
import { loadLiveModels, type LiveModels } from '../../../server/scoring/live-models.ts';
import { BACKENDS, testServer, usePostgres, type BackendName } from '../harness.ts';

// The lead lookup's fast paths against the slow way they replace, on the demo history sent
// through real ingest: the trend from the lead's summary equals a replay of its event rows,
// and an account read from the covering indexes (migration 0015, read/member-scores.ts)
// equals one made from every member's whole stored state, decoded in JavaScript. A state
// edited by hand into something that is not JSON still lets its lead be written and its
// account read. On SQLite both account reads are answered from their indexes alone.

const pg = usePostgres();
const ORIGIN = 'http://127.0.0.1:8788';

/** The account the slow way: every lead of the domain, whole states decoded, sorted here. */
async function accountOracle(db: Kysely<DB>, live: LiveModels, domain: string, now: number): Promise<Account | undefined> {
  const model = live.primary;
  const leads = await db.selectFrom('leads').select(['id', 'emails', 'profile', 'last_seen']).where('company_domain', '=', domain).execute();
  if (leads.length === 0) return undefined;
  leads.sort((a, b) => b.last_seen - a.last_seen || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  const shown = leads.slice(0, 50);
  const scores = new Map((await db.selectFrom('lead_scores').selectAll().where('model_id', '=', model.id).execute()).map((r) => [r.lead_id, r]));
  let name: string | undefined;
  const members: AccountMember[] = shown.map((r) => {
    const profile = JSON.parse(r.profile) as { name?: string; jobTitle?: string; company?: { name?: string } };
    name ??= profile.company?.name;
    const s = scores.get(r.id);
    const state = s && s.model_version === model.version ? storedScoreState(s.state) : undefined;
    const m: AccountMember = { id: r.id, email: storedEmails(r.emails)[0] ?? '', stage: (s?.stage ?? 'known') as Stage, interest: interestAt(model, state ?? emptyState(model), now) };
    if (profile.name) m.name = profile.name;
    if (profile.jobTitle) m.jobTitle = profile.jobTitle;
    return m;
  });
  members.sort((a, b) => b.interest - a.interest);
  const account: Account = { domain, interest: members.reduce((sum, m) => sum + m.interest, 0), members };
  if (name) account.name = name;
  return account;
}

/** SQLite's plan for a query, one line per step. */
async function planOf(db: Kysely<DB>, query: { compile(): CompiledQuery }): Promise<string> {
  const c = query.compile();
  const rows = await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`EXPLAIN QUERY PLAN ${c.sql}`, [...c.parameters]));
  return rows.rows.map((r) => r.detail).join('\n');
}

describe.each(BACKENDS)('lead lookup on %s', (backend: BackendName) => {
  it('gives the trend and accounts the slow way gives, and reads past a state that is not JSON', async () => {
    const s = await testServer(backend, pg);
    try {
      const demoKey = await s.createKey({ role: 'site', site: 'demo', origins: [ORIGIN] });
      const seeded = await seedDemo({ url: s.url, db: s.db, siteKey: demoKey, adminToken: s.admin, origin: ORIGIN }, { seed: 7 });
      expect(seeded.leads).toBeGreaterThan(100);
      const db = s.db.read;
      const live = await loadLiveModels(db);
      const now = Date.now();

      // The trend, from the summary, equals a replay of the lead's event rows.
      const leads = await db.selectFrom('leads').select(['id', 'company_domain']).orderBy('id').execute();
      const times = Array.from({ length: 30 }, (_, i) => now - (29 - i) * DAY_MS);
      let rising = 0;
      for (const { id } of leads) {
        const view = await leadView(db, live, id, now);
        const series = interestSeries(live.primary, await leadHistory(db, id), times);
        expect(view!.trend, `lead ${id}`).toEqual(times.map((at, i) => ({ at, interest: series[i] })));
        if (series.some((v) => v > 0)) rising++;
      }
      expect(rising).toBeGreaterThan(50);

      // Every account, and the members' stored stages and sums.
      const domains = [...new Set(leads.map((l) => l.company_domain).filter((d): d is string => d !== null))];
      expect(domains.length).toBeGreaterThan(5);
      let multi = 0;
      for (const d of domains) {
        const account = await accountOf(db, live, d, now);
        expect(account, d).toEqual(await accountOracle(db, live, d, now));
        if (account!.members.length > 1 && account!.interest > 0) multi++;
      }
      expect(multi).toBeGreaterThan(3);
      expect(await accountOf(db, live, 'no-such-company.example', now)).toBeUndefined();
      const ids = leads.map((l) => l.id);
      const sums = await memberScores(db, live.primary, ids);
      const rows = await db.selectFrom('lead_scores').selectAll().where('model_id', '=', live.primary.id).execute();
      expect(sums.size).toBe(rows.length);
      for (const r of rows) {
        const state = storedScoreState(r.state)!;
        expect(sums.get(r.lead_id)).toEqual({ stage: r.stage, sums: { v: state.v, decaying: state.decaying, decayingAt: state.decayingAt, steady: state.steady } });
      }

      // A state edited by hand into something that is not JSON: the write goes through (the
      // SQLite index guards its expression), the member reads as no interest, the rest as before.
      const victim = (await accountOf(db, live, domains.find((d) => rows.some((r) => r.interest > 0 && leads.find((l) => l.id === r.lead_id)?.company_domain === d))!, now))!;
      const hit = victim.members.find((m) => m.interest > 0)!;
      await s.db.write.updateTable('lead_scores').set({ state: '{"v":2,"decaying":' }).where('lead_id', '=', hit.id).execute();
      const after = (await accountOf(db, live, victim.domain, now))!;
      expect(after.members.find((m) => m.id === hit.id)).toEqual({ ...hit, interest: 0 });
      expect(after.interest).toBeCloseTo(victim.interest - hit.interest, 9);
      expect(after).toEqual(await accountOracle(db, live, victim.domain, now));
      expect((await memberScores(db, live.primary, [hit.id])).get(hit.id)).toEqual({ stage: hit.stage, sums: undefined });

      if (backend === 'sqlite') {
        // Both reads come from their covering indexes: neither touches a leads row nor a state.
        expect(await planOf(db, accountMembersQuery(db, victim.domain))).toMatch(/^SEARCH leads USING COVERING INDEX leads_account \(company_domain=\?\)$/);
        expect(await planOf(db, indexedSumsQuery(db, live.primary.id, ids.slice(0, 20)))).toMatch(/^SEARCH lead_scores USING COVERING INDEX lead_scores_member \(model_id=\? AND lead_id=\?\)$/);
      }
    } finally {
      await s.cleanup();
    }
  }, 240_000);
});
