import { closest, on, selector, text } from './dom.ts';
import type { Emit } from './types.ts';

// Marketers tag high-intent pages and elements in markup. The server bounds these weights
// by the scoring model: anything a browser sends can be forged.

export interface Marks {
  weight?: number;
  tags?: string[];
}

/** Parses a weight ("20") and a comma list of tags into contract-sized values. */
export function marks(weight?: string | null, tags?: string | null): Marks {
  const m: Marks = {};
  const w = parseFloat(weight!);
  if (w === w) m.weight = Math.max(-100, Math.min(100, w)); // w === w: not NaN
  const t = tags?.split(',').map((s) => s.trim().slice(0, 40)).filter(Boolean).slice(0, 10);
  if (t?.length) m.tags = t;
  return m;
}

/** `<meta name="leadglow:weight">` and `<meta name="leadglow:tags">`, read per page view (SPA routes may swap them). */
export function pageMarks(): Marks {
  const meta = (n: string) => document.querySelector(`meta[name="leadglow:${n}"]`)?.getAttribute('content');
  return marks(meta('weight'), meta('tags'));
}

const TAGGED = '[data-leadglow-weight],[data-leadglow-tag]';

/** A click on a tagged element, or anything inside it. */
export function watchTaggedClicks(emit: Emit): void {
  on(document, 'click', (e: MouseEvent) => {
    const el = closest(e, TAGGED) as HTMLElement | null;
    if (el)
      emit({
        type: 'click',
        selector: selector(el),
        text: text(el),
        ...marks(el.dataset.leadglowWeight, el.dataset.leadglowTag),
      });
  });
}
