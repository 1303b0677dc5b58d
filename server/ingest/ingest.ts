import type { Kysely, Transaction } from 'kysely';
import type { StageChange } from '../../shared/contracts/api.ts';
import { LIMITS, type Event, type EventOf, type Utm } from '../../shared/contracts/event.ts';
import type { LeadProfile } from '../../shared/contracts/lead.ts';
import { emailDomain, isFreeMailDomain, registrableDomain } from '../../shared/email.ts';
import { uuidv7 } from '../../shared/ids.ts';
import { leadEmails, leadProfile } from '../db/lead-rows.ts';
import { appendToSummaries, rebuildSummaries } from '../db/lead-summary.ts';
import { isPostgres, lockKey } from '../db/locks.ts';
import { withIntent, withPersonTraits } from '../../shared/intent/index.ts';
import type { DB } from '../db/schema.ts';
import { chunks, leadRows, rescoreLead, storedScores, type LeadRow } from '../scoring/lead-scores.ts';
import { pairKey, storeEvents } from './store-events.ts';
import type { LiveModels } from '../scoring/live-models.ts';
import type { AfterCommit, Merged, StageSink } from '../db/writer.ts';

// The ingest transaction: store new events once, join anonymous histories to leads on
// identify, and keep the scores of known leads current. Anonymous visitors have no score
// state of their own: their history is scored when it joins a lead (a rebuild).
//
// With several instances on one PostgreSQL the transaction locks, in this order (db/locks.ts):
// the anonymous ids of its events and the emails of its identify events, before it reads
// which lead each anonymous id belongs to; then those leads' rows, before it reads or writes
// their scores. So an identify on one instance and page views of the same visitor on another
// run one after the other (no view is stored without its lead), two identifies of one email
// create one lead, and two instances scoring one lead add up instead of overwriting.

export type IngestItem = {
  /** Validated events, `site` already rewritten from the key to the site id. */
  events: Event[];
  /** Lead ids from verified email-link tokens, by identify event id. */
  tokenLeads?: Map<string, string>;
  /** From a trusted X-Country header (ISO alpha-2); only fills an empty profile country. */
  country?: string;
};

export type IngestResult = { accepted: number; duplicates: number };

export type IngestContext = {
  models(): LiveModels;
  /**
   * On PostgreSQL the group's first message takes the models lock and reads the live stamp with
   * its events (store-events.ts), in place of the writer's check at BEGIN: this brings `models()`
   * up to that stamp (in this transaction) before anything is scored.
   */
  checkModels?(trx: Transaction<DB>, stamp: string): Promise<void>;
  now(): number;
};

const UTM_KEYS = ['source', 'medium', 'campaign', 'term', 'content'] as const;

/**
 * A page view's UTM parameters, read from its URL when the event carries none. The snippet
 * leaves this to us (every byte of it ships to every visitor, and the URL comes with every
 * event anyway); a `utm` the client sent (older snippets, npm users) is kept as sent. Only
 * page views: the landing view is where a visit's source is recorded, as the SDK always did.
 */
