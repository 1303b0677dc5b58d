import { all, emailsIn, lead, present, text, type Site } from './site.ts';
import type { FoundLead, FoundRole } from '../../shared/contracts/messages.ts';

// Outlook on the web. The reading pane labels its header lines "From: …", "To: …", "Cc: …";
// each person is a button whose text is "Name <address>". A compose form has "To" and "Cc"
// wells of recipient chips. The account manager (`#mectrl_…`) shows the rep's own address.
const PANE = 'div[aria-label="Reading Pane"], div[role="main"]';
const FROM = '[aria-label^="From:"]';
const TO = '[aria-label^="To:"], [aria-label^="Cc:"]';
const COMPOSE_WELLS = 'div[aria-label="To"], div[aria-label="Cc"]';
const SELF = '#mectrl_currentAccount_secondary';

function people(root: Element, role: FoundRole): FoundLead[] {
  const chips = all(root, 'button, span[title*="@"]');
  const found = (chips.length ? chips : [root]).flatMap((el) => {
    const t = `${text(el)} ${el.getAttribute('title') ?? ''}`;
    const name = text(el).replace(/<[^>]*>/g, '').replace(/^(From|To|Cc):/i, '').trim();
    return emailsIn(t).map((e) => lead(e, role, name));
  });
  return present(found);
}

export const outlook: Site = {
  id: 'outlook',
  matches: ['https://outlook.office.com/*', 'https://outlook.office365.com/*', 'https://outlook.live.com/*'],
  examples: ['https://outlook.office.com/mail/inbox/id/AAQkADAwATM0MDAAMS1iNjBmLTk0ZDgALTAwAi0wMAoAEABn', 'https://outlook.live.com/mail/0/deeplink/compose'],
  find(doc) {
    const pane = doc.querySelector(PANE) ?? doc.body;
    const from = all(pane, FROM).flatMap((el) => people(el, 'sender'));
    const to = all(pane, TO).flatMap((el) => people(el, 'recipient'));
    const compose = all(doc, COMPOSE_WELLS).flatMap((el) => people(el, 'recipient'));
    return { leads: [...from, ...to, ...compose], self: emailsIn(text(doc.querySelector(SELF))) };
  },
};
