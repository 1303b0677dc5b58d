import type { Kysely } from 'kysely';
import type { Account, AccountMember, HotLead, HotList, LeadView, TimelineItem, TimelinePage } from '../../shared/contracts/api.ts';
import { isMachineMade, type Event, type EventType, type FormIntent } from '../../shared/contracts/event.ts';
import type { Lead, LeadScore, Stage } from '../../shared/contracts/lead.ts';
import type { Model } from '../../shared/contracts/model.ts';
import type { ScoreState } from '../../shared/contracts/score-state.ts';
import { predictLead } from '../../shared/predictive/lead-predict.ts';
import { DAY_MS, evidenceOf, emptyState, interestAt, interestSeries, parseModel, readScore, stateFromHistory } from '../../shared/scoring/index.ts';
import { decodeEvents, leadEvents } from '../db/event-rows.ts';
import type { DB } from '../db/schema.ts';
import { summaryHistories } from '../db/lead-summary.ts';
import type { LeadRow, ScoreRow } from '../scoring/lead-scores.ts';
import type { LiveModels } from '../scoring/live-models.ts';
import { currentPrediction } from '../predictive/current.ts';
import { memberScores } from './member-scores.ts';
import { decodedOrAbsent, MemberProfile, storedEmails, storedFacts, storedScoreState } from './stored-lead.ts';

// The read side of the lead API: shapes from shared/contracts/api.ts, computed at read time
// from stored states (O(1) per score), so decay is always current. Stored JSON is decoded
// through the contracts (stored-lead.ts), never cast.

const MAX_HISTORY = 20_000;

export async function leadIdByEmail(db: Kysely<DB>, email: string): Promise<string | undefined> {
  const row = await db.selectFrom('lead_emails').select('lead_id').where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
  return row?.lead_id;
}

export async function leadView(db: Kysely<DB>, live: LiveModels, leadId: string, now: number): Promise<LeadView | undefined> {
  const row = await db.selectFrom('leads').selectAll().where('id', '=', leadId).executeTakeFirst();
  if (!row) return undefined;
  const scoreRows = await db.selectFrom('lead_scores').selectAll().where('lead_id', '=', leadId).execute();
  const stored = new Map(scoreRows.map((r) => [r.model_id, r]));
  // The history is needed for the trend, and rebuilds a state from an older engine. A state of
  // an earlier version (a rescoring after a publish has not reached this lead yet) is read with
  // the version that wrote it: the old score until the new one is written, as the hot list and
  // webhooks see it. The row is rewritten whole in one statement, so a read sees one or the other.
  // From the lead's summary (one row, packed; db/lead-summary.ts), which is always what its
  // event rows decode to: a seventh of the CPU of reading and decoding ~50 rows (0.10 against
  // 0.72 ms per lookup at 100k leads / 5M events).
  const history = (await summaryHistories(db, [leadId])).get(leadId) ?? [];
  const facts = storedFacts(row);
  const lead = toLead(row, live.models, stored, history, now, await earlierVersions(db, live.models, stored), facts);
  // The predictive model's probability, from the history already loaded for the trend, when
  // the model has earned it (enough outcomes, clearly better than chance); otherwise why not.
  const predictive = await currentPrediction(db, now);
  if (predictive.withheld) lead.predictionWithheld = predictive.withheld;
  else lead.predicted = predictLead(predictive.model, { profile: facts.profile, emails: lead.emails, events: history }, now);
  const days = 30;
  const times = Array.from({ length: days }, (_, i) => now - (days - 1 - i) * DAY_MS);
  const series = interestSeries(live.primary, history.length > MAX_HISTORY ? history.slice(-MAX_HISTORY) : history, times);
  const view: LeadView = { lead, trend: times.map((at, i) => ({ at, interest: series[i]! })), at: now };
  if (row.company_domain) {
    const account = await accountOf(db, live, row.company_domain, now);
    if (account) view.account = account;
  }
  return view;
}

