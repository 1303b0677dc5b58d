// @vitest-environment happy-dom
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isStableClass, resolveUnique, selectorFor } from '../../extension/tagging/selector.ts';

// As @medv/finder's own tests: every element of a saved page gets a selector that matches it
// and nothing else. On top: no part of it was made by a build tool.

const DIR = resolve('test/fixtures/pages');
const PAGES = readdirSync(DIR).filter((f) => f.endsWith('.html'));
const GENERATED_IN_FIXTURES = /css-|sc-|kDiMnO|fWhTeu|e1btn|menu-item-\d|elementor-element-|postid|post-4182|7c1e5f20|hsForm_|mc4wp-form-\d|label-email|nav_menu-\d|text-4\b/;

function load(file: string): Document {
  // happy-dom would try (and fail, loudly) to fetch the page's stylesheets.
  const html = readFileSync(resolve(DIR, file), 'utf8').replace(/<link rel="stylesheet"[^>]*>/g, '');
  return new DOMParser().parseFromString(html, 'text/html');
}


describe.each(PAGES)('selectors on %s', (file) => {
  const doc = load(file);
  const elements = [...doc.body.querySelectorAll('*')];

  it('has enough elements to mean something', () => {
    expect(elements.length).toBeGreaterThan(80);
  });

  it('gives every element a selector that matches it and only it', () => {
    const wrong: string[] = [];
    for (const el of elements) {
      const selector = selectorFor(el);
      if (resolveUnique(doc, selector) !== el) wrong.push(`${el.tagName.toLowerCase()} -> ${selector}`);
    }
    expect(wrong).toEqual([]);
  });

  it('uses no generated class or id, and prefers written attributes for links and buttons', () => {
    const interactive = [...doc.body.querySelectorAll('a[href], button, input, select, textarea, summary')];
    const selectors = interactive.map((el) => selectorFor(el));
    expect(selectors.filter((s) => GENERATED_IN_FIXTURES.test(s))).toEqual([]);
    // Most links and buttons are named by what their authors wrote, not by their position.
    const positional = selectors.filter((s) => /:nth-/.test(s));
    expect(positional.length).toBeLessThan(interactive.length / 2);
  });
});

it('names the tagged pricing button by its written attributes', () => {
  const doc = load('saas-pricing.html');
  const demo = doc.querySelector('[data-leadglow-tag="demo"]')!;
  expect(selectorFor(demo)).toBe('[data-leadglow-tag="demo"]');
  expect(selectorFor(doc.getElementById('pricing-title')!)).toBe('#pricing-title');
});

describe('stable classes', () => {
  it('keeps utility classes out', () => {
    expect(isStableClass('px-4')).toBe(false);
    expect(isStableClass('md:flex')).toBe(false);
    expect(isStableClass('related-card__link')).toBe(true);
  });
});
