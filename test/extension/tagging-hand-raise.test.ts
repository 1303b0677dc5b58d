// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { handRaiseIntents } from '../../extension/background/tagging.ts';
import { setLanguage } from '../../extension/i18n.ts';
import type { Send, TaggerRequest } from '../../extension/tagging/client.ts';
import { startTagger, type Tagger } from '../../extension/tagging/overlay.ts';
import { HAND_RAISE_INTENTS } from '../../shared/contracts/event.ts';
import type { ReplyTo } from '../../shared/contracts/messages.ts';
import type { FormIntentOverride } from '../../shared/contracts/model.ts';
import { Model } from '../../shared/contracts/model.ts';
import { defaultModel } from '../../shared/scoring/default-model.ts';
import { installBrowserStubs } from './setup.ts';

// Tagging mode's hand-raise control on real forms from the corpus (test/fixtures/pages/forms,
// provenance in its README): a Mailchimp newsletter form and a Swedish quote form. Picking the
// form, or a field in it, shows what Leadglow reads it as and whether that is a hand-raise;
// the marketer's answer goes to the background as one form intent for the draft. That the
// override then decides scoring: test/server/intent.test.ts.

const MODEL = { id: 'b2b-starter', name: 'B2B starter', version: 3 };

function fakeBackground(formIntents: FormIntentOverride[] = []) {
  const calls: TaggerRequest[] = [];
  const send = vi.fn(async (msg: TaggerRequest) => {
    calls.push(msg);
    switch (msg.type) {
      case 'tagging-context':
        return { status: 'ok', model: MODEL, tags: [], formIntents, handRaiseIntents: [...HAND_RAISE_INTENTS] } satisfies ReplyTo<'tagging-context'>;
      case 'tagging-form-intent':
        return msg.formId === 'refused'
          ? ({ status: 'problem', problem: 'invalid', message: 'invalid form intent' } satisfies ReplyTo<'tagging-form-intent'>)
          : ({ status: 'ok', model: { ...MODEL, draftVersion: 4 }, formIntents: msg.intent ? [{ formId: msg.formId, intent: msg.intent }] : [] } satisfies ReplyTo<'tagging-form-intent'>);
      default:
        return { status: 'ok' };
    }
  });
  return { send: send as unknown as Send, calls };
}

const flush = () => new Promise((r) => setTimeout(r, 5));
let tagger: Tagger | undefined;

async function open(file: string, path: string, formIntents: FormIntentOverride[] = []) {
  const parsed = new DOMParser().parseFromString(readFileSync(resolve('test/fixtures/pages/forms', file), 'utf8'), 'text/html');
  document.head.replaceChildren(...[...parsed.head.childNodes].map((n) => document.importNode(n, true)));
  document.body.replaceWith(document.importNode(parsed.body, true));
  history.replaceState(null, '', path);
  const bg = fakeBackground(formIntents);
  tagger = startTagger({ doc: document, send: bg.send, previewDelayMs: 0 });
  await flush();
  return bg;
}
const click = (el: Element) => el.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, composed: true }));
const control = () => tagger!.root.querySelector<HTMLElement>('.form-intent');
const choose = (value: string) => {
  const radio = control()!.querySelector<HTMLInputElement>(`input[value="${value}"]`)!;
  radio.checked = true;
  radio.dispatchEvent(new Event('change', { bubbles: true }));
};
const saveButton = () => [...control()!.querySelectorAll('button')].find((b) => b.textContent === 'Save for this form')!;

