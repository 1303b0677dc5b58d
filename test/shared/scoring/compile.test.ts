import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileModel, compileEventMatch } from '../../../shared/scoring/compile.ts';
import { defaultModel } from '../../../shared/scoring/default-model.ts';
import { applyEvents, emptyState } from '../../../shared/scoring/interest.ts';
import { page } from './make-events.ts';

// URL tests (path globs, URL patterns, only-visited paths) are decided once per distinct URL
// and kept; they must answer what the rule's own matcher answers, for every URL, also after
// the memo was started over.

const urls = fc
  .tuple(
    fc.constantFrom('https://www.example-saas.com', 'http://acme.se', 'https://x.nl'),
    fc.array(fc.constantFrom('pricing', 'prijzen', 'priser', 'demo', 'boka-demo', 'contact', 'kontakta-oss', 'product', 'blog', 'careers', 'Jobb', 'case-study', 'x', 'PRICING'), { maxLength: 4 }),
    fc.constantFrom('', '?utm=1', '#top', '/'),
  )
  .map(([origin, parts, tail]) => `${origin}/${parts.join('/')}${tail}`);

describe('URL facts', () => {
  it('match each rule as its own matcher does, whatever the URL', () => {
    const c = compileModel(defaultModel);
    const pageRules = c.interest.filter(({ rule }) => rule.when.types?.includes('page_view'));
    fc.assert(
      fc.property(urls, (url) => {
        const e = page('/', 0, { url });
        const direct = pageRules.map(({ rule }) => compileEventMatch(rule.when)(e, new URL(url).pathname.toLowerCase()));
        const folded = applyEvents(defaultModel, emptyState(defaultModel), [e]);
        const awarded = pageRules.map(({ rule }) => folded.rules[rule.id] !== undefined);
        expect(awarded).toEqual(direct);
      }),
      { numRuns: 300 },
    );
  });

  it('keep answering right after more distinct URLs than the memo keeps', () => {
    const c = compileModel(defaultModel);
    const pricing = c.urlFacts.of('https://a.io/pricing');
    for (let i = 0; i < 12_000; i++) c.urlFacts.of(`https://a.io/blog/${i}`);
    const again = c.urlFacts.of('https://a.io/pricing');
    expect([...again]).toEqual([...pricing]);
    expect(again.some((b) => b === 1)).toBe(true);
    expect(c.urlFacts.of(undefined).every((b) => b === 0)).toBe(true);
  });
});
