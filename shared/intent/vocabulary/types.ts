import type { FormIntent } from '../../contracts/event.ts';

/**
 * One language's words for each intent, as data. A phrase is words separated by spaces; a word
 * ending in `*` matches any word that starts with it ("offert*" matches "offertförfrågan"), so
 * compounds need one entry. Text is compared lowercased, split into words at anything that is
 * not a letter or digit, and at camelCase humps ("demoRequest" is "demo request").
 */
export type Vocabulary = { [I in Exclude<FormIntent, 'other'>]?: readonly string[] };
