// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { fit, inScope, tagTargets } from '../../sdk/tag-match.ts';
import type { TaggedElement } from '../../shared/contracts/marketing.ts';

// How the tags script finds a tag's element: page scope, the selector's matches checked
// against the fingerprint, and the fingerprint alone when the selector broke. The corpus test
// (test/e2e/tagging-corpus.test.ts) measures the same on real deploys.

const demo = { tag: 'a', text: 'Book a demo', href: '/demo', index: 1 };
const tag = (over: Partial<TaggedElement>): TaggedElement => ({ selector: '.cta > a', tag: 'demo', fingerprint: demo, ...over });
const ids = (els: Element[]) => els.map((e) => e.id);

describe('tagTargets', () => {
  it('the selector, when its match is still the element: by selector', () => {
    document.body.innerHTML = '<div class="cta"><a id="x" href="/demo">Book a demo</a></div>';
    expect(tagTargets(tag({}), '/')).toMatchObject({ by: 's' });
    expect(ids(tagTargets(tag({}), '/').els)).toEqual(['x']);
  });

  it('a reworded button the selector still finds stays found by selector (text or link may change, not both)', () => {
    document.body.innerHTML = '<div class="cta"><a id="x" href="/demo">Talk to us</a></div>';
    expect(ids(tagTargets(tag({}), '/').els)).toEqual(['x']);
    expect(tagTargets(tag({}), '/').by).toBe('s');
  });

  it('a deploy that renamed the class: the fingerprint finds it, by the same text and link, best place first', () => {
    document.body.innerHTML = '<nav><a id="other" href="/demo">Demo</a><div class="hero"><a id="first" href="/">Home</a><a id="y" href="/demo"> Book  a demo </a></div></nav>';
    const found = tagTargets(tag({}), '/');
    expect(found.by).toBe('f');
    expect(ids(found.els)).toEqual(['y']);
  });

  it('the selector now picks another element: it does not count; the fingerprint finds the right one', () => {
    document.body.innerHTML = '<div class="cta"><a id="wrong" href="/pricing">Pricing</a></div><p><a id="right" href="/demo">Book a demo</a></p>';
    expect(ids(tagTargets(tag({}), '/').els)).toEqual(['right']);
  });

  it('nothing with the same text and link: lost, rather than counting something else', () => {
    document.body.innerHTML = '<a id="a" href="/demo">Demo</a><a id="b" href="/book">Book a demo</a><button id="c">Book a demo</button>';
    expect(tagTargets(tag({}), '/')).toEqual({ els: [], by: 'n' });
  });

  it('off the tag\'s pages, nothing; an invalid scope or selector throws nothing', () => {
    document.body.innerHTML = '<div class="cta"><a id="x" href="/demo">Book a demo</a></div>';
    expect(tagTargets(tag({ scope: '^/pricing$' }), '/')).toEqual({ els: [], by: 'n' });
    expect(ids(tagTargets(tag({ scope: '^/pricing$' }), '/Pricing').els)).toEqual(['x']);
    expect(inScope(tag({ scope: '(' }), '/')).toBe(false);
    expect(ids(tagTargets(tag({ selector: 'div[' }), '/').els)).toEqual(['x']);
    expect(tagTargets(tag({ selector: 'div[', fingerprint: { tag: '<a>', text: 'x' } }), '/')).toEqual({ els: [], by: 'n' });
  });

  it('without a fingerprint: the selector\'s matches as they are', () => {
    document.body.innerHTML = '<h1 id="h">Plans</h1>';
    const bare = { selector: 'h1', tag: 'title' };
    expect(tagTargets(bare, '/')).toMatchObject({ by: 's' });
    expect(tagTargets({ ...bare, selector: 'h2' }, '/')).toEqual({ els: [], by: 'n' });
  });
});

describe('fit', () => {
  it('another kind never fits; role and place break ties', () => {
    document.body.innerHTML = '<p><a id="a" href="/demo">Book a demo</a><a id="b" href="/demo" role="button">Book a demo</a></p><span id="s">Book a demo</span>';
    const el = (id: string) => document.getElementById(id)!;
    expect(fit(el('s'), demo, false)).toBe(-1);
    const asButton = { ...demo, role: 'button' };
    expect(fit(el('b'), asButton, true)).toBe(1 + 4 + 4 + 1 + 1);
    expect(fit(el('a'), asButton, true)).toBe(1 + 4 + 4);
    expect(ids(tagTargets(tag({ selector: '.gone', fingerprint: asButton }), '/').els)).toEqual(['b']);
  });
});
