import { collect, type Hint } from './collect.ts';
import { deepFirst, deepText } from './deep.ts';
import { firstRegion, type Site } from './site.ts';

// Salesforce Lightning records: /lightning/r/{Object}/{id}/view. Lightning keeps earlier
// tabs in the DOM, hidden; the active one is the region (Toggl Track's integration reads
// `.windowViewMode-normal`). Fields render inside web components, often in shadow roots,
// which the collector walks. Email fields are `a.emailuiFormattedEmail` (Aura) or
// `lightning-formatted-email` (LWC) links; `data-target-selection-name` names the field.
const RECORD_URL = /\/lightning\/r\/([A-Za-z0-9_]+)\/([A-Za-z0-9]{15,18})\//;
const PEOPLE = new Set(['Lead', 'Contact', 'PersonAccount']);
const REGIONS = ['.windowViewMode-normal.active', '.oneContent.active', '.windowViewMode-normal', '[role="main"]', 'main'];
const NAME = 'records-highlights2 lightning-formatted-name, [slot="primaryField"] lightning-formatted-name, .slds-page-header__title lightning-formatted-name';
const RECORD_HINTS: Hint[] = [
  { selector: 'records-highlights2, .slds-page-header', role: 'record' },
  { selector: 'a.emailuiFormattedEmail, [data-aura-class~="emailuiFormattedEmail"], lightning-formatted-email', role: 'record' },
  { selector: '[data-target-selection-name$=".Email"], [data-target-selection-name*="RecordField.Lead.Email"], [data-target-selection-name*="RecordField.Contact.Email"]', role: 'record' },
];

export const salesforce: Site = {
  id: 'salesforce',
  matches: ['https://*.lightning.force.com/*', 'https://*.my.salesforce.com/*'],
  examples: ['https://acme.lightning.force.com/lightning/r/Lead/00Q5e00000AbCdEEAZ/view', 'https://acme.my.salesforce.com/lightning/r/Contact/0035e00000XyZaBAAV/view'],
  find(doc, url) {
    const object = url.pathname.match(RECORD_URL)?.[1];
    if (!object) return { leads: [], self: [] };
    const region = firstRegion(doc, REGIONS);
    const person = PEOPLE.has(object);
    if (!person) return { leads: collect(region.el, { base: 'mention' }), self: [], region: `${region.name} (${object})` };
    const nameEl = deepFirst(region.el, NAME);
    const name = nameEl ? deepText(nameEl) : undefined;
    // An owner or "created by" user is a colleague; the background drops them by workspace domain.
    const leads = collect(region.el, { hints: RECORD_HINTS, base: 'mention', skip: '[data-target-selection-name*="Owner"], [data-target-selection-name*="CreatedBy"], [data-target-selection-name*="LastModifiedBy"]' }).map((l) =>
      l.role === 'record' && name ? { ...l, name } : l,
    );
    return { leads, self: [], expected: true, region: `${region.name} (${object})` };
  },
};
