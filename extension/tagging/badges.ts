import type { KnownTag } from '../../shared/contracts/messages.ts';
import { t } from '../i18n.ts';
import { pathMatches } from './pattern.ts';

// What is tagged already: elements the model's click rules select (live and draft), elements
// tagged in markup (`data-leadglow-tag` / `data-leadglow-weight`), and rules on this page's path.

export type Badge = { el: Element; text: string; kind: 'live' | 'draft' | 'markup' };

const points = (n: number) => (n > 0 ? `+${n}` : String(n));

export function elementBadges(doc: Document, tags: readonly KnownTag[]): Badge[] {
  const out: Badge[] = [];
  for (const tag of tags) {
    if (!tag.selector) continue;
    let found: Element[] = [];
    try {
      found = [...doc.querySelectorAll(tag.selector)];
    } catch {
      // why: a selector the browser cannot parse (written for another engine) marks nothing here.
      continue;
    }
    const suffix = tag.source === 'draft' ? ` (${t('taggingBadgeDraft')})` : '';
    for (const el of found) out.push({ el, text: `${tag.label} ${points(tag.points)}${suffix}`, kind: tag.source });
  }
  for (const el of doc.querySelectorAll('[data-leadglow-tag],[data-leadglow-weight]')) {
    const tag = el.getAttribute('data-leadglow-tag') ?? '';
    const weight = Number(el.getAttribute('data-leadglow-weight'));
    const text = [tag, Number.isFinite(weight) && weight !== 0 ? points(weight) : ''].filter(Boolean).join(' ');
    out.push({ el, text: `${text} (${t('taggingBadgeMarkup')})`, kind: 'markup' });
  }
  return out;
}

/** Lines for the rules that score this page itself, and the page's own markup. */
export function pageBadges(doc: Document, path: string, tags: readonly KnownTag[]): string[] {
  const rules = tags
    .filter((tag) => tag.path && pathMatches(tag.path, path))
    .map((tag) => `${tag.label} ${points(tag.points)} · ${tag.path}${tag.source === 'draft' ? ` (${t('taggingBadgeDraft')})` : ''}`);
  const meta = (n: string) => doc.querySelector(`meta[name="leadglow:${n}"]`)?.getAttribute('content');
  const markup = meta('tags') || meta('weight') ? [`${meta('tags') ?? ''} ${meta('weight') ? points(Number(meta('weight'))) : ''}`.trim() + ` (${t('taggingBadgeMarkup')})`] : [];
  return [...rules, ...markup];
}
