import { doc, on, selector } from './dom.ts';
import type { Emit } from './types.ts';

// Form submissions: which form and which fields, never what was typed, except the identity
// fields of a form that carries an email address.
//
// Seen: native submits (button, Enter) and script submits through form.requestSubmit().
// Not seen: form.submit() called from script, which by specification fires no submit event;
// we do not patch HTMLFormElement.prototype to catch it. Sites that use it can call
// leadglow('track', ...) themselves.

// Not a data field: secrets, buttons, or a payment field by autocomplete (cc-*, possibly
// after a section token) or card-like name.
const SKIP = /^(password|hidden|submit|button|reset|image) |\bcc-|card|cvc|cvv|iban/i;

// Tried in order against the field's type, last autocomplete token and name: the first match
// wins, so "organization-title" is a job title before it is a company.
const TRAITS = {
  email: /e-?mail/i,
  jobTitle: /job|title|position/i,
  company: /compan|organi[sz]ation/i,
  first: /^(first|given|f)[-_ ]?name$/i,
  last: /^(last|family|sur|l)[-_ ]?name$/i,
  name: /^(your|full)?[-_ ]?name$/i,
};
type Trait = keyof typeof TRAITS;

/** Which identity trait a field holds, from its type, autocomplete token or name. */
export function traitOf(type: string, autocomplete: string, name: string): Trait | undefined {
  for (const t in TRAITS) if ([type, autocomplete.split(' ').pop(), name].some((s) => TRAITS[t as Trait].test(s!))) return t as Trait;
}

export const watchForms = (emit: Emit): void =>
  on(doc, 'submit', (e) => {
    const form = e.target as HTMLFormElement;
    // Only forms fire submit; anything odd (a synthetic event elsewhere) throws into our guard.
    if (form.closest('[data-leadglow-ignore]')) return;
    const fields: string[] = [];
    const found: Partial<Record<Trait, string>> = {};
    for (const el of form.elements as unknown as HTMLInputElement[]) {
      const { name, type } = el;
      const ac = el.getAttribute('autocomplete') || '';
      if (!name || !/^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName) || SKIP.test(type + ' ' + ac + ' ' + name) || el.hasAttribute('data-leadglow-ignore')) continue;
      fields.includes(name.slice(0, 40)) || fields.push(name.slice(0, 40));
      const trait = traitOf(type, ac, name);
      // An empty value is falsy: a later field of the same trait may still fill it.
      if (trait) found[trait] ||= el.value.trim().slice(0, 254);
    }
    emit({ type: 'form_submit', formId: (form.getAttribute('id') || form.getAttribute('name') || selector(form)).slice(0, 64), fields: fields.slice(0, 50) });
    const { email, first, last } = found;
    if (/^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i.test(email!))
      // Undefined traits vanish in JSON; the server ignores an empty name.
      emit({ type: 'identify', source: 'form', traits: { email: email!, name: (found.name || [first, last].join(' ').trim()).slice(0, 300), company: found.company, jobTitle: found.jobTitle } });
  });
