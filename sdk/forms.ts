import { readForm } from '../shared/intent/extract.ts';
import { cut, doc, on, selector } from './dom.ts';
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

export { traitOf } from '../shared/intent/extract.ts';

export const watchForms = (emit: Emit): void =>
  on(doc, 'submit', (e) => {
    const form = e.target as HTMLFormElement;
    // Only forms fire submit; anything odd (a synthetic event elsewhere) throws into our guard.
    if (form.closest('[data-leadglow-ignore]')) return;
    const [read, { email, first, last, name, company, jobTitle }] = readForm(form, selector);
    // Attributes go as read (null when absent): the contract tidies them on the server.
    emit({ type: 'form_submit', ...read } as unknown as EventInput);
    if (/^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i.test(email!))
      // Undefined traits vanish in JSON; the server ignores an empty name.
      emit({ type: 'identify', source: 'form', traits: { email: email!, name: cut(name || [first, last].join(' ').trim()), company, jobTitle } });
  });
