import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isGenerated } from '../../extension/tagging/generated.ts';

// Generated names are judged by their letters, not by a count of capitals. Measured against
// names made the way the tools make them (seeded, so the figures are the same every run) and
// against the class names of the real sites in test/fixtures/pages/sites.

let seed = 42;
const random = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
/** styled-components' generateAlphabeticName over a 31-bit hash: base 52, `ad` split by `-`. */
function styledName(): string {
  const letter = (c: number) => String.fromCharCode(c + (c > 25 ? 39 : 97));
  let x = Math.floor(random() * 2 ** 31);
  let name = '';
  for (; x > 52; x = (x / 52) | 0) name = letter(x % 52) + name;
  return (letter(x % 52) + name).replace(/(a)(d)/gi, '$1-$2');
}
const NANO = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
const randomId = (n: number) => Array.from({ length: n }, () => NANO[Math.floor(random() * NANO.length)]).join('');
const rejected = (names: string[]) => names.filter(isGenerated).length / names.length;

const SITES = resolve('test/fixtures/pages/sites');
function classesOf(site: string): string[][] {
  const out: string[][] = [];
  for (const snap of readdirSync(join(SITES, site)).filter((d) => /^\d/.test(d)))
    for (const file of readdirSync(join(SITES, site, snap)))
      for (const m of readFileSync(join(SITES, site, snap, file), 'utf8').matchAll(/class="([^"]*)"/g)) out.push(m[1]!.split(/\s+/).filter(Boolean));
  return out;
}

describe('generated names', () => {
  it.each([
    ['css-1x2y3z', true], ['sc-bdVaJa', true], ['kDiMnO', true], ['iwOdwy', true], ['csHxrw', true], ['fuckUN', true],
    ['Button_primary__3xKz9', true], ['_3xKz9', true], [':r1:', true], ['«r1»', true], ['-SRzvlPxwz', true],
    ['Text__RegularNormalMedium-sc-12vzbfl-10', true], ['jsx-1801336552', true], ['makeStyles-root-12', true],
    ['_ngcontent-abc-c12', true], ['ng-tns-c12-0', true], ['ember123', true], ['menu-item-1021', true],
    ['elementor-element-7f3a2b1', true], ['7c1e5f20-4b8a-4f6c-9d1e-2a3b4c5d6e7f', true],
    ['pricing-title', false], ['site-navigation', false], ['primaryMenu', false], ['hero', false], ['compare', false],
    ['header-nav__item', false], ['block-footer__link', false], ['mainNavigation', false], ['hubSpotGetADemoForm', false],
    ['eCommercePlatform', false], ['smart-queueing', false], ['firstname', false], ['CTA', false], ['col2', false],
  ])('%s generated: %s', (name, generated) => expect(isGenerated(name)).toBe(generated));

  it('rejects at least 97% of styled-components class names and 99% of random 10-character ids', () => {
    const styled = Array.from({ length: 5000 }, styledName);
    const ids = Array.from({ length: 5000 }, () => randomId(10));
    expect(rejected(styled)).toBeGreaterThanOrEqual(0.97);
    expect(rejected(ids)).toBeGreaterThanOrEqual(0.99);
  });

  it('rejects the generated classes of a real styled-components site and keeps the written ones of a BEM site', () => {
    // telgorithm: `Name-sc-hash-n` is always followed by the component's generated class.
    const styled = classesOf('telgorithm').flatMap((c) => c.flatMap((name, i) => (i > 0 && /-sc-/.test(c[i - 1]!) ? [name] : [])));
    expect(new Set(styled).size).toBeGreaterThan(300);
    expect(rejected([...new Set(styled)])).toBeGreaterThanOrEqual(0.98);
    // resolvepay: BEM classes beside styled-jsx's `jsx-123`; numbered ones (`banner__column_2`) move, so they count as generated.
    const written = [...new Set(classesOf('resolvepay').flat().filter((n) => !/^jsx-\d+$|\d|\//.test(n)))];
    expect(written.length).toBeGreaterThan(100);
    expect(rejected(written)).toBeLessThanOrEqual(0.01);
  });
});
