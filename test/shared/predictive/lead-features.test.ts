import { describe, expect, it } from 'vitest';
import type { Event } from '../../../shared/contracts/event.ts';
import { countedKeys, isLeadColumn, leadFeatures, leadTable } from '../../../shared/predictive/lead-features.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2025, 0, 31, 12);
let n = 0;
function ev(type: Event['type'], daysAgo: number, sessionId: string, extra: Record<string, unknown> = {}): Event {
  const id = `0190a000-0000-7000-8000-${String(n++).padStart(12, '0')}`;
  const base = { id, type, ts: NOW - daysAgo * DAY, site: 'acme', anonymousId: 'a1', sessionId };
  const url = type === 'identify' || type === 'custom' || type === 'email_open' ? {} : { url: 'https://acme.test/pricing' };
  return { ...base, ...url, ...extra } as unknown as Event;
}

const history: Event[] = [
  ev('page_view', 10, 's1', { utm: { source: 'LinkedIn', medium: 'paid' }, referrer: 'https://www.linkedin.com/feed' }),
  ev('engagement', 10, 's1', { pageViewId: '0190a000-0000-7000-8000-000000000000', engagedMs: 90_000 }),
  ev('page_view', 10, 's1', { tags: ['Pricing'] }),
  ev('page_view', 3, 's2', { tags: ['pricing'] }),
  ev('engagement', 3, 's2', { pageViewId: '0190a000-0000-7000-8000-000000000000', engagedMs: 30_000 }),
  ev('download', 2, 's2', { fileUrl: 'https://acme.test/case.pdf' }),
  ev('email_open', 1, 'e1', { messageId: 'm1', machine: true }),
  ev('email_open', 1, 'e2', { messageId: 'm2' }),
  ev('custom', 0.5, 'o1', { name: 'webinar' }),
  ev('form_submit', -1, 's3', { formId: 'demo', fields: ['email'] }), // after asOf
];

describe('lead features', () => {
  const profile = { jobTitle: ' VP Sales ', seniority: 'vp' as const, company: { domain: 'acme.io', industry: 'software', size: 250, revenue: 3e7, country: 'DE' } };
  const row = leadFeatures({ profile, emails: ['ada@acme.io'], events: history }, NOW);

  it('takes who the lead is from the profile', () => {
    expect(row).toMatchObject({ seniority: 'vp', job_title: 'vp sales', company_industry: 'software', company_size: 250, company_revenue: 3e7, country: 'DE', email_domain: 'business' });
    expect(leadFeatures({ profile: {}, emails: ['bob@gmail.com'], events: [] }, NOW).email_domain).toBe('free');
  });

  it('counts each event type and tag with the days since the last one, up to the time given', () => {
    expect(row.count_page_view).toBe(3);
    expect(row.days_since_page_view).toBe(3);
    expect(row.count_download).toBe(1);
    expect(row.count_form_submit).toBe(0); // it happens after asOf
    expect(row.days_since_form_submit).toBeUndefined();
    expect(row.count_tag_pricing).toBe(2); // "Pricing" and "pricing" are one tag
    expect(row.days_since_tag_pricing).toBe(3);
    expect(row.count_custom_webinar).toBe(1);
    expect(row.count_email_open).toBe(1); // the scanner's open is not the person's
  });

  it('measures visits, pages per visit, time on site, source and age', () => {
    expect(row.pages_per_visit).toBe(1.5);
    expect(row.minutes_on_site).toBe(2);
    expect(row.source).toBe('linkedin / paid');
    expect(row.days_known).toBe(10);
    expect(row.visits).toBe(2); // sessions with page views: email opens and touchpoints are not visits
  });

  it('falls back to the referrer domain, then direct', () => {
    const viaReferrer = leadFeatures({ profile: {}, events: [ev('page_view', 1, 'x', { referrer: 'https://news.ycombinator.com/item' })] }, NOW);
    expect(viaReferrer.source).toBe('ycombinator.com');
    expect(leadFeatures({ profile: {}, events: [ev('page_view', 1, 'x')] }, NOW).source).toBe('direct');
  });

  it('gives every lead of a table the same tag columns, as zero counts', () => {
    const rows = leadTable([
      { input: { profile: {}, events: history }, asOf: NOW },
      { input: { profile: {}, events: [ev('page_view', 1, 'y')] }, asOf: NOW },
    ]);
    expect(rows[1]!.count_tag_pricing).toBe(0);
    expect(rows[1]!.count_custom_webinar).toBe(0);
    expect(countedKeys(Object.keys(rows[0]!))).toEqual({ tags: ['pricing'], customs: ['webinar'] });
  });
});

describe('lead columns', () => {
  it('are exactly the columns lead features write', () => {
    const row = leadFeatures({ profile: { seniority: 'vp' }, emails: ['a@b.io'], events: history }, NOW, { tags: ['Case Study'], customs: ['trade fair'] });
    for (const name of Object.keys(row)) expect(isLeadColumn(name), name).toBe(true);
    expect(isLeadColumn('count_tag_case_study')).toBe(true);
    for (const name of ['origin', 'landing_page_id', 'count_', 'count_weird', 'days_since_tag_']) expect(isLeadColumn(name), name).toBe(false);
  });
});
