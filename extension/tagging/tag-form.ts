import { t } from '../i18n.ts';
import { h } from './dom.ts';
import type { TagFields } from './form.ts';

// The frame both tag forms share: a title, the form's own parts, the tag and points fields,
// Save and Cancel. The fields are read on submit; what does not read is said, not sent.

export type TagForm = { node: HTMLFormElement; save: HTMLButtonElement };

export function tagForm(
  doc: Document,
  title: string,
  parts: Node[],
  fields: TagFields,
  on: { submit(read: { tag: string; weight: number }): void; invalid(text: string): void; cancel(): void },
): TagForm {
  const save = h(doc, 'button', { type: 'submit', class: 'primary' }, t('taggingSave'));
  const cancel = h(doc, 'button', { type: 'button' }, t('taggingCancel'));
  const node = h(doc, 'form', {}, h(doc, 'h2', {}, title), ...parts, fields.node, h(doc, 'div', { class: 'actions' }, save, cancel));
  cancel.addEventListener('click', () => on.cancel());
  node.addEventListener('submit', (e) => {
    e.preventDefault();
    const read = fields.read();
    if (typeof read === 'string') return on.invalid(read);
    on.submit(read);
  });
  return { node, save };
}
