import { FORM_INTENTS, HAND_RAISE_INTENTS, type FormIntent } from '../../shared/contracts/event.ts';
import type { FormIntentOverride } from '../../shared/contracts/model.ts';
import { formSubmission } from '../../shared/intent/form-event.ts';
import { t } from '../i18n.ts';
import { decidedBy, intentName } from '../intent-words.ts';
import { h } from './dom.ts';

// Tagging mode's hand-raise control (issue 11). When the marketer picks a form, or anything in
// one, the tagger says what Leadglow reads the form as, by the snippet's own reader and the
// server's classifier on this very page (shared/intent/form-event.ts), and whether that is a
// hand-raise under the model; the marketer can say it is one, is not one, or let Leadglow
// decide. Saving writes the model draft's formIntents (keyed by the form id the snippet sends).

/** What the tagger knows of the model for this: its overrides, and which intents are hand-raises here. */
export type HandRaiseContext = { formIntents: readonly FormIntentOverride[]; handRaiseIntents: readonly FormIntent[] };
export type Choice = 'yes' | 'no' | 'auto';
/** Saves one form's intent (null: let Leadglow decide); answers an error text, or nothing when saved. */
export type SaveFormIntent = (formId: string, intent: FormIntent | null) => Promise<string | undefined>;

/** The form an element is, or is inside. */
export const formOf = (el: Element): HTMLFormElement | null => el.closest('form');

export function handRaiseControl(doc: Document, form: HTMLFormElement, ctx: HandRaiseContext, save: SaveFormIntent): HTMLElement {
  const win = doc.defaultView!;
  const escape = (s: string) => (win as unknown as { CSS: { escape(s: string): string } }).CSS.escape(s);
  const event = formSubmission(form, win.location.href, doc.title, escape);
  const formId = event.formId;
  const read = event.intent ?? 'other';
  const marked = ctx.formIntents.find((o) => o.formId === formId)?.intent;
  const handRaises: readonly FormIntent[] = ctx.handRaiseIntents.length ? ctx.handRaiseIntents : HAND_RAISE_INTENTS;
  const isHandRaise = (i: FormIntent) => handRaises.includes(i);
  const current = marked ?? read;

  const verdict = marked !== undefined
    ? t('taggingFormMarked', [intentName(marked), intentName(read)])
    : event.intentSignal
      ? t('taggingFormVerdict', [intentName(read), decidedBy(event.intentSignal)])
      : t('taggingFormVerdictNoSignal', [intentName(read)]);

  const radio = (value: Choice, label: string, checked: boolean) =>
    h(doc, 'label', { class: 'choice' }, h(doc, 'input', { type: 'radio', name: 'hand-raise', value, checked }), label);
  const start: Choice = marked === undefined ? 'auto' : isHandRaise(marked) ? 'yes' : 'no';
  const choices = h(doc, 'fieldset', {},
    h(doc, 'legend', {}, t('taggingFormChoice')),
    radio('yes', t('taggingFormYes'), start === 'yes'),
    radio('no', t('taggingFormNo'), start === 'no'),
    radio('auto', t('taggingFormAuto'), start === 'auto'));
  const intent = h(doc, 'select', { name: 'form-intent' });
  const intentRow = h(doc, 'label', {}, t('taggingFormIntent'), ' ', intent);
  const saveButton = h(doc, 'button', { type: 'button', class: 'primary' }, t('taggingFormSave'));
  const status = h(doc, 'p', { class: 'muted', role: 'status' });

  const chosen = (): Choice => (choices.querySelector<HTMLInputElement>('input:checked')?.value as Choice | undefined) ?? 'auto';
  /** The intents offered for a choice, and the one to start from: what Leadglow read, when it fits. */
  function fillIntents(): void {
    const choice = chosen();
    intentRow.hidden = choice === 'auto';
    if (choice === 'auto') return;
    const offered = FORM_INTENTS.filter((i) => (choice === 'yes' ? isHandRaise(i) : !isHandRaise(i)));
    const pick = offered.includes(current) ? current : choice === 'yes' ? (offered.includes('contact') ? 'contact' : offered[0]!) : 'other';
    intent.replaceChildren(...offered.map((i) => h(doc, 'option', { value: i, selected: i === pick }, intentName(i))));
    intent.value = pick;
  }
  choices.addEventListener('change', fillIntents);
  fillIntents();

  saveButton.addEventListener('click', () => {
    const choice = chosen();
    saveButton.disabled = true;
    status.textContent = '';
    void save(formId, choice === 'auto' ? null : (intent.value as FormIntent)).then((error) => {
      saveButton.disabled = false;
      if (error) status.textContent = error;
    });
  });

  return h(doc, 'section', { class: 'form-intent', 'data-form-id': formId, 'aria-label': t('taggingFormTitle') },
    h(doc, 'h2', {}, t('taggingFormTitle')),
    h(doc, 'p', { class: 'muted' }, t('taggingFormId', [formId])),
    h(doc, 'p', { 'data-verdict': '' }, verdict),
    h(doc, 'p', { 'data-hand-raise': String(isHandRaise(current)) }, isHandRaise(current) ? t('taggingFormIsHandRaise') : t('taggingFormIsNotHandRaise')),
    choices, intentRow,
    h(doc, 'div', { class: 'actions' }, saveButton),
    status);
}
