// Runs inside a corpus page: picks what a marketer would tag, reproduces their click with the
// same hit test the overlay gets (the element at the point under the pointer), saves a tag the
// way the tagger does, and later checks which elements a saved tag would count clicks on.
import './tagger-entry.ts';

type Api = {
  save(hit: Element, path: string): { selector: string; ms: number };
  claims(saved: unknown, path: string): Element[];
  claimsBySelector(saved: unknown, path: string): Element[];
  savedElement(hit: Element): Element;
};
const api = () => (window as unknown as { __lgTagger: Api }).__lgTagger;

const CANDIDATES = 'a[href], button, [role=button], input[type=submit], input[type=button], h1, h2';
const CHROME = 'header, nav, footer, [role=banner], [role=navigation], [role=contentinfo]';

/** Who an element is, in words a person would use: its kind, its text and where it leads. */
export const keyOf = (el: Element): string =>
  `${el.localName}|${(el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 80)}|${el.getAttribute('href') ?? ''}`;

/** Child indexes from <html>: the same element again after a reload of the same markup. */
function pathOf(el: Element): number[] {
  const out: number[] = [];
  for (let e: Element | null = el; e && e.parentElement; e = e.parentElement) out.unshift([...e.parentElement.children].indexOf(e));
  return out;
}
function atPath(path: number[]): Element | undefined {
  let e: Element | undefined = document.documentElement;
  for (const i of path) e = e?.children[i];
  return e;
}

function visible(el: Element): boolean {
  const r = el.getBoundingClientRect();
  if (r.width < 4 || r.height < 4) return false;
  const s = getComputedStyle(el);
  return s.visibility !== 'hidden' && s.display !== 'none' && Number(s.opacity) > 0;
}
const area = (el: Element) => {
  const r = el.getBoundingClientRect();
  return r.width * r.height;
};

export type Tag = {
  key: string;
  page: string;
  chrome: boolean;
  actionable: boolean;
  saved: unknown;
  selector: string;
  ms: number;
  domPath: number[];
  unique: boolean;
  whole: boolean;
  coverage: number;
};

/** Tags up to `perPage` elements of this page, chosen evenly (deterministic). */
export function collect(path: string, perPage: number): { tags: Tag[]; covered: number } {
  const all = [...document.querySelectorAll(CANDIDATES)].filter(visible);
  const picked = all.length <= perPage ? all : Array.from({ length: perPage }, (_, i) => all[Math.floor((i * all.length) / perPage)]!);
  const tags: Tag[] = [];
  let covered = 0;
  for (const el of picked) {
    el.scrollIntoView({ block: 'center', inline: 'center' });
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    // Something else (a sticky bar, a cookie banner) lies over it: the marketer cannot click it.
    if (!hit || !(el.contains(hit) || hit.contains(el))) {
      covered++;
      continue;
    }
    const saved = api().save(hit, path);
    const mine = api().savedElement(hit);
    const claimed = api().claims(saved, path);
    const { selector, ms } = saved as { selector: string; ms: number };
    tags.push({
      key: keyOf(el),
      page: path,
      chrome: Boolean(el.closest(CHROME)),
      actionable: !/^h\d$/.test(el.localName),
      saved,
      selector,
      ms,
      domPath: pathOf(el),
      unique: claimed.length === 1 && claimed[0] === mine,
      whole: mine === el,
      coverage: Math.min(1, area(mine) / Math.max(1, area(el))),
    });
  }
  return { tags, covered };
}

/** `bySelector`: the same judgement on the selector alone (no fingerprint). */
export type Outcome = { truths: number; claimed: number; correct: boolean; bySelector: boolean };

/**
 * For each tag, on this page: how many elements are the tagged one (by who it is, or by its
 * place when `samePage`), how many the tag counts clicks on, and whether that is exactly it
 * (or a part of it).
 */
export function judge(tags: Tag[], path: string, samePage: boolean): Outcome[] {
  const byKey = new Map<string, Element[]>();
  for (const el of document.querySelectorAll(CANDIDATES)) byKey.set(keyOf(el), [...(byKey.get(keyOf(el)) ?? []), el]);
  return tags.map((t) => {
    const truths = samePage ? [atPath(t.domPath)].filter((e): e is Element => Boolean(e)) : (byKey.get(t.key) ?? []);
    const claimed = api().claims(t.saved, path);
    const truth = truths[0];
    const right = (c: Element[]) => truths.length === 1 && c.length === 1 && (c[0] === truth || truth!.contains(c[0]!));
    return { truths: truths.length, claimed: claimed.length, correct: right(claimed), bySelector: right(api().claimsBySelector(t.saved, path)) };
  });
}

(window as unknown as { __lgProbe: unknown }).__lgProbe = { collect, judge };
