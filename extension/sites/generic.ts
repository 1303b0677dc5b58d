import { collect } from './collect.ts';
import { firstRegion, type Site } from './site.ts';

// Any page the rep enables: addresses in the page's main region (navigation, headers and
// footers are where a site puts its own addresses), from links, attributes and text.
const REGIONS = ['main', '[role="main"]', 'article'];
const SKIP = 'nav, header, footer, input, textarea, [hidden], [aria-hidden="true"]';

export const generic: Site = {
  id: 'generic',
  // Registered for the origins the rep enables; these only document the shape.
  matches: ['https://*/*', 'http://*/*'],
  examples: ['https://crm.example.com/people/42', 'http://intranet.local/contacts'],
  find(doc) {
    const region = firstRegion(doc, REGIONS);
    return { leads: collect(region.el, { base: 'mention', skip: SKIP }), self: [], region: region.name };
  },
};
