import { all, lead, mailtoLeads, present, text, type Site } from './site.ts';

// HubSpot CRM records. A contact record (object type 0-1) shows the person's name and email
// in its highlight card; a company record (0-2) shows the domain and associated contacts.
const RECORD_URL = /\/record\/(0-1|0-2)\//;
const HIGHLIGHT = '[data-selenium-test="profile-highlight"]';
const NAME = '[data-selenium-test="highlightTitle"]';
const EMAIL = '[data-selenium-test="contact-email"], [data-selenium-test="highlight-email"]';
const COMPANY_DOMAIN = '[data-selenium-test="company-domain"]';
const ASSOCIATED = '[data-selenium-test="associated-contacts"]';

export const hubspot: Site = {
  id: 'hubspot',
  matches: ['https://app.hubspot.com/*', 'https://app-eu1.hubspot.com/*'],
  examples: ['https://app.hubspot.com/contacts/4415092/record/0-1/51', 'https://app-eu1.hubspot.com/contacts/26114/record/0-2/9012'],
  find(doc, url) {
    const kind = url.pathname.match(RECORD_URL)?.[1];
    if (!kind) return { leads: [], self: [] };
    const card = doc.querySelector(HIGHLIGHT);
    if (kind === '0-1') {
      const name = text(card?.querySelector(NAME));
      const fields = all(doc, EMAIL).map((el) => lead(text(el), 'record', name));
      return { leads: present(fields).concat(card ? mailtoLeads(card, 'record') : []), self: [] };
    }
    const domain = text(doc.querySelector(COMPANY_DOMAIN)).replace(/^https?:\/\//, '').replace(/\/.*$/, '') || undefined;
    const members = all(doc, ASSOCIATED).flatMap((el) => mailtoLeads(el, 'mention'));
    return { leads: members, self: [], ...(domain ? { domain } : {}) };
  },
};