describe('tagging mode: is this form a hand-raise?', () => {
  beforeEach(() => void installBrowserStubs());
  afterEach(() => {
    tagger?.stop();
    setLanguage(undefined);
  });

  it("a field inside a newsletter form: the classifier's verdict and signal, not a hand-raise; marking it one writes the form's intent", async () => {
    const bg = await open('en-yamyam-mailchimp-newsletter.html', '/');
    expect(control()).toBeNull();
    click(document.querySelector('input[name="EMAIL"]')!);
    const c = control()!;
    expect(c.getAttribute('data-form-id')).toBe('mc-embedded-subscribe-form');
    expect(c.querySelector('[data-verdict]')!.textContent).toMatch(/^Leadglow reads it as a newsletter sign-up \(decided by .+ “.+”\)\.$/);
    expect(c.querySelector('[data-hand-raise]')!.textContent).toBe('Not a hand-raise.');
    expect(c.querySelector<HTMLInputElement>('input[value="auto"]')!.checked).toBe(true);
    expect((c.querySelector('select') as HTMLSelectElement).closest('label')!.hidden).toBe(true);

    choose('yes');
    const select = c.querySelector('select') as HTMLSelectElement;
    expect([...select.options].map((o) => o.value)).toEqual([...HAND_RAISE_INTENTS]);
    expect(select.value).toBe('contact');
    select.value = 'demo';
    saveButton().click();
    await flush();
    expect(bg.calls.at(-1)).toEqual({ type: 'tagging-form-intent', modelId: 'b2b-starter', formId: 'mc-embedded-subscribe-form', intent: 'demo' });
    expect(tagger!.root.textContent).toContain('Saved to the draft of B2B starter (version 4). It counts once the draft is published.');
    expect(document.querySelector('leadglow-tagger')!.getAttribute('data-state')).toBe('saved');
  });

  it('the form itself, already marked "not a hand-raise": says so beside what Leadglow reads; "let Leadglow decide" removes the mark (Swedish)', async () => {
    setLanguage('sv');
    const bg = await open('sv-badrum-kontakt-offert.html', '/kontakt-offert/', [{ formId: 'section>div>form:nth-child(2)', intent: 'other' }]);
    click(document.querySelector('form')!);
    const c = control()!;
    expect(c.getAttribute('data-form-id')).toBe('section>div>form:nth-child(2)');
    expect(c.querySelector('[data-verdict]')!.textContent).toBe('Markerat av marknadsföring som ett formulär; Leadglow självt läser en offertförfrågan.');
    expect(c.querySelector('[data-hand-raise]')!.textContent).toBe('Ingen handuppräckning.');
    expect(c.querySelector<HTMLInputElement>('input[value="no"]')!.checked).toBe(true);
    expect((c.querySelector('select') as HTMLSelectElement).value).toBe('other');
    choose('auto');
    [...c.querySelectorAll('button')].find((b) => b.textContent === 'Spara för det här formuläret')!.click();
    await flush();
    expect(bg.calls.at(-1)).toEqual({ type: 'tagging-form-intent', modelId: 'b2b-starter', formId: 'section>div>form:nth-child(2)', intent: null });
  });

  it('unmarked, the Swedish quote form is a hand-raise by its page address (Dutch wording)', async () => {
    setLanguage('nl');
    await open('sv-badrum-kontakt-offert.html', '/kontakt-offert/');
    click(document.querySelector('textarea[name="message"]')!);
    const c = control()!;
    expect(c.querySelector('[data-verdict]')!.textContent).toBe('Leadglow leest het als een offerteaanvraag (bepaald door het paginaadres /kontakt-offert/).');
    expect(c.querySelector('[data-hand-raise]')!.textContent).toBe('Een handopsteker: wie het verstuurt, is meteen klaar voor sales.');
    choose('no');
    expect((c.querySelector('select') as HTMLSelectElement).value).toBe('other');
  });

  it('a failed save shows the reason in the control and keeps the form open', async () => {
    document.body.innerHTML = '';
    const bg = await open('en-yamyam-mailchimp-newsletter.html', '/');
    document.querySelector('form')!.id = 'refused';
    click(document.querySelector('form')!);
    choose('yes');
    saveButton().click();
    await flush();
    expect(bg.calls.at(-1)).toMatchObject({ type: 'tagging-form-intent', formId: 'refused' });
    expect(control()!.querySelector('[role="status"]')!.textContent).toContain('invalid form intent');
    expect(saveButton().disabled).toBe(false);
  });
});

describe('which intents are a hand-raise, for the tagger', () => {
  it("follows the model's hand-raise rules on that page", () => {
    expect(handRaiseIntents(defaultModel, 'https://www.example.com/boka-demo')).toEqual([...HAND_RAISE_INTENTS]);
    const demoOnly = Model.parse({ ...defaultModel, handRaise: [{ id: 'demo', label: 'Demo', when: { types: ['form_submit'], intent: ['demo'] } }, { id: 'quote-on-offerte', label: 'Quote', when: { types: ['form_submit'], intent: ['quote'], path: '/offerte*' } }] });
    expect(handRaiseIntents(demoOnly, 'https://www.example.com/contact')).toEqual(['demo']);
    expect(handRaiseIntents(demoOnly, 'https://www.example.com/offerte-aanvragen')).toEqual(['demo', 'quote']);
  });
});
