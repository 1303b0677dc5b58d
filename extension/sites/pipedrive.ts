import { all, lead, present, text, type Site } from './site.ts';

// Pipedrive person pages: https://<company>.pipedrive.com/person/<id>. The header carries the
// name; the details sidebar lists one or more email fields, the first being the primary.
const PERSON_URL = /^\/person\/\d+/;
const NAME = '[data-testid="header-title"], .detailView h1';
const EMAIL = '[data-testid="email-field"] a, .fieldsList [data-field-key="email"] a';
const ORG_DOMAIN = '[data-testid="organization-website"] a';

export const pipedrive: Site = {
  id: 'pipedrive',
  matches: ['https://*.pipedrive.com/*'],
  examples: ['https://acme.pipedrive.com/person/1234', 'https://acme-sales.pipedrive.com/person/77?tab=activity'],
  find(doc, url) {
    if (!PERSON_URL.test(url.pathname)) return { leads: [], self: [] };
    const name = text(doc.querySelector(NAME));
    const leads = all(doc, EMAIL).map((a) => lead((a.getAttribute('href') ?? '').replace(/^mailto:/i, '') || text(a), 'record', name));
    const site = doc.querySelector(ORG_DOMAIN)?.getAttribute('href');
    const domain = site ? safeHost(site) : undefined;
    return { leads: present(leads), self: [], ...(domain ? { domain } : {}) };
  },
};

function safeHost(href: string): string | undefined {
  try {
    return new URL(href).hostname.replace(/^www\./, '');
  } catch {
    return undefined;
  }
}
