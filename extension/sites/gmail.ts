import { all, emailsIn, lead, present, text, type Site } from './site.ts';

// Gmail. An open thread names the sender (`span.gD`) and recipients (`span.g2`), each with an
// `email` attribute; a compose window holds recipient chips with `data-hovercard-id`.
// The signed-in account is in the title: "Inbox (3) - rep@acme.com - Gmail".
const THREAD = 'div[role="main"]';
const SENDER = 'span.gD[email]';
const RECIPIENT = 'span.g2[email]';
const COMPOSE_RECIPIENT = 'div[role="dialog"] [data-hovercard-id*="@"], div[role="dialog"] span[email]';

export const gmail: Site = {
  id: 'gmail',
  matches: ['https://mail.google.com/*'],
  examples: ['https://mail.google.com/mail/u/0/#inbox/FMfcgzQXJWhqgNbnKrxWbRmWxXkCFzXl', 'https://mail.google.com/mail/u/1/#inbox?compose=new'],
  find(doc) {
    const main = doc.querySelector(THREAD) ?? doc;
    const senders = all(main, SENDER).map((el) => lead(el.getAttribute('email'), 'sender', el.getAttribute('name') ?? text(el)));
    const recipients = all(main, RECIPIENT).map((el) => lead(el.getAttribute('email'), 'recipient', el.getAttribute('name') ?? text(el)));
    const compose = all(doc, COMPOSE_RECIPIENT).map((el) =>
      lead(el.getAttribute('data-hovercard-id') ?? el.getAttribute('email'), 'recipient', el.getAttribute('name') ?? text(el)),
    );
    return { leads: present([...senders, ...recipients, ...compose]), self: emailsIn(doc.title) };
  },
};
