import { describe, expect, it } from 'vitest';
import { personTraits, traitOf } from '../../../shared/intent/traits.ts';

// Who filled in a form, from its field lines ("type autocomplete name"), as the server sorts an
// identify event's `person` fields. The field names are those of the corpus forms
// (test/fixtures/pages/forms), which the Chromium run in test/e2e/intent.test.ts submits.

describe('personTraits', () => {
  it("reads Zoho's Name_First and Name_Last (nl-sterkado-zoho-offerte.html) as first and last name", () => {
    expect(traitOf('text null Name_First')).toBe('first');
    expect(traitOf('text null Name_Last')).toBe('last');
    expect(personTraits([['text null SingleLine', 'Van der Linden Bouw'], ['text null Name_First', 'Sanne'], ['text null Name_Last', 'Bakker'], ['text null Email', 'sanne@vanderlinden-bouw.nl']])).toEqual({ name: 'Sanne Bakker' });
  });

  it('keeps what is not a name part out', () => {
    for (const line of ['text null name_suffix', 'text null Name_Prefix', 'text null firstname_hint', 'text null username']) expect(traitOf(line), line).toBeUndefined();
  });
});
