import { closest, doc, on, selector, text } from './dom.ts';
import type { Emit } from './types.ts';

// Marketers tag high-intent pages and elements in markup. The server bounds these weights
// by the scoring model: anything a browser sends can be forged.

export interface Marks {
  weight?: number;
  tags?: string[];
}

/** Parses a weight ("20") and a comma list of tags into contract-sized values (undefined ones vanish in JSON). */
export function marks(weight?: string | null, tags?: string | null): Marks {
  const w = parseFloat(weight!);
  const t = tags?.split(',').map((s) => s.trim().slice(0, 40)).filter(Boolean).slice(0, 10);
  return { weight: w === w ? Math.max(-100, Math.min(100, w)) : undefined, tags: t?.[0] ? t : undefined }; // w === w: not NaN
}

/** `<meta name="leadglow:weight">` and `<meta name="leadglow:tags">`, read per page view (SPA routes may swap them). */
export function pageMarks(): Marks {
  const meta = (n: string) => doc.querySelector('meta[name="leadglow:' + n + '"]')?.getAttribute('content');
  return marks(meta('weight'), meta('tags'));
}

/** A click on a tagged element, or anything inside it. */
export const watchTaggedClicks = (emit: Emit): void =>
  on(doc, 'click', (e) => {
    const el = closest(e, '[data-leadglow-weight],[data-leadglow-tag]');
    if (el) emit({ type: 'click', selector: selector(el), text: text(el), ...marks(el.dataset.leadglowWeight, el.dataset.leadglowTag) });
  });
