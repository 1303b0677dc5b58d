import { collect, type Hint } from './collect.ts';
import { deepText } from './deep.ts';
import { firstRegion, type Site } from './site.ts';

// HubSpot CRM records: /contacts/{portal}/record/{objectType}/{id}, 0-1 a contact, 0-2 a
// company. The record's left sidebar holds the highlight card and the "about" properties.
// HubSpot's test attributes come in families (`contact-highlight-details`,
// `company-highlight-details`, …), so the adapter matches the family, not one member: the
// selectors maintained public integrations use (Toggl Track, Clockify) are the hints.
const RECORD_URL = /^\/contacts\/\d+\/record\/(0-\d+)\/\d+/;
const REGIONS = [
  '[data-scroll-trackable-container="left-sidebar"]',
  '[data-test-id="left-sidebar"]',
  '[data-selenium-component="ProfileHighlightContainer"]',
  '[data-selenium-test$="-highlight-details"]',
  '[data-test-id="record-highlight-main-content"]',
  '[role="main"]',
  'main',
];
const HIGHLIGHT = '[data-selenium-test$="-highlight-details"], [data-selenium-component="ProfileHighlightContainer"], [data-test-id="record-highlight-main-content"]';
const NAME = '[data-selenium-test="highlightTitle"]';
const CONTACT_HINTS: Hint[] = [
  { selector: HIGHLIGHT, role: 'record' },
  { selector: '[data-selenium-test*="email"], [data-test-id*="email"]', role: 'record' },
];
const DOMAIN = /\b((?:[a-z0-9-]+\.)+[a-z]{2,})\b/i;

export const hubspot: Site = {
  id: 'hubspot',
  matches: ['https://app.hubspot.com/*', 'https://app-eu1.hubspot.com/*', 'https://app-na2.hubspot.com/*'],
  examples: ['https://app.hubspot.com/contacts/4415092/record/0-1/51', 'https://app-eu1.hubspot.com/contacts/26114/record/0-2/9012'],
  find(doc, url) {
    const kind = url.pathname.match(RECORD_URL)?.[1];
    if (!kind) return { leads: [], self: [] };
    const region = firstRegion(doc, REGIONS);
    const nameEl = doc.querySelector(NAME);
    if (kind === '0-1') {
      const name = nameEl ? deepText(nameEl) : undefined;
      const leads = collect(region.el, { hints: CONTACT_HINTS, base: 'mention' }).map((l) => (l.role === 'record' && name ? { ...l, name } : l));
      return { leads, self: [], expected: true, region: `${region.name} (contact ${kind})` };
    }
    // A company (0-2) or another object: its people (association cards, beside the sidebar)
    // are mentions; a company's domain is the account.
    const page = firstRegion(doc, ['[role="main"]', 'main']);
    const leads = collect(page.el, { base: 'mention' });
    const highlight = doc.querySelector(HIGHLIGHT);
    const domain = kind === '0-2' && highlight ? domainIn(highlight) : undefined;
    return { leads, self: [], region: `${page.name} (object ${kind})`, ...(domain ? { domain } : {}) };
  },
};

function domainIn(el: Element): string | undefined {
  for (const a of el.querySelectorAll('a[href^="http"]')) {
    try {
      return new URL(a.getAttribute('href') ?? '').hostname.replace(/^www\./, '');
    } catch {
      // why: a link that is not a URL names no domain: the next link, or the text, may.
    }
  }
  const m = (el.textContent ?? '').match(DOMAIN)?.[1];
  return m && !m.includes('@') ? m.toLowerCase().replace(/^www\./, '') : undefined;
}
