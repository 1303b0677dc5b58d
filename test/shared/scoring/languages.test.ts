import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORDS } from '../../../shared/scoring/languages.ts';
import { stageName, wordReason, wordStageReason } from '../../../shared/scoring/wording.ts';
import { EN_WORDS } from '../../../shared/scoring/words-en.ts';
import { NL_WORDS } from '../../../shared/scoring/words-nl.ts';
import { SV_WORDS } from '../../../shared/scoring/words-sv.ts';

// The CLI's Dutch and Swedish wording catalogues are copies of the extension's: a rep reading the
// side panel and a marketer reading `leadglow leads --lang nl` see the same words.

const catalogue = (lang: string) => JSON.parse(readFileSync(resolve(`extension/public/_locales/${lang}/messages.json`), 'utf8')) as Record<string, { message: string }>;

describe('wording catalogues outside the extension', () => {
  for (const [lang, words] of [['en', EN_WORDS], ['nl', NL_WORDS], ['sv', SV_WORDS]] as const) {
    it(`${lang}: every key equals extension/public/_locales/${lang}`, () => {
      const ext = catalogue(lang);
      expect(Object.keys(words).sort()).toEqual(Object.keys(EN_WORDS).sort());
      for (const [key, text] of Object.entries(words)) expect(ext[key]?.message, key).toBe(text);
    });
  }

  it('words stages, stage reasons and reasons in each language', () => {
    expect(['en', 'nl', 'sv'].map((l) => stageName('sales_ready', WORDS[l as 'en']))).toEqual([catalogue('en').stageSalesReady!.message, catalogue('nl').stageSalesReady!.message, catalogue('sv').stageSalesReady!.message]);
    expect(wordStageReason({ kind: 'won' }, WORDS.nl)).toBe('gewonnen in het CRM');
    const reason = { rule: 'pricing', label: { en: 'Viewed pricing', nl: 'Bekeek de prijzen', sv: 'Tittade på priserna' }, points: 29, count: 2, evidence: { kind: 'visited' as const, page: '/pricing', title: 'Pricing' } };
    expect(wordReason(reason, WORDS.nl)).toBe('+29 Bekeek de prijzen: bezocht Pricing (/pricing), 2 keer');
    expect(wordReason(reason, WORDS.sv)).toBe('+29 Tittade på priserna: besökte Pricing (/pricing), 2 gånger');
  });
});
