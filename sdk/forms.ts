import { cut, doc, on, selector } from './dom.ts';
import type { Emit } from './types.ts';

// Form submissions: which form and which fields, never what was typed, except the identity
// fields of a form that carries an email address.
//
// Seen: native submits (button, Enter) and script submits through form.requestSubmit().
// Not seen: form.submit() called from script, which by specification fires no submit event;
// we do not patch HTMLFormElement.prototype to catch it. Sites that use it can call
// leadglow('track', ...) themselves.

// Each field is judged by one line: "type autocomplete name" (autocomplete may carry a
// section token and several words, e.g. "billing cc-exp").

// Not a data field: secrets, buttons (input or button), fieldsets, outputs and objects (no
// type), or a payment field by autocomplete (cc-*) or card-like name.
const SKIP = /^(password|hidden|submit|button|reset|image|fieldset|output|) |\bcc-|card|cvc|cvv|iban/i;

// Tried in order: the first match wins, so "organization-title" is a job title before it is a
// company, and "company_name" a company before it is a name. Name words must start a word
// (" given-name", " last_name"), so "username" or "additional-name" are not names.
const TRAITS = {
  email: /e-?mail/i,
  jobTitle: /job|title|position/i,
  company: /compan|organi[sz]ation/i,
  first: / (first|given|f)[-_ ]?name\b/i,
  last: / (last|family|sur|l)[-_ ]?name\b/i,
  name: / ((your|full)[-_ ]?)?name\b/i,
};
type Trait = keyof typeof TRAITS;

/** Which identity trait a field holds, from its line ("type autocomplete name"). */
export function traitOf(line: string): Trait | undefined {
  for (const t in TRAITS) if (TRAITS[t as Trait].test(line)) return t as Trait;
}

export const watchForms = (emit: Emit): void =>
  on(doc, 'submit', (e) => {
    const form = e.target as HTMLFormElement;
    // Only forms fire submit; anything odd (a synthetic event elsewhere) throws into our guard.
    if (form.closest('[data-leadglow-ignore]')) return;
    const fields: string[] = [];
    const found: Partial<Record<Trait, string>> = {};
    for (const el of form.elements as unknown as HTMLInputElement[]) {
      const name = el.name;
      const line = el.type + ' ' + el.getAttribute('autocomplete') + ' ' + name;
      // The same check as the form's: a field, or a fieldset around it, may be left out.
      if (!name || SKIP.test(line) || el.closest('[data-leadglow-ignore]')) continue;
      fields.includes(cut(name, 40)) || fields.push(cut(name, 40));
      const trait = traitOf(line);
      // An empty value is falsy: a later field of the same trait may still fill it.
      if (trait) found[trait] ||= cut(el.value.trim(), 254);
    }
    emit({ type: 'form_submit', formId: cut(form.getAttribute('id') || form.getAttribute('name') || selector(form), 64), fields: fields.slice(0, 50) });
    const { email, first, last } = found;
    if (/^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i.test(email!))
      // Undefined traits vanish in JSON; the server ignores an empty name.
      emit({ type: 'identify', source: 'form', traits: { email: email!, name: cut(found.name || [first, last].join(' ').trim()), company: found.company, jobTitle: found.jobTitle } });
  });
