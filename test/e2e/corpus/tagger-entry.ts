// Bundled into each corpus page: what the tagger saves for the element a marketer's click hit,
// and which elements the snippet would count a click on for that saved tag, on a given path.
import { selectorFor } from '../../../extension/tagging/selector.ts';

export type Saved = { selector: string; ms: number };

function save(hit: Element): Saved {
  const start = performance.now();
  const selector = selectorFor(hit);
  return { selector, ms: performance.now() - start };
}

/** Elements a click on (or inside) would count for the tag. */
function claims(saved: Saved, _path: string): Element[] {
  try {
    return [...document.querySelectorAll(saved.selector)];
  } catch {
    return [];
  }
}

/** The element the saved tag stands for (before snapping there was none: the hit itself). */
const savedElement = (hit: Element): Element => hit;

(window as unknown as { __lgTagger: unknown }).__lgTagger = { save, claims, savedElement };
