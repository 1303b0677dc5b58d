import { browser } from 'wxt/browser';
import type { Words } from '../shared/scoring/wording.ts';
import { fill } from '../shared/scoring/wording.ts';
import en from './public/_locales/en/messages.json';
import nl from './public/_locales/nl/messages.json';
import sv from './public/_locales/sv/messages.json';

// Text in the rep's language. The catalogues are `_locales/` (also read by the browser for the
// manifest), bundled so a page can be shown in a language other than the browser's (`?lang=nl`,
// used for store screenshots and by reps who read another language than their browser's).
// The key type comes from the English file. Plural forms are keys ending One/Other.
export type MessageKey = Extract<keyof typeof en, string>;
export const LANGUAGES = ['en', 'nl', 'sv'] as const;
export type Language = (typeof LANGUAGES)[number];

type Catalogue = Record<string, { message: string } | undefined>;
const CATALOGUES: Record<Language, Catalogue> = { en, nl, sv };

type I18n = { getUILanguage(): string };
let chosen: Language | undefined;

/** The supported language for a BCP 47 tag (`nl-BE` → `nl`), English otherwise. */
export function languageOf(tag: string | null | undefined): Language {
  const base = (tag ?? '').slice(0, 2).toLowerCase();
  return (LANGUAGES as readonly string[]).includes(base) ? (base as Language) : 'en';
}

export function setLanguage(tag: string | null | undefined): void {
  chosen = tag ? languageOf(tag) : undefined;
}

/** The language pages show: as set, else the browser's. */
export function uiLanguage(): Language {
  if (chosen) return chosen;
  try {
    return languageOf((browser.i18n as unknown as I18n).getUILanguage());
  } catch {
    // why: no browser i18n here (a page opened outside the extension, a unit test): English.
    return 'en';
  }
}

export function t(key: MessageKey, subs?: readonly (string | number)[]): string {
  const message = CATALOGUES[uiLanguage()][key]?.message ?? (en as Catalogue)[key]?.message;
  return message === undefined ? key : fill(message, subs?.map(String));
}

/** The one-or-other form of `key` for `n`, with `n` in the reader's number format as `$1`. */
export function tn(key: string, n: number, subs: readonly (string | number)[] = []): string {
  const lang = uiLanguage();
  const form = new Intl.PluralRules(lang).select(n) === 'one' ? 'One' : 'Other';
  return t(`${key}${form}` as MessageKey, [new Intl.NumberFormat(lang).format(n), ...subs]);
}

/** The catalogue as the shared wording functions want it (reasons, stages, next steps). */
export const words: Words = {
  get lang() {
    return uiLanguage();
  },
  say: (key, subs) => t(key, subs),
};

/** For entry points: `?lang=` on the page's URL chooses the language; sets `<html lang>`. */
export function languageFromPage(): void {
  setLanguage(new URLSearchParams(location.search).get('lang'));
  document.documentElement.lang = uiLanguage();
}
