// Does a class or id look written by a person, or made by a build tool or a runtime? A tag's
// selector must outlive the next deploy, and generated names change with it: styled-components
// hashes (`iwOdwy`, `Text__Body-sc-12vzbfl-10`), emotion (`css-1x2y3z`), CSS modules
// (`Button_primary__3xKz9`), JSS (`makeStyles-root-12`), styled-jsx (`jsx-1801336552`), React's
// `:r1:` ids, Angular's `_ngcontent-abc-c12`, per-render random ids (`-SRzvlPxwz`).
//
// Known shapes first; then each word of the name is judged by its letters. Authored words are
// lowercase, Capitalised or camelCase with humps of real syllables; random letters mix cases
// anywhere and run consonants together. Measured in test/extension/tagging-generated.test.ts
// against random names made the way those tools make them, and against every authored class of
// the corpus sites.

const KNOWN = [
  /^(css|sc|jsx|emotion|styled|svelte|astro|tw|ng|ember|chakra|makeStyles|jss|glamor|jsx)[-_]/i, // tool prefixes
  /-sc-[a-z0-9]+(-\d+)?$/i, // styled-components display names: `Name-sc-12vzbfl-10`
  /^_|__(?=[\w-]{5}$)[\w-]*[\dA-Z]/, // CSS modules: `_3xKz9`, `Button_primary__3xKz9` (BEM's `block__title` is written)
  /[:«»]/, // React ids: `:r1:`, `«r1»`; also Tailwind variants (`md:flex`), never a stable name
  /^(ember|jss|ext-gen|yui_|ui-id-|mui-|radix-|headlessui-|react-select-|downshift-|rc-)/i, // runtime counters
  /^ng-(tns|star|untouched|pristine|valid|invalid|dirty|touched)/, // Angular's state classes
  /[0-9a-f]{8}-[0-9a-f]{4}/i, // UUIDs
];

const VOWELS = /[aeiouy]/i;
/** Consonant pairs of English words, class-name vocabulary included (`admin`, `column`, `headline`, `subtitle`). */
const PAIRS = new Set(
  ('bl br bj bm bs bt bb ch ck cl cr ct cc cq dl dm dr dj dg dd dn ds dw fl fr ft ff fs gh gl gr gn gt gs gg hl hm hn hr ht hs ' +
    'kl kn ks lb lc ld lf lg lk ll lm ln lp ls lt lv lw mb mm mn mp ms nc nd nf ng nk nl nm nn ns nt nv nj nh nq nx ' +
    'ph pl pp pr ps pt pd pf rb rc rd rf rg rk rl rm rn rp rr rs rt rv rw rh rq sc sh sk sl sm sn sp sq ss st sw sf sb ' +
    'th tr ts tt tw tc tl tn tm wh wn wr wl wd ws wk wt xt xp xc xl zz ' +
    'gm lq mf nr rj sd tb tf tp tg vs dv xh bh lh kt dt np kg ck mt ds nz rz tz bp')
    .split(' '),
);

/** Looks made by a build tool or a runtime rather than written by a person. */
export function isGenerated(value: string): boolean {
  if (!value || value.length > 60) return true;
  if (KNOWN.some((re) => re.test(value))) return true;
  if (/^\d/.test(value) || /[-_]\d+$/.test(value)) return true; // numbered by a CMS or a loop: the number moves
  if (/\d{3,}/.test(value)) return true;
  return value.split(/[-_.]+/).some(randomWord);
}

/** One word of a name (between separators) that no person would have typed. */
export function randomWord(word: string): boolean {
  if (word.length < 4) return false; // `btn`, `nav`, `h2`, `lg`: too short to judge, and harmless
  if (/\d/.test(word)) {
    // `col2`, `h2title`, `grid12` are words with a number; `x2y3z`, `a1b2c`, `3xKz9` are hashes.
    if (/[a-z]\d+[a-z]/i.test(word) || /^\d/.test(word)) return true;
    if ((word.match(/\d/g)?.length ?? 0) * 3 > word.length) return true;
    word = word.replace(/\d+$/, '');
    if (word.length < 4) return false;
  }
  if (/^[A-Z]+$/.test(word)) return word.length > 4; // acronyms: `CTA`, `FAQ`, `HERO`; five capitals are a hash (`TFOAX`)
  // Authored shapes: `button`, `Button`, `navBar`, `PrimaryCta`, `mainNavigation`.
  const humps = word.match(/[A-Z]?[a-z]+|[A-Z]+(?![a-z])/g) ?? [];
  if (humps.join('') !== word) return true;
  for (const [i, hump] of humps.entries()) {
    if (/^[A-Z]+$/.test(hump) && hump.length > 1 && i < humps.length - 1) return true; // `ABtn`? rare; `UN` in the middle
    if (/^[A-Z]{2,}$/.test(hump) && humps.length > 1 && !/^(UI|ID|URL|CTA|FAQ|API|SEO|PDF|SVG|CSS|HTML|CTA|FAQS)$/.test(hump)) return true; // `fuckUN`, `bBDUSe`
    const letters = hump.toLowerCase();
    // A hump of one or two letters after the first is a random capital, not a word (`csHxrw`: `Hxrw` passes, `cs` is too short to start).
    // `eCommerce`, `getADemo`, `isOpen` have short humps too.
    const short = letters.length < 3 && !/^(is|my|on|to|no|go|up|at|in|of|by|or|me|us|we|a)$/.test(letters) && !(i === 0 && /^[ei]$/.test(letters));
    if (short && (i > 0 || humps.length > 1)) return true;
    if (!pronounceable(letters)) return true;
  }
  return false;
}

/** Has vowels, and no run of more than three consonants (`strength` passes: `ngth` is four). */
function pronounceable(letters: string): boolean {
  if (letters.length < 3) return VOWELS.test(letters) || letters.length < 2;
  if (!VOWELS.test(letters)) return false;
  const run = Math.max(...(letters.match(/[^aeiouy]+/g) ?? ['']).map((r) => r.length));
  if (run > 4) return false;
  // Two consonants side by side that English words (and their compounds) do not put together: `dv`, `cx`, `hx`, `gq`.
  for (let i = 1; i < letters.length; i++) {
    const pair = letters.slice(i - 1, i + 1);
    if (/^[^aeiouy]{2}$/.test(pair) && !PAIRS.has(pair) && !(pair[1] === 's' && i === letters.length - 1)) return false;
  }
  if (/([aeiu])\1|^[^aeiouy]{2}(?<!^(bl|br|ch|cl|cr|dr|fl|fr|gl|gr|kn|ph|pl|pr|sc|sh|sk|sl|sm|sn|sp|st|sw|th|tr|tw|wh|wr|gh|qu))/.test(letters)) return false;
  // Random letters are one vowel in five or fewer; words are one in three or more.
  const vowels = letters.match(/[aeiouy]/g)!.length;
  return letters.length < 6 || vowels / letters.length >= 0.2;
}
