import { EVENT_TYPES, isMachineMade, type Event } from '../contracts/event.ts';
import type { LeadProfile } from '../contracts/lead.ts';
import { classifyDomain, emailDomain, registrableDomain, type DomainLists } from '../email.ts';
import type { Cell, Row } from './table.ts';

// A lead as one row for the predictive model: who it is (fit attributes) and what it did
// (counts and recency of each event type, tag and custom event, visits, pages per visit,
// time on site, where it first came from). Time is a parameter: training rows are taken as
// of the outcome, so nothing that happened after the deal was decided can leak into them.

export type LeadInput = {
  profile: LeadProfile;
  /** Primary first; the profile's email is used when absent. */
  emails?: readonly string[];
  events: readonly Event[];
};

export type LeadFeatureOptions = {
  /** Tags and custom-event names to write counts for even when the lead has none (a model's columns). */
  tags?: readonly string[];
  customs?: readonly string[];
  domains?: DomainLists;
};

const DAY_MS = 86_400_000;
const NO_LISTS: DomainLists = { own: new Set(), competitors: new Set() };
export const TAG_PREFIX = 'tag_';
export const CUSTOM_PREFIX = 'custom_';

/** Column-safe: `Case Study` becomes `case_study`. */
export function slug(name: string): string {
  return name.trim().toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '').slice(0, 40) || '_';
}

function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const m = /^https?:\/\/([^/?#:]+)/i.exec(url);
  return m ? m[1]!.toLowerCase() : undefined;
}

/** utm source/medium of the first visit, else its referrer's domain, else `direct`. */
function sourceOf(first: Event | undefined): string | undefined {
  if (!first) return undefined;
  const utm = first.utm;
  if (utm?.source || utm?.medium) return [utm.source, utm.medium].filter(Boolean).join(' / ').toLowerCase();
  const ref = hostOf(first.referrer);
  if (ref && ref !== hostOf(first.url)) return registrableDomain(ref);
  return 'direct';
}

// Scanner and image-proxy opens say nothing about the person.
const counts = (e: Event): boolean => !isMachineMade(e);

export function leadFeatures(input: LeadInput, asOf: number, options: LeadFeatureOptions = {}): Row {
  const p = input.profile;
  const email = input.emails?.[0] ?? p.email;
  const domain = email ? emailDomain(email) : undefined;
  const row: Record<string, Cell> = {
    seniority: p.seniority,
    job_title: p.jobTitle?.trim().toLowerCase(),
    country: p.country ?? p.company?.country,
    company_industry: p.company?.industry,
    company_size: p.company?.size,
    company_revenue: p.company?.revenue,
    email_domain: domain ? classifyDomain(domain, options.domains ?? NO_LISTS) : undefined,
  };
  const events = input.events.filter((e) => e.ts <= asOf && counts(e)).sort((a, b) => a.ts - b.ts);
  const days = (ts: number) => Math.round(((asOf - ts) / DAY_MS) * 100) / 100;
  const tally = (key: string, ts: number) => {
    row[`count_${key}`] = ((row[`count_${key}`] as number | undefined) ?? 0) + 1;
    row[`days_since_${key}`] = days(ts); // events are in time order: the last write is the latest
  };
  for (const t of EVENT_TYPES) row[`count_${t}`] = 0;
  for (const t of options.tags ?? []) row[`count_${TAG_PREFIX}${slug(t)}`] = 0;
  for (const c of options.customs ?? []) row[`count_${CUSTOM_PREFIX}${slug(c)}`] = 0;
  const viewSessions = new Set<string>();
  let views = 0;
  let engagedMs = 0;
  for (const e of events) {
    tally(e.type, e.ts);
    for (const tag of e.tags ?? []) tally(`${TAG_PREFIX}${slug(tag)}`, e.ts);
    if (e.type === 'custom') tally(`${CUSTOM_PREFIX}${slug(e.name)}`, e.ts);
    if (e.type === 'page_view') {
      views++;
      viewSessions.add(e.sessionId);
    }
    if (e.type === 'engagement') engagedMs += e.engagedMs;
  }
  row.visits = viewSessions.size;
  row.pages_per_visit = viewSessions.size ? views / viewSessions.size : undefined;
  row.minutes_on_site = Math.round((engagedMs / 60_000) * 100) / 100;
  row.source = sourceOf(events.find((e) => e.type === 'page_view'));
  row.days_known = events.length ? days(events[0]!.ts) : undefined;
  return row;
}

/**
 * Rows for many leads with the same columns: a tag or custom event one lead has is a zero
 * count for the others, not a missing value.
 */
export function leadTable(inputs: readonly { input: LeadInput; asOf: number }[], options: LeadFeatureOptions = {}): Row[] {
  const tags = new Set(options.tags ?? []);
  const customs = new Set(options.customs ?? []);
  for (const { input, asOf } of inputs) {
    for (const e of input.events) {
      if (e.ts > asOf) continue;
      for (const t of e.tags ?? []) tags.add(t);
      if (e.type === 'custom') customs.add(e.name);
    }
  }
  return inputs.map(({ input, asOf }) => leadFeatures(input, asOf, { ...options, tags: [...tags], customs: [...customs] }));
}

/** The tags and custom events a model reads, for scoring one lead with the same columns. */
export function countedKeys(columns: readonly string[]): { tags: string[]; customs: string[] } {
  const tags: string[] = [];
  const customs: string[] = [];
  for (const c of columns) {
    if (c.startsWith(`count_${TAG_PREFIX}`)) tags.push(c.slice(`count_${TAG_PREFIX}`.length));
    else if (c.startsWith(`count_${CUSTOM_PREFIX}`)) customs.push(c.slice(`count_${CUSTOM_PREFIX}`.length));
  }
  return { tags, customs };
}

const PROFILE_COLUMNS = new Set(['seniority', 'job_title', 'country', 'company_industry', 'company_size', 'company_revenue', 'email_domain', 'visits', 'pages_per_visit', 'minutes_on_site', 'source', 'days_known']);
const COUNTED = new RegExp(`^(count|days_since)_(${EVENT_TYPES.join('|')}|${TAG_PREFIX}[a-z0-9_]+|${CUSTOM_PREFIX}[a-z0-9_]+)$`);

/** Whether `leadFeatures` writes this column: a model reading only such columns can score server leads. */
export function isLeadColumn(name: string): boolean {
  return PROFILE_COLUMNS.has(name) || COUNTED.test(name);
}
