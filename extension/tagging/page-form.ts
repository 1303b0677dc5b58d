import { t } from '../i18n.ts';
import { h } from './dom.ts';
import { tagFields } from './form.ts';
import type { PanelView, ViewContext } from './panel-view.ts';
import { proposals } from './pattern.ts';
import { refusalText } from './status-text.ts';
import { tagForm } from './tag-form.ts';

/**
 * The form that tags the page by a path pattern, with a live preview of the known pages it
 * matches (asked once the marketer stops typing for `previewDelayMs`; an answer to an older
 * pattern, or one arriving after the form closed, is dropped).
 */
export function pageForm({ doc, actions }: ViewContext, previewDelayMs: number): PanelView {
  const win = doc.defaultView!;
  const options = proposals(win.location.pathname);
  const pattern = h(doc, 'input', { name: 'pattern', value: options[0], autocomplete: 'off' });
  const count = h(doc, 'p', { class: 'muted', role: 'status' });
  const list = h(doc, 'ul', { class: 'preview' });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let asked = 0;
  let gone = false;
  const preview = (): void => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const value = pattern.value.trim();
      if (!value.startsWith('/')) return void (count.textContent = t('taggingPatternHint'));
      const mine = ++asked;
      const r = await actions.previewPages(value);
      if (mine !== asked || gone) return; // a newer pattern was typed meanwhile, or the form closed
      if (r.status !== 'ok') return void (count.textContent = refusalText(r));
      count.textContent = r.pages.total ? t('taggingPreview', [String(r.pages.total)]) : t('taggingPreviewNone');
      list.replaceChildren(...r.pages.matches.map((m) => h(doc, 'li', {}, m.path)));
    }, previewDelayMs);
  };
  pattern.addEventListener('input', preview);
  const chips = options.map((o) => {
    const chip = h(doc, 'button', { type: 'button', class: 'chip' }, o);
    chip.addEventListener('click', () => {
      pattern.value = o;
      preview();
    });
    return chip;
  });
  const fields = tagFields(doc);
  const { node, save } = tagForm(doc, t('taggingPageTitle'),
    [h(doc, 'label', {}, t('taggingPattern'), pattern), h(doc, 'div', {}, ...chips), h(doc, 'p', { class: 'muted' }, t('taggingPatternHint')), count, list],
    fields, {
      submit: ({ tag, weight }) => actions.saveTag({ target: 'page', pattern: pattern.value.trim(), tag, weight }),
      invalid: actions.invalid,
      cancel: actions.close,
    });
  preview();
  return {
    node,
    focus: () => fields.tag.focus(),
    destroy() {
      gone = true;
      clearTimeout(timer);
    },
    update(_before, now) {
      save.disabled = now.pending === 'save';
    },
  };
}
