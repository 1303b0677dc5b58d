import { emailsIn, lead, mailtoLeads, present, type Site } from './site.ts';
import type { FoundLead } from '../../shared/contracts/messages.ts';

// Any page the rep enables: `mailto:` links and addresses written out in the page's main
// region (navigation, headers and footers are where a site puts its own addresses).
const MAIN = 'main, [role="main"], article';
const SKIP = 'script, style, noscript, template, nav, header, footer, input, textarea, [hidden], [aria-hidden="true"]';

export const generic: Site = {
  id: 'generic',
  // Registered for the origins the rep enables; these only document the shape.
  matches: ['https://*/*', 'http://*/*'],
  examples: ['https://crm.example.com/people/42', 'http://intranet.local/contacts'],
  find(doc) {
    const root = doc.querySelector(MAIN) ?? doc.body;
    if (!root) return { leads: [], self: [] };
    const fromLinks = mailtoLeads(root, 'mention');
    const fromText: (FoundLead | undefined)[] = [];
    const walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const parent = n.parentElement;
      if (!parent || parent.closest(SKIP) || !n.nodeValue?.includes('@')) continue;
      for (const e of emailsIn(n.nodeValue)) fromText.push(lead(e, 'mention'));
    }
    return { leads: [...fromLinks, ...present(fromText)], self: [] };
  },
};
