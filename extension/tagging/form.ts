import { t } from '../i18n.ts';
import { h } from './dom.ts';

// The tag and points part of both forms. Suggestions are the tags the starter model and
// reports know; any short tag will do.
export const SUGGESTED_TAGS = ['pricing', 'demo', 'case study', 'contact', 'trial'] as const;
export const DEFAULT_WEIGHT = 10;

export type TagFields = { node: HTMLElement; tag: HTMLInputElement; weight: HTMLInputElement; read(): { tag: string; weight: number } | string };

export function tagFields(doc: Document, initialTag = '', initialWeight = DEFAULT_WEIGHT): TagFields {
  const tag = h(doc, 'input', { name: 'tag', maxlength: 40, autocomplete: 'off', value: initialTag, 'aria-label': t('taggingTag') });
  const weight = h(doc, 'input', { name: 'weight', type: 'number', min: 1, max: 100, step: 1, value: initialWeight, 'aria-label': t('taggingWeight') });
  const chips = SUGGESTED_TAGS.map((s) => {
    const chip = h(doc, 'button', { type: 'button', class: 'chip', tabindex: -1 }, s);
    chip.addEventListener('click', () => {
      tag.value = s;
      tag.focus();
    });
    return chip;
  });
  const node = h(doc, 'div', {},
    h(doc, 'label', {}, t('taggingTag'), tag),
    h(doc, 'div', { 'aria-label': t('taggingSuggestions') }, ...chips),
    h(doc, 'label', {}, t('taggingWeight'), weight),
  );
  return {
    node,
    tag,
    weight,
    read() {
      const value = tag.value.trim().replace(/\s+/g, ' ');
      const points = Number(weight.value);
      if (!/^[a-z0-9][a-z0-9 _-]{0,39}$/i.test(value)) return t('taggingBadTag');
      if (!Number.isInteger(points) || points < 1 || points > 100) return t('taggingBadWeight');
      return { tag: value, weight: points };
    },
  };
}
