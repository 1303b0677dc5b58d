// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { canStep, IDLE, nextSelection, shownElement } from '../../extension/tagging/selection.ts';
import { fingerprintOf, inSiteChrome, snapTarget, targetChain } from '../../extension/tagging/target.ts';

// What a click means: the control around the innermost element it hit, with the steps a
// marketer can widen to; and who that element is, for the snippet's fallback.

function page(html: string): Document {
  return new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
}

describe('snapping and steps', () => {
  const doc = page(`<header><nav><a href="/pricing"><svg></svg><span>Pricing</span></a></nav></header>
    <main><form id="f"><label>Email <input name="email"></label><button type="submit"><i></i> Send</button></form>
    <article aria-labelledby="t"><h3 id="t">Case</h3><p>text</p></article></main>`);

  it('snaps an icon or a span to its link or button, and leaves other elements as they are', () => {
    expect(snapTarget(doc.querySelector('nav span')!)).toBe(doc.querySelector('nav a'));
    expect(snapTarget(doc.querySelector('button i')!)).toBe(doc.querySelector('button'));
    expect(snapTarget(doc.querySelector('article p')!)).toBe(doc.querySelector('article p'));
  });

  it('offers the control, then forms and labelled cards, from what was hit up to the page', () => {
    const { chain, snapIndex } = targetChain(doc.querySelector('button i')!);
    expect(chain.map((e) => e.localName)).toEqual(['i', 'button', 'form']);
    expect(snapIndex).toBe(1);
    expect(targetChain(doc.querySelector('article p')!).chain.map((e) => e.localName)).toEqual(['p', 'article']);
  });

  it('moves through the steps as a state machine, never past either end, and ignores hovering while chosen', () => {
    let s = nextSelection(IDLE, { type: 'hover', el: doc.querySelector('h3')! });
    expect(shownElement(s)?.localName).toBe('h3');
    const { chain, snapIndex } = targetChain(doc.querySelector('button i')!);
    s = nextSelection(s, { type: 'click', chain, index: snapIndex });
    expect(shownElement(s)?.localName).toBe('button');
    expect(canStep(s)).toEqual({ widen: true, narrow: true });
    s = nextSelection(nextSelection(s, { type: 'widen' }), { type: 'widen' });
    expect(shownElement(s)?.localName).toBe('form');
    expect(canStep(s).widen).toBe(false);
    expect(nextSelection(s, { type: 'hover', el: doc.querySelector('h3')! })).toBe(s);
    expect(nextSelection(s, { type: 'clear' })).toBe(IDLE);
  });
});

describe('fingerprint', () => {
  const doc = page(`<nav><a href="/a">One</a><a href="/pricing">  Pricing
     plans </a></nav><footer><button></button><a href="javascript:void(0)">Menu</a></footer>`);

  it('keeps kind, text, link and place among its kind; nothing for an element without text or link', () => {
    expect(fingerprintOf(doc.querySelectorAll('a')[1]!)).toEqual({ tag: 'a', text: 'Pricing plans', href: '/pricing', index: 1 });
    expect(fingerprintOf(doc.querySelector('button')!)).toBeUndefined();
    expect(fingerprintOf(doc.querySelector('footer a')!)).toEqual({ tag: 'a', text: 'Menu', index: 0 });
    expect(inSiteChrome(doc.querySelector('footer a')!)).toBe(true);
  });
});
