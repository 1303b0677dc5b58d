import { collect, type Hint } from './collect.ts';
import { firstRegion, type Site } from './site.ts';

// Pipedrive person pages: https://{company}.pipedrive.com/person/{id}. Pipedrive's fields
// carry `data-test-key` with the field's key (`email`, `phone`, `name`, …), the attribute
// public test suites for Pipedrive select on; an address in the email field is the record's.
const PERSON_URL = /^\/person\/\d+/;
const REGIONS = ['[data-test="person-details"]', '[data-testid="person-details"]', '.detailView', '[role="main"]', 'main'];
const HINTS: Hint[] = [{ selector: '[data-test-key="email"], [data-test-key*="email"], [data-testid*="email"], [data-field-key="email"]', role: 'record' }];
const NAME = '[data-test-key="name"], [data-testid="header-title"], [data-test="header-title"], h1';
const WEBSITE = '[data-test-key="website"] a[href], [data-test-key*="web"] a[href], [data-testid="organization-website"] a[href]';

export const pipedrive: Site = {
  id: 'pipedrive',
  matches: ['https://*.pipedrive.com/*'],
  examples: ['https://acme.pipedrive.com/person/1234', 'https://acme-sales.pipedrive.com/person/77?tab=activity'],
  find(doc, url) {
    if (!PERSON_URL.test(url.pathname)) return { leads: [], self: [] };
    const region = firstRegion(doc, REGIONS);
    const name = doc.querySelector(NAME)?.textContent?.replace(/\s+/g, ' ').trim();
    const leads = collect(region.el, { hints: HINTS, base: 'mention' }).map((l) => (l.role === 'record' && name && !name.includes('@') ? { ...l, name } : l));
    const site = doc.querySelector(WEBSITE)?.getAttribute('href');
    const domain = site ? safeHost(site) : undefined;
    return { leads, self: [], expected: true, region: region.name, ...(domain ? { domain } : {}) };
  },
};

function safeHost(href: string): string | undefined {
  try {
    return new URL(href).hostname.replace(/^www\./, '');
  } catch {
    // why: a link that is not a URL names no company domain: the lead is shown without one.
    return undefined;
  }
}
