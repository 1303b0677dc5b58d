import type { FormIntent } from '../../contracts/event.ts';

/**
 * One language's words for each intent, as data. A phrase is words separated by spaces; a word
 * ending in `*` matches any word that starts with it ("offert*" matches "offertförfrågan"), so
 * compounds need one entry. Text is compared lowercased, split into words at anything that is
 * not a letter or digit, and at camelCase humps ("demoRequest" is "demo request"). `other` holds
 * words of forms known to be about something else (a blog's comment form), so a word elsewhere
 * on the page (a title with "quote" in it) cannot make them a hand-raise.
 */
export type Vocabulary = { [I in FormIntent]?: readonly string[] };