export function withUtm(e: Event): Event {
  if (e.type !== 'page_view' || e.utm || !e.url.includes('utm_')) return e;
  const query = /^[^?#]*\?([^#]*)/.exec(e.url);
  if (!query) return e;
  const params = new URLSearchParams(query[1]);
  let utm: Utm | undefined;
  for (const k of UTM_KEYS) {
    const v = params.get('utm_' + k);
    if (v) (utm ??= {})[k] = v.slice(0, LIMITS.text);
  }
  return utm ? { ...e, utm } : e;
}

export function createIngest(ctx: IngestContext): Merged<IngestItem, IngestResult> {
  return {
    weight: (item) => item.events.length,
    async run(trx: Transaction<DB>, items: readonly IngestItem[], _afterCommit: AfterCommit, stage: StageSink): Promise<IngestResult[]> {
      const now = ctx.now();
      // 1. In-request and cross-request duplicates within this group.
      const seen = new Set<string>();
      const fresh: Event[] = [];
      const owner: number[] = [];
      items.forEach((item, i) => {
        for (const e of item.events) {
          if (seen.has(e.id)) continue;
          seen.add(e.id);
          fresh.push(withPersonTraits(withIntent(withUtm(e))));
          owner.push(i);
        }
      });

      // 2. The anonymous ids of this group and the emails of its identifies, locked (by step 3,
      // first) before anything reads which lead an anonymous id belongs to.
      const anonKeys = new Set<string>();
      const emails = new Set<string>();
      for (const e of fresh) {
        anonKeys.add(pairKey(e.site, e.anonymousId));
        const email = e.type === 'identify' ? normalEmail(e.traits.email) : undefined;
        if (email) emails.add(email);
      }
      // Taken by the store step on PostgreSQL (store-events.ts); SQLite's one writer needs none,
      // so its keys, a SHA-1 each, are not made there.
      const locks = isPostgres(trx) ? [...[...anonKeys].map((k) => lockKey('anon', k)), ...[...emails].map((e) => lockKey('email', e))] : [];

      // 3. Insert once, and the known identities of the anonymous ids (store-events.ts). No
      // lead id: the identities table says whose an event is (db/event-rows.ts).
      const { inserted, identity, stamp } = await storeEvents(trx, fresh, now, locks);
      if (stamp !== undefined) await ctx.checkModels?.(trx, stamp);
      const { models } = ctx.models();
      const results: IngestResult[] = items.map((item) => ({ accepted: 0, duplicates: item.events.length }));
      fresh.forEach((e, k) => {
        if (inserted.has(e.id)) {
          const r = results[owner[k]!]!;
          r.accepted++;
          r.duplicates--;
        }
      });
      const added = fresh.filter((e) => inserted.has(e.id));
      if (added.length === 0) return results;

      // 4. Identify events join anonymous histories to leads.
      const dirty = new Set<string>();
      const tokenLeads = new Map<string, string>();
      let country: string | undefined;
      for (const item of items) {
        item.tokenLeads?.forEach((lead, id) => tokenLeads.set(id, lead));
        country ??= item.country;
      }
      const identifies = added.filter((e): e is EventOf<'identify'> => e.type === 'identify').sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : 1));
      if (identifies.length > 0) {
        // Every lead an identify may touch, locked together in order before any is changed.
        const touched = new Set<string>(identity.values());
        tokenLeads.forEach((lead) => touched.add(lead));
        const named = [...new Set(identifies.map((e) => normalEmail(e.traits.email)).filter((e): e is string => Boolean(e)))];
        for (const chunk of chunks(named, 500)) {
          for (const r of await trx.selectFrom('lead_emails').select('lead_id').where('email', 'in', chunk).execute()) touched.add(r.lead_id);
        }
        await leadRows(trx, [...touched]);
      }
      // Leads whose history changed other than by new events (a history joined, or an earlier
      // owner's events pinned on a relink): their summaries are made again from the rows.
      const remade = new Set<string>();
      for (const e of identifies) {
        const before = identity.get(pairKey(e.site, e.anonymousId));
        const leadId = await identify(trx, e, tokenLeads.get(e.id), country, now);
        if (leadId) {
          identity.set(pairKey(e.site, e.anonymousId), leadId);
          dirty.add(leadId);
          if (before !== leadId) remade.add(leadId);
          if (before !== undefined && before !== leadId) remade.add(before);
        }
      }

      // 5. Score the known leads this group touched.
      const byLead = new Map<string, Event[]>();
      for (const e of added) {
        const lead = identity.get(pairKey(e.site, e.anonymousId));
        if (!lead) continue;
        let list = byLead.get(lead);
        if (!list) byLead.set(lead, (list = []));
        list.push(e);
      }
      for (const id of dirty) if (!byLead.has(id)) byLead.set(id, []);
      if (byLead.size === 0) return results;
      const ids = [...byLead.keys()];
      const leads = await leadRows(trx, ids);
      // The packed histories (db/lead-summary.ts), under the leads' locks (the earlier owners on
      // a relink were locked with every lead an identify may touch): appended, or made again
      // where ownership moved.
      await appendToSummaries(trx, new Map([...byLead].filter(([id]) => !remade.has(id))));
      await rebuildSummaries(trx, remade);
      const scores = await storedScores(trx, ids);
      const changes: StageChange[] = [];
      for (const [id, events] of byLead) {
        const lead = leads.get(id);
        if (!lead) continue;
        const touched = await touch(trx, lead, events);
        changes.push(...(await rescoreLead(trx, { lead: touched, models, stored: scores.get(id) ?? new Map(), newEvents: events, rebuild: dirty.has(id), now })));
      }
      stage(changes);
      return results;
    },
  };
}

/** Widens the lead's first/last seen to its new events. */
async function touch(trx: Kysely<DB>, lead: LeadRow, events: readonly Event[]): Promise<LeadRow> {
  if (events.length === 0) return lead;
  let first = lead.first_seen;
  let last = lead.last_seen;
  for (const e of events) {
    if (e.ts < first) first = e.ts;
    if (e.ts > last) last = e.ts;
  }
  if (first === lead.first_seen && last === lead.last_seen) return lead;
  await trx.updateTable('leads').set({ first_seen: first, last_seen: last }).where('id', '=', lead.id).execute();
  return { ...lead, first_seen: first, last_seen: last };
}

