import { RE2JS } from 're2js';

// Regular expressions written by admins (`urlRegex`, attribute `pattern`) run on text that
// visitors control: page URLs and the traits they type into forms. JavaScript's engine
// backtracks, so `(a+)+$` doubles its work with each character and one page view could hold
// the server's only thread (issue 18). These run in RE2JS instead, a port of RE2 whose time is
// linear in the text whatever the pattern. The price is RE2 syntax: no look-around and no
// back-references, which validation reports on the field.

/** Longest text a pattern is tried on; longer text never matches (URLs are at most 2,048). */
export const MAX_REGEX_TEXT = 4096;

export type LinearRegex = { test(text: string): boolean };

const NEVER: LinearRegex = { test: () => false };

/**
 * Compiles `source` to a case-insensitive, unanchored, linear-time test. A pattern RE2 refuses
 * (one stored before validation asked for RE2 syntax) never matches, rather than stopping scoring.
 */
export function linearRegex(source: string): LinearRegex {
  let re: RE2JS;
  try {
    re = RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);
  } catch {
    return NEVER;
  }
  return { test: (text) => text.length <= MAX_REGEX_TEXT && re.test(text) };
}

/** Why `source` is not a pattern linearRegex accepts, or undefined when it is. */
export function linearRegexError(source: string): string | undefined {
  try {
    RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);
    return undefined;
  } catch (error) {
    const why = error instanceof Error ? error.message.replace(/^error parsing regexp: /, '') : String(error);
    return `expected a regular expression in RE2 syntax (no look-around or back-references): ${why}`;
  }
}
