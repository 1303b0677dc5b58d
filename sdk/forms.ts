import { on, selector } from './dom.ts';
import type { Emit, Traits } from './types.ts';

// Form submissions: which form and which fields, never what was typed, except the identity
// fields of a form that carries an email address.
//
// Seen: native submits (button, Enter) and script submits through form.requestSubmit().
// Not seen: form.submit() called from script, which by specification fires no submit event;
// we do not patch HTMLFormElement.prototype to catch it. Sites that use it can call
// leadglow('track', ...) themselves.

const SKIP_TYPES = /^(password|hidden|submit|button|reset|image)$/;
// Payment fields: autocomplete cc-* (possibly after a section token) or card-like names.
const PAYMENT = /\bcc-|card|cvc|cvv|iban/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i;

type Trait = keyof Traits | 'first' | 'last';

// Tried in order against the field's type, last autocomplete token and name: the first match
// wins, so "organization-title" is a job title before it is a company.
const TRAITS: Record<Trait, RegExp> = {
  email: /e-?mail/i,
  jobTitle: /job|title|position/i,
  company: /compan|organi[sz]ation/i,
  first: /^(first|given|f)[-_ ]?name$/i,
  last: /^(last|family|sur|l)[-_ ]?name$/i,
  name: /^(your|full)?[-_ ]?name$/i,
};

/** Which identity trait a field holds, from its type, autocomplete token or name. */
export function traitOf(type: string, autocomplete: string, name: string): Trait | undefined {
  const tokens = [type, autocomplete.split(' ').pop()!, name];
  for (const t in TRAITS) if (tokens.some((s) => TRAITS[t as Trait].test(s))) return t as Trait;
}

export function watchForms(emit: Emit): void {
  on(document, 'submit', (e: SubmitEvent) => {
    const form = e.target as HTMLFormElement;
    if (form.tagName !== 'FORM' || form.closest('[data-leadglow-ignore]')) return;
    const fields: string[] = [];
    const found: Partial<Record<Trait, string>> = {};
    for (const el of Array.from(form.elements) as HTMLInputElement[]) {
      const { name, type } = el;
      const ac = el.getAttribute('autocomplete') ?? '';
      if (
        !name ||
        !/^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName) ||
        SKIP_TYPES.test(type) ||
        PAYMENT.test(ac + ' ' + name) ||
        el.hasAttribute('data-leadglow-ignore')
      )
        continue;
      if (!fields.includes(name.slice(0, 40))) fields.push(name.slice(0, 40));
      const trait = traitOf(type, ac, name);
      const value = el.value.trim();
      if (trait && value && !found[trait]) found[trait] = value.slice(0, 254);
    }
    emit({
      type: 'form_submit',
      formId: (form.getAttribute('id') || form.getAttribute('name') || selector(form)).slice(0, 64),
      fields: fields.slice(0, 50),
    });
    const { email, first, last } = found;
    if (email && EMAIL.test(email)) {
      const traits: Traits = { email };
      const name = found.name || [first, last].filter(Boolean).join(' ');
      if (name) traits.name = name.slice(0, 300);
      if (found.company) traits.company = found.company;
      if (found.jobTitle) traits.jobTitle = found.jobTitle;
      emit({ type: 'identify', traits, source: 'form' });
    }
  });
}
