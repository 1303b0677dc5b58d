import { collect, type Hint } from './collect.ts';
import { addressesIn, all, firstRegion, type Site } from './site.ts';

// Outlook on the web, in any UI language. The reading pane is found by its stable attributes
// (`data-app-section`, the `main` landmark), not by its translated label. In a message, the
// recipients sit in `data-testid="RecipientWell"` and the body in `role="document"`; any other
// address in the message header is its sender, whether the label says "From:", "Von:", "Van:"
// or "Från:". The rep's own account is in the account manager and the mailbox tree.
const REGIONS = [
  '[data-app-section="ConversationContainer"]',
  '#ConversationReadingPaneContainer',
  '[data-app-section="MailReadCompose"]',
  'div[role="main"]',
  '[role="main"]',
];
const BODY = '[role="document"], [id^="UniqueMessageBody"]';
const COMPOSE = '[data-app-section="ComposeForm"] [data-lpc-hover-target-id], [contenteditable="true"][aria-label] [data-lpc-hover-target-id]';
const ACCOUNT = '#mectrl_currentAccount_secondary, [id^="primaryMailboxRoot_"], #O365_MainLink_Me [aria-label*="@"], button#mectrl_main_trigger[aria-label*="@"]';
/** An item id in the URL: `/mail/inbox/id/AAQk…`, `/mail/deeplink/read/AAMk…`. */
const ITEM_URL = /\/(id|read)\/[A-Za-z0-9%_=-]{20,}/;

const HINTS: Hint[] = [
  { selector: BODY, role: 'mention' },
  { selector: '[data-testid="RecipientWell"]', role: 'recipient' },
  { selector: COMPOSE, role: 'recipient' },
];

export const outlook: Site = {
  id: 'outlook',
  matches: ['https://outlook.office.com/*', 'https://outlook.office365.com/*', 'https://outlook.live.com/*', 'https://outlook.cloud.microsoft/*'],
  examples: ['https://outlook.office.com/mail/inbox/id/AAQkADAwATM0MDAAMS1iNjBmLTk0ZDgALTAwAi0wMAoAEABn', 'https://outlook.live.com/mail/0/deeplink/compose'],
  find(doc, url) {
    const region = firstRegion(doc, REGIONS);
    // What no hint claims in a message is its header: the sender (and the rep's own
    // address, which the background drops as "self").
    const leads = collect(region.el, { hints: HINTS, base: 'sender', skip: '#MailList, [role="navigation"], [role="toolbar"], [role="listbox"]' });
    const self = all(doc, ACCOUNT).flatMap(addressesIn);
    const expected = ITEM_URL.test(url.pathname) || all(region.el, `${BODY}, [data-testid="RecipientWell"]`).length > 0;
    return { leads, self: [...new Set(self)], expected, region: region.name };
  },
};
