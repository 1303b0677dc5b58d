import { readForm } from '../shared/intent/extract.ts';
import { closest, doc, on, selector } from './dom.ts';
import type { Emit, EventInput } from './types.ts';

// Form submissions: which form, its field names and the few words that say what it is for
// (read by shared/intent/extract.ts, which `leadglow inspect` runs too), never what was typed,
// except the identity fields of a form that carries an email address. The server decides the
// form's intent from these.
//
// Seen: native submits (button, Enter) and script submits through form.requestSubmit().
// Not seen: form.submit() called from script, which by specification fires no submit event;
// we do not patch HTMLFormElement.prototype to catch it. Sites that use it can call
// leadglow('track', ...) themselves.

export { traitOf } from '../shared/intent/traits.ts';

export const watchForms = (emit: Emit): void =>
  on(doc, 'submit', (e) => {
    // Only forms fire submit; anything odd (a synthetic event elsewhere) throws into our guard.
    if (closest(e, '[data-leadglow-ignore]')) return;
    const [read, person] = readForm(e.target, selector);
    // Attributes go as read (null when absent): the contract tidies them on the server.
    emit({ type: 'form_submit', ...read } as unknown as EventInput);
    // The first email-like field with a value (a person line with "mail": "email", "e-mail"); the
    // server sorts the rest into name, company, title.
    const email = person.find(([line, value]) => /mail/i.test(line) && value)?.[1];
    if (/^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i.test(email!)) emit({ type: 'identify', source: 'form', traits: { email }, person } as EventInput);
  });
