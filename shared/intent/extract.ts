// What the snippet reads from a submitted form, and `leadglow inspect` from a saved page: one
// function for both, so they cannot disagree. Plain DOM calls only (a browser or happy-dom);
// written for the snippet's size budget (it is bundled into every visitor's page), so: short,
// no classes, no Sets, and text is cut by the server, not here (apart from bounding each
// value so that a hostile page cannot push a batch past its byte limit).

// Each field is judged by one line: "type autocomplete name" (autocomplete may carry a
// section token and several words, e.g. "billing cc-exp").

// Not a data field: secrets, buttons (input or button), fieldsets, outputs and objects (no
// type), or a payment field by autocomplete (cc-*) or card-like name.
const SKIP = /^(password|hidden|submit|button|reset|image|fieldset|output|) |\bcc-|card|cvc|cvv|iban/i;

// Which field holds whom: `traits.ts` (plain code, shared with the server's personTraits).
import type { Person } from './traits.ts';
export type { Person };
const PERSON = /mail|name|compan|organi|job|title|position/i;

const HEADING = 'h1,h2,h3,h4,h5,h6,legend';

/**
 * What a form_submit event carries besides the common fields (see FormSubmitEvent). Values are
 * sent raw (attributes may be null) and tidied by the server: collapsed, cut, the action's
 * query dropped.
 */
export interface FormRead {
  formId: string;
  fields: string[];
  formName: string | null;
  formClass: string | null;
  action: string | null;
  autocomplete: string[];
  kinds: string[];
  button: string | null | undefined;
  heading: string | null | undefined;
}

/**
 * Reads a form: its id (or name, or `path(form)` for a form with neither), field names
 * (never values), the autocomplete tokens and notable input types (password, search, file)
 * of its fields, its submit button's words, and the nearest heading inside or before it; and,
 * for the snippet's identify event, the lines and values of its identity-like fields.
 */
export function readForm(form: HTMLFormElement, path: (el: Element) => string): [FormRead, Person] {
  const attr = (a: string) => form.getAttribute(a);
  const fields: string[] = [];
  const autocomplete: string[] = [];
  const kinds: string[] = [];
  const person: Person = [];
  // The first submit button is the one Enter presses; its words say what was asked for.
  let button: HTMLInputElement | null | undefined;
  for (const el of form.elements as unknown as HTMLInputElement[]) {
    const { name, type } = el;
    const ac = el.getAttribute('autocomplete');
    const line = type + ' ' + ac + ' ' + name;
    if (!button && /^(submit|image)$/.test(type)) button = el;
    if (/^(password|search|file)$/.test(type)) kinds.push(type);
    // A field, or a fieldset around it, may be left out.
    if (el.closest('[data-leadglow-ignore]')) continue;
    if (ac) autocomplete.push(ac);
    if (!name || SKIP.test(line)) continue;
    fields.push(name);
    if (PERSON.test(line)) person.push([line, el.value.trim().slice(0, 254)]);
  }
  // A form without a submit button: its plain <button> or <input type=button>.
  button ||= form.querySelector<HTMLInputElement>('button,[type=button]');
  // The heading inside the form, else the nearest one before it in document order (4: the
  // form follows it).
  const h = form.querySelector(HEADING) || [...form.ownerDocument.querySelectorAll(HEADING)].filter((x) => x.compareDocumentPosition(form) & 4).pop();
  return [
    {
      formId: attr('id') || attr('name') || path(form),
      fields,
      formName: attr('name'),
      formClass: attr('class'),
      action: attr('action'),
      autocomplete,
      kinds,
      // Bounded here too: a hostile page's megabyte button must not push the batch past its limit.
      button: button && (button.textContent || button.value || button.getAttribute('aria-label')),
      heading: h?.textContent,
    },
    person,
  ];
}
