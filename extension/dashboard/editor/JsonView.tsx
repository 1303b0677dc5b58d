import { t } from '../../i18n.ts';
import type { Draft } from '../use-draft.ts';
import { FieldErrors } from './fields.tsx';

// The draft as JSON, parsed on every keystroke. Errors are listed with their paths under it.

export function JsonView({ draft }: { draft: Draft }) {
  const lines = [...draft.errors].flatMap(([path, messages]) => messages.map((m) => (path ? `${path}: ${m}` : m)));
  return (
    <div class="json-view">
      <label for="draft-json">{t('dbJsonLabel')}</label>
      <textarea
        id="draft-json"
        class="code"
        rows={30}
        spellcheck={false}
        value={draft.text}
        aria-invalid={Boolean(draft.syntaxError) || lines.length > 0}
        aria-describedby="draft-json-errors"
        onInput={(e) => draft.setText((e.target as HTMLTextAreaElement).value)}
      />
      <FieldErrors id="draft-json-errors" messages={[...(draft.syntaxError ? [t('dbJsonSyntax', [draft.syntaxError])] : []), ...lines]} />
    </div>
  );
}
