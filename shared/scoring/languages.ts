import { english, fill, type Words } from './wording.ts';
import { NL_WORDS } from './words-nl.ts';
import { SV_WORDS } from './words-sv.ts';

// The wording catalogues for readers outside the extension (CLI, CSV): English, Dutch and
// Swedish. The extension words with its own `_locales`; these are copies of the same keys.

export const LANGUAGES = ['en', 'nl', 'sv'] as const;
export type Language = (typeof LANGUAGES)[number];

const dutch: Words = { lang: 'nl', say: (key, subs) => fill(NL_WORDS[key], subs) };
const swedish: Words = { lang: 'sv', say: (key, subs) => fill(SV_WORDS[key], subs) };

export const WORDS: Record<Language, Words> = { en: english, nl: dutch, sv: swedish };

export function isLanguage(tag: string): tag is Language {
  return (LANGUAGES as readonly string[]).includes(tag);
}
