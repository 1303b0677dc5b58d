import { collect, type Hint } from './collect.ts';
import { addressesIn, all, firstRegion, type Site } from './site.ts';

// Gmail. The open thread is the `main` landmark. Every person in a message header carries the
// address in an `email` attribute (and `data-hovercard-id`); the first one in a message is its
// sender, the others its recipients, whatever the UI language and whatever Gmail's generated
// class names are this year (`.gD` and `.g2` are only hints). Addresses in a message body are
// mentions. The signed-in account is read from the account button's label, never from the
// window title: a subject line can hold any address.
const REGIONS = ['div[role="main"]', '[role="main"]'];
/** A message in a thread: the containers Gmail has used since 2014. */
const MESSAGE = '[data-message-id], [data-legacy-message-id], .adn, .gs';
const PERSON = '[email]';
const BODY = '.a3s, .ii, [role="listitem"] [dir="ltr"]';
const ACCOUNT = 'a[href*="accounts.google.com"][aria-label*="@"], header [aria-label*="@"][role="button"], [data-ogsr-up] [aria-label*="@"]';
/** A thread's URL: `#inbox/FMfcg…`, `#label/Name/…`, `#search/q/…`. */
const THREAD_HASH = /#[^?]*\/[A-Za-z0-9]{16,}$/;

/** Per message, the first person is the sender, the rest recipients (bodies excluded). */
function people(region: ParentNode, which: 'sender' | 'recipients'): Element[] {
  const messages = all(region, MESSAGE).filter((m) => !m.parentElement?.closest(MESSAGE));
  const out: Element[] = [];
  for (const m of messages.length ? messages : [region as Element]) {
    const persons = all(m, PERSON).filter((p) => !p.closest(BODY));
    if (which === 'sender') out.push(...persons.slice(0, 1));
    else out.push(...persons.slice(1));
  }
  return out;
}

const HINTS: Hint[] = [
  { selector: '.gD[email]', role: 'sender' },
  { selector: '.g2[email]', role: 'recipient' },
  { selector: (r) => people(r, 'sender'), role: 'sender' },
  { selector: (r) => people(r, 'recipients'), role: 'recipient' },
];

export const gmail: Site = {
  id: 'gmail',
  matches: ['https://mail.google.com/*'],
  examples: ['https://mail.google.com/mail/u/0/#inbox/FMfcgzQXJWhqgNbnKrxWbRmWxXkCFzXl', 'https://mail.google.com/mail/u/1/#inbox?compose=new'],
  find(doc, url) {
    const region = firstRegion(doc, REGIONS);
    const leads = collect(region.el, { hints: HINTS, base: 'mention', skip: '[role="navigation"], [role="banner"], [role="complementary"]' });
    // Compose windows float outside `main`: their recipient chips are recipients.
    const compose = all(doc, '[role="dialog"]').flatMap((d) => collect(d, { hints: [{ selector: '[data-hovercard-id*="@"], [email]', role: 'recipient' }], base: 'mention' }));
    const self = all(doc, ACCOUNT).flatMap(addressesIn);
    const expected = THREAD_HASH.test(url.hash) || all(region.el, MESSAGE).length > 0;
    return { leads: [...leads, ...compose], self: [...new Set(self)], expected, region: region.name };
  },
};