export function toLead(
  row: LeadRow,
  models: readonly Model[],
  stored: Map<string, ScoreRow>,
  history: readonly Event[] | undefined,
  now: number,
  earlier: ReadonlyMap<string, Model> = new Map(),
  facts = storedFacts(row),
): Lead {
  const scores: LeadScore[] = models.map((m) => {
    const s = stored.get(m.id);
    const before = s && s.model_version !== m.version ? earlier.get(m.id) : undefined;
    const old = before ? storedScoreState(s!.state) : undefined;
    if (before && old) return readScore(before, facts, old, now);
    // A state from an older engine (or one the contract refuses) is rebuilt from history.
    const state: ScoreState =
      (s && s.model_version === m.version ? storedScoreState(s.state) : undefined) ?? (history ? stateFromHistory(m, history) : emptyState(m));
    return readScore(m, facts, state, now);
  });
  const p = facts.profile;
  const lead: Lead = {
    id: row.id,
    emails: storedEmails(row.emails),
    scores,
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    seniority: p.seniority,
  };
  if (p.seniority === undefined) delete lead.seniority;
  if (p.name) lead.name = p.name;
  if (p.jobTitle) lead.jobTitle = p.jobTitle;
  if (p.country) lead.country = p.country;
  if (p.company) lead.company = p.company;
  if (facts.feedback) lead.feedback = facts.feedback;
  if (facts.outcome) lead.outcome = facts.outcome;
  return lead;
}

/** Published versions, parsed once per database (a version never changes once published). */
const published = new WeakMap<Kysely<DB>, Map<string, Model | null>>();

/** The earlier versions that wrote `stored` rows the live models have moved on from, by model id. */
async function earlierVersions(db: Kysely<DB>, models: readonly Model[], stored: Map<string, ScoreRow>): Promise<Map<string, Model>> {
  const out = new Map<string, Model>();
  for (const m of models) {
    const s = stored.get(m.id);
    if (!s || s.model_version === m.version || s.model_version > m.version) continue;
    let cache = published.get(db);
    if (!cache) published.set(db, (cache = new Map()));
    const key = `${m.id}@${s.model_version}`;
    if (!cache.has(key)) {
      const r = await db.selectFrom('models').select(['json', 'status']).where('id', '=', m.id).where('version', '=', s.model_version).executeTakeFirst();
      if (r?.status === 'draft') continue;
      const parsed = r ? parseModel(JSON.parse(r.json)) : undefined;
      cache.set(key, parsed?.ok ? parsed.model : null);
    }
    const found = cache.get(key);
    if (found) out.set(m.id, found);
  }
  return out;
}

// Members shown and summed; the account view is part of every lead lookup, so it stays bounded.
const MAX_MEMBERS = 50;

/** The members an account shows, newest activity first (exported for the test of its plan). */
export function accountMembersQuery(db: Kysely<DB>, domain: string) {
  return db.selectFrom('leads').select(['id', 'emails', 'profile']).where('company_domain', '=', domain).orderBy('last_seen', 'desc').orderBy('id', 'desc').limit(MAX_MEMBERS);
}

export async function accountOf(db: Kysely<DB>, live: LiveModels, domain: string, now: number): Promise<Account | undefined> {
  const d = domain.trim().toLowerCase();
  // The members, then their scores (member-scores.ts): two reads that SQLite answers from
  // covering indexes (migration 0015), the members side by side with what they show. Ties in
  // last_seen go by id, so the members shown do not depend on the order rows were stored in.
  const rows = await accountMembersQuery(db, d).execute();
  if (rows.length === 0) return undefined;
  const model = live.primary;
  const scores = await memberScores(db, model, rows.map((r) => r.id));
  let name: string | undefined;
  const empty = emptyState(model);
  const members: AccountMember[] = rows.map((r) => {
    // Only what a member shows: a name and title, and the sums its interest is read from.
    const profile = decodedOrAbsent(MemberProfile, r.profile) ?? {};
    name ??= profile.company?.name;
    const score = scores.get(r.id);
    const interest = interestAt(model, score?.sums ? { ...empty, ...score.sums } : empty, now);
    const m: AccountMember = { id: r.id, email: storedEmails(r.emails)[0] ?? '', stage: score?.stage ?? 'known', interest };
    if (profile.name) m.name = profile.name;
    if (profile.jobTitle) m.jobTitle = profile.jobTitle;
    return m;
  });
  members.sort((a, b) => b.interest - a.interest);
  const account: Account = { domain: d, interest: members.reduce((s, m) => s + m.interest, 0), members };
  if (name) account.name = name;
  return account;
}

export function encodeCursor(ts: number, id: string): string {
  return Buffer.from(`${ts}:${id}`).toString('base64url');
}

