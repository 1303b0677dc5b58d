import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { globMatcher, globMatches, MAX_GLOB_TEXT } from '../../../shared/scoring/glob.ts';
import { linearRegex, linearRegexError, MAX_REGEX_TEXT } from '../../../shared/linear-regex.ts';

// A reference for globs: the escaped regular expression they used to be (exponential on
// hostile input, so only run here on short text).
const reference = (glob: string, text: string): boolean =>
  new RegExp(`^${glob.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i').test(text);

const elapsed = (f: () => void): number => {
  const t = performance.now();
  f();
  return performance.now() - t;
};

describe('globMatcher', () => {
  it('agrees with the regular expression it replaces', () => {
    const piece = fc.constantFrom('a', 'b', '/', '*', '.', 'ab', '-');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), fc.array(fc.constantFrom('a', 'b', '/', '.', '-'), { maxLength: 12 }), (g, t) => {
        const glob = g.join('');
        const text = t.join('');
        expect(globMatcher(glob)(text)).toBe(reference(glob, text));
      }),
      { numRuns: 3000 },
    );
  });

  it('ignores case and matches whole', () => {
    expect(globMatches('/Case-Studies/*', '/case-studies/acme')).toBe(true);
    expect(globMatches('/pricing', '/pricing/extra')).toBe(false);
    expect(globMatches('*a*b', 'ab')).toBe(true);
    expect(globMatches('a*a', 'a')).toBe(false);
  });

  it('takes linear time on the glob that froze the server', () => {
    // Backtracking tried every split: with 30 stars and a 30-character path this took 25 s.
    const glob = `${'*a'.repeat(200)}*b`;
    const test = globMatcher(glob);
    const text = 'a'.repeat(MAX_GLOB_TEXT);
    expect(elapsed(() => expect(test(text)).toBe(false))).toBeLessThan(1000);
    expect(test(`${'a'.repeat(300)}b`)).toBe(true);
    expect(test(`${'a'.repeat(MAX_GLOB_TEXT)}b`)).toBe(false); // over the length bound
  });
});

describe('linearRegex', () => {
  it('runs nested quantifiers in linear time', () => {
    for (const source of ['(a+)+$', '(a|aa)+$', '(.*a){20}$', '^(\\w+\\s?)*$']) {
      const re = linearRegex(source);
      expect(elapsed(() => re.test(`${'a'.repeat(MAX_REGEX_TEXT - 1)}!`))).toBeLessThan(2000);
    }
    expect(linearRegex('(a+)+$').test('aaaa')).toBe(true);
    expect(linearRegex('\\bmanager\\b').test('Sales MANAGER')).toBe(true);
  });

  it('explains what RE2 refuses, and never matches with it', () => {
    expect(linearRegexError('(?=a)b')).toMatch(/RE2 syntax.*look-around/);
    expect(linearRegexError('(a)\\1')).toMatch(/RE2 syntax/);
    expect(linearRegexError('(unclosed')).toMatch(/missing closing \)/);
    expect(linearRegexError('^/pricing(/|$)')).toBeUndefined();
    expect(linearRegex('(?=a)b').test('ab')).toBe(false);
  });
});