/**
 * Links the event's anonymous id to a lead: the one its verified email-link token names, or
 * the one with its email (created if new). Returns the lead id, or undefined when nothing
 * could be linked (a token for an erased lead). Never links by address or fingerprint.
 */
async function identify(trx: Kysely<DB>, e: EventOf<'identify'>, tokenLead: string | undefined, country: string | undefined, now: number): Promise<string | undefined> {
  const email = normalEmail(e.traits.email);
  let lead: LeadRow | undefined;
  if (tokenLead) {
    lead = await trx.selectFrom('leads').selectAll().where('id', '=', tokenLead).executeTakeFirst();
    if (!lead) return undefined;
  } else if (email) {
    const link = await trx.selectFrom('lead_emails').select('lead_id').where('email', '=', email).executeTakeFirst();
    if (link) lead = await trx.selectFrom('leads').selectAll().where('id', '=', link.lead_id).executeTakeFirst();
    if (!lead) {
      const profile: LeadProfile = { email };
      lead = {
        id: uuidv7(now),
        emails: JSON.stringify([email]),
        profile: JSON.stringify(profile),
        company_domain: null,
        feedback: null,
        outcome: null,
        first_seen: e.ts,
        last_seen: e.ts,
        created_at: now,
      };
      await trx.insertInto('leads').values(lead).execute();
      await trx.insertInto('lead_emails').values({ email, lead_id: lead.id }).execute();
    }
  } else return undefined;

  // Profile from traits: later forms fill in and correct what earlier ones said.
  const profile = leadProfile(lead);
  const emails = leadEmails(lead);
  if (email && !emails.includes(email)) {
    // An email-link visitor who types another address: add it, unless it belongs to someone else.
    const owner = await trx.selectFrom('lead_emails').select('lead_id').where('email', '=', email).executeTakeFirst();
    if (!owner) {
      emails.push(email);
      await trx.insertInto('lead_emails').values({ email, lead_id: lead.id }).execute();
    }
  }
  profile.email ??= emails[0];
  if (e.traits.name) profile.name = e.traits.name;
  if (e.traits.jobTitle) profile.jobTitle = e.traits.jobTitle;
  if (country && !profile.country) profile.country = country;
  const domain = profile.email ? emailDomain(profile.email) : undefined;
  if (domain && !isFreeMailDomain(domain)) {
    profile.company = { ...profile.company, domain: registrableDomain(domain) };
  }
  if (e.traits.company && profile.company) profile.company.name = e.traits.company;
  await trx
    .updateTable('leads')
    .set({ profile: JSON.stringify(profile), emails: JSON.stringify(emails), company_domain: profile.company?.domain ?? null })
    .where('id', '=', lead.id)
    .execute();

  // The anonymous id: new, already this lead's, or someone else's (a shared computer).
  const existing = await trx.selectFrom('identities').select('lead_id').where('site', '=', e.site).where('anonymous_id', '=', e.anonymousId).executeTakeFirst();
  if (existing?.lead_id === lead.id) return lead.id;
  const kind = existing ? 'relink' : tokenLead ? 'email_link' : (await hasIdentity(trx, lead.id)) ? 'device' : 'identify';
  if (existing) {
    await trx.updateTable('identities').set({ lead_id: lead.id }).where('site', '=', e.site).where('anonymous_id', '=', e.anonymousId).execute();
  } else {
    await trx.insertInto('identities').values({ site: e.site, anonymous_id: e.anonymousId, lead_id: lead.id, created_at: now }).execute();
  }
  await trx
    .insertInto('identity_links')
    .values({ id: uuidv7(now), lead_id: lead.id, site: e.site, anonymous_id: e.anonymousId, kind, from_lead_id: existing?.lead_id ?? null, event_id: e.id, at: now })
    .execute();
  // The anonymous history joins the lead through the identity row alone: no event row is
  // rewritten. On a relink (the id now identifies someone else) the earlier owner keeps what
  // was theirs: their unpinned events, all but this identify, are pinned to them first.
  if (existing) {
    await trx
      .updateTable('events')
      .set({ lead_id: existing.lead_id })
      .where('site', '=', e.site)
      .where('anonymous_id', '=', e.anonymousId)
      .where('lead_id', 'is', null)
      .where('id', '<>', e.id)
      .execute();
  }
  return lead.id;
}

function normalEmail(email: string | undefined): string | undefined {
  return email?.trim().toLowerCase() || undefined;
}

async function hasIdentity(trx: Kysely<DB>, leadId: string): Promise<boolean> {
  return Boolean(await trx.selectFrom('identities').select('lead_id').where('lead_id', '=', leadId).limit(1).executeTakeFirst());
}
