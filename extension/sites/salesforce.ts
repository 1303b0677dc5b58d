import { all, lead, present, text, type Site } from './site.ts';

// Salesforce Lightning lead and contact records: /lightning/r/Lead/<id>/view and
// /lightning/r/Contact/<id>/view. Lightning keeps earlier tabs in the DOM, hidden; only the
// active one counts. Emails are `lightning-formatted-email` links; the name is the
// highlights panel's `lightning-formatted-name`.
const RECORD_URL = /\/lightning\/r\/(Lead|Contact)\/[A-Za-z0-9]{15,18}\//;
const ACTIVE = '.windowViewMode-normal.active, .oneContent.active';
const NAME = 'records-highlights2 lightning-formatted-name, [slot="primaryField"] lightning-formatted-name';
const EMAIL = 'lightning-formatted-email a[href^="mailto:" i]';

export const salesforce: Site = {
  id: 'salesforce',
  matches: ['https://*.lightning.force.com/*', 'https://*.my.salesforce.com/*'],
  examples: ['https://acme.lightning.force.com/lightning/r/Lead/00Q5e00000AbCdEEAZ/view', 'https://acme.my.salesforce.com/lightning/r/Contact/0035e00000XyZaBAAV/view'],
  find(doc, url) {
    if (!RECORD_URL.test(url.pathname)) return { leads: [], self: [] };
    const root = doc.querySelector(ACTIVE) ?? doc;
    const name = text(root.querySelector(NAME));
    const leads = all(root, EMAIL).map((a) => lead(a.getAttribute('href')?.slice(7).split('?')[0], 'record', name));
    return { leads: present(leads), self: [] };
  },
};