export function decodeCursor(cursor: string): { ts: number; id: string } | undefined {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^(\d{1,16}):([0-9a-f-]{36})$/.exec(text);
  return m ? { ts: Number(m[1]), id: m[2]! } : undefined;
}

/** `overrides`: the primary model's form intents (tagging mode), so a marked form reads as its reasons do. */
export async function timeline(db: Kysely<DB>, leadId: string, before: { ts: number; id: string } | undefined, limit: number, overrides?: ReadonlyMap<string, FormIntent>): Promise<TimelinePage> {
  const rows = await leadEvents(db, [leadId], before ? { before } : {})
    .orderBy('ts', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const items: TimelineItem[] = decodeEvents(rows.slice(0, limit)).map((e) => {
    const item: TimelineItem = { id: e.id, type: e.type as EventType, ts: e.ts, what: evidenceOf(e, overrides), sessionId: e.sessionId };
    if (e.url) item.url = e.url;
    if (e.type === 'engagement') item.engagedMs = e.engagedMs;
    if (isMachineMade(e)) item.machine = true;
    return item;
  });
  const page: TimelinePage = { items };
  const last = rows[limit - 1];
  if (rows.length > limit && last) page.next = encodeCursor(last.ts, last.id);
  return page;
}

const STAGE_RANK: Record<Stage, number> = { sales_ready: 0, mql: 1, engaged: 2, known: 3, customer: 4, anonymous: 5, disqualified: 6 };
const HOT_STAGES: Stage[] = ['sales_ready', 'mql', 'engaged'];

export async function hotList(db: Kysely<DB>, live: LiveModels, modelId: string | undefined, limit: number, now: number): Promise<HotList | undefined> {
  const model = modelId ? live.models.find((m) => m.id === modelId) : live.primary;
  if (!model) return undefined;
  // Candidates by stored stage; the stage and score shown are recomputed at `now`.
  const rows = await db
    .selectFrom('lead_scores')
    .innerJoin('leads', 'leads.id', 'lead_scores.lead_id')
    .selectAll('leads')
    .select(['lead_scores.state', 'lead_scores.model_version', 'lead_scores.stage as stored_stage'])
    .where('lead_scores.model_id', '=', model.id)
    .where('lead_scores.stage', 'in', HOT_STAGES)
    .orderBy('lead_scores.interest', 'desc')
    .limit(Math.max(limit * 4, 200))
    .execute();
  const since = now - 7 * DAY_MS;
  const ids = rows.map((r) => r.id);
  const fresh = new Set<string>();
  const hotSince = new Map<string, number>();
  if (ids.length) {
    const recent = await db
      .selectFrom('stage_changes')
      .select(['lead_id', 'at'])
      .where('lead_id', 'in', ids)
      .where('model_id', '=', model.id)
      .where('to_stage', 'in', ['mql', 'sales_ready'])
      .where('at', '>=', since)
      .execute();
    for (const r of recent) {
      fresh.add(r.lead_id);
      hotSince.set(r.lead_id, Math.max(hotSince.get(r.lead_id) ?? 0, r.at));
    }
  }
  const items: HotLead[] = [];
  for (const r of rows) {
    if (r.model_version !== model.version) continue;
    const state = storedScoreState(r.state);
    if (!state) continue; // an older engine's state: the lead's next rescore rewrites it
    const facts = storedFacts(r);
    const score = readScore(model, facts, state, now);
    const profile = facts.profile;
    const item: HotLead = {
      id: r.id,
      email: storedEmails(r.emails)[0] ?? '',
      stage: score.stage,
      fit: { score: score.fit.score, grade: score.fit.grade },
      interest: score.interest.score,
      modelId: model.id,
      isNew: fresh.has(r.id),
      lastSeen: r.last_seen,
    };
    if (profile.name) item.name = profile.name;
    // A stage change is stamped when the server scored it; history sent late (a replayed outbox,
    // an import, the demo seed) would all look new. No lead turned hot after its last activity.
    const since = hotSince.get(r.id);
    if (since !== undefined) item.hotSince = Math.min(since, r.last_seen);
    const company = profile.company?.name ?? profile.company?.domain;
    if (company) item.company = company;
    items.push(item);
  }
  items.sort((a, b) => STAGE_RANK[a.stage] - STAGE_RANK[b.stage] || b.interest - a.interest || b.fit.score - a.fit.score);
  return { items: items.slice(0, limit) };
}
