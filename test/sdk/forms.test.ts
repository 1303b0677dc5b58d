// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { FormSubmitEvent, IdentifyEvent } from '../../shared/contracts/event.ts';
import { withPersonTraits } from '../../shared/intent/index.ts';
import { traitOf, watchForms } from '../../sdk/forms.ts';

const FORM = `
<form id="contact" action="/thanks">
  <input type="email" name="work_email" value="ada@acme.io">
  <input name="firstname" value="Ada"><input name="lastname" value="Lovelace">
  <input name="company" value="Acme">
  <input name="jobtitle" value="CTO">
  <input type="password" name="pw" value="secret">
  <input type="hidden" name="csrf" value="tok">
  <input name="cardnumber" autocomplete="cc-number" value="4111111111111111">
  <input name="exp" autocomplete="billing cc-exp" value="12/30">
  <input type="radio" name="size" value="1"><input type="radio" name="size" value="2">
  <textarea name="message">my private thoughts</textarea>
  <input name="skip_me" data-leadglow-ignore value="x">
  <fieldset data-leadglow-ignore><input name="internal_ref" value="y"></fieldset>
  <fieldset name="group"></fieldset><output name="total">3</output><button type="button" name="more">More</button>
  <button type="submit" name="go">Send</button>
</form>`;

function setup(html = FORM) {
  document.body.innerHTML = html;
  const emit = vi.fn();
  watchForms(emit);
  return emit;
}

describe('forms', () => {
  it('records form id and field names (no password, hidden, payment, ignored, button, fieldset or output fields) and never values', () => {
    const emit = setup();
    document.querySelector('form')!.requestSubmit();
    const submit = emit.mock.calls[0]![0];
    expect(submit).toEqual({
      type: 'form_submit',
      formId: 'contact',
      // Raw: the contract drops the radio group's repeat and tidies the rest on the server.
      fields: ['work_email', 'firstname', 'lastname', 'company', 'jobtitle', 'size', 'size', 'message'],
      formName: null,
      formClass: null,
      action: '/thanks',
      autocomplete: ['cc-number', 'billing cc-exp'],
      kinds: ['password'],
      button: 'Send',
      heading: undefined,
    });
    expect(JSON.stringify(submit)).not.toMatch(/secret|4111|private|Acme/);
    const stored = FormSubmitEvent.parse({ ...submit, id: '0190a0a0-0000-7000-8000-000000000000', ts: 1_700_000_000_000, site: 's', anonymousId: 'a', sessionId: 'b', url: 'https://x.io/' });
    expect(stored).toMatchObject({ fields: ['work_email', 'firstname', 'lastname', 'company', 'jobtitle', 'size', 'message'], action: '/thanks', button: 'Send', kinds: ['password'] });
    expect(stored.formName).toBeUndefined();
  });

  it('sends identify (source form) with the email and the identity-like fields, which the server sorts into name, company and job title', () => {
    const emit = setup();
    document.querySelector('form')!.requestSubmit();
    const identify = emit.mock.calls[1]![0];
    expect(identify).toEqual({
      type: 'identify',
      source: 'form',
      traits: { email: 'ada@acme.io' },
      person: [
        ['email null work_email', 'ada@acme.io'],
        ['text null firstname', 'Ada'],
        ['text null lastname', 'Lovelace'],
        ['text null company', 'Acme'],
        ['text null jobtitle', 'CTO'],
      ],
    });
    expect(JSON.stringify(emit.mock.calls)).not.toMatch(/secret|4111|private thoughts/);
    // What ingest makes of it (withPersonTraits), through the real contract.
    const event = IdentifyEvent.parse({ ...identify, id: '0190a0a0-0000-7000-8000-000000000000', ts: 1_700_000_000_000, site: 's', anonymousId: 'a', sessionId: 'b', url: 'https://x.io/' });
    expect(withPersonTraits(event)).toMatchObject({ traits: { email: 'ada@acme.io', name: 'Ada Lovelace', company: 'Acme', jobTitle: 'CTO' } });
    expect(withPersonTraits(event)).not.toHaveProperty('person');
  });

  it('reads the submit button, the nearest heading before the form, and an icon button by its aria-label', () => {
    let emit = setup('<h1>Site</h1><section><h2>Boka demo</h2><div><p>Fyll i</p><form id="f"><input name="email"><button aria-label="Skicka"><svg></svg></button></form></div></section>');
    document.querySelector('form')!.requestSubmit();
    expect(emit.mock.calls[0]![0]).toMatchObject({ formId: 'f', button: 'Skicka', heading: 'Boka demo' });
    emit = setup('<form id="g"><legend>Offerte aanvragen</legend><input type="submit" value="Verstuur"></form><h2>After</h2>');
    document.querySelector('form')!.requestSubmit();
    expect(emit.mock.calls[0]![0]).toMatchObject({ button: 'Verstuur', heading: 'Offerte aanvragen' });
  });

  it('no email field or an invalid address: no identify', () => {
    // type=text: a browser would not submit an invalid type=email field at all.
    const emit = setup('<form name="search"><input name="q" value="pricing"><input name="email" value="not-an-email"></form>');
    document.querySelector('form')!.requestSubmit();
    expect(emit).toHaveBeenCalledTimes(1);
    expect(emit.mock.calls[0]![0]).toMatchObject({ formId: 'search', fields: ['q', 'email'] });
  });

  it('names a form without id or name by a short selector, and is not fooled by a field named "id"', () => {
    const emit = setup('<main id="app"><form></form><form><input name="id" value="1"></form></main>');
    document.querySelectorAll('form')[1]!.requestSubmit();
    expect(emit.mock.calls[0]![0].formId).toBe('#app>form:nth-child(2)');
    expect(document.querySelector('#app>form:nth-child(2)')).toBe(document.querySelectorAll('form')[1]);
  });

  it('skips forms marked data-leadglow-ignore', () => {
    const emit = setup('<div data-leadglow-ignore><form id="f"><input name="a"></form></div>');
    document.querySelector('form')!.requestSubmit();
    expect(emit).not.toHaveBeenCalled();
  });

  it('detects traits from the field line "type autocomplete name"', () => {
    expect(traitOf('email null x')).toBe('email');
    expect(traitOf('text section-a email x')).toBe('email');
    expect(traitOf('text  your-email')).toBe('email');
    expect(traitOf('text organization-title x')).toBe('jobTitle');
    expect(traitOf('text organization x')).toBe('company');
    expect(traitOf('text  company_name')).toBe('company');
    expect(traitOf('text name x')).toBe('name');
    expect(traitOf('text  full_name')).toBe('name');
    expect(traitOf('text given-name x')).toBe('first');
    expect(traitOf('text  last_name')).toBe('last');
    expect(traitOf('text null fname')).toBe('first');
    for (const line of ['text  message', 'text  username', 'text additional-name x', 'text null name_suffix']) expect(traitOf(line)).toBeUndefined();
  });
});
