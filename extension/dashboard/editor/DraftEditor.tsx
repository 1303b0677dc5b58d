import { useState } from 'preact/hooks';
import type { AdminApi } from '../../admin-api.ts';
import { t } from '../../i18n.ts';
import type { Draft } from '../use-draft.ts';
import { DraftActions } from './DraftActions.tsx';
import { DraftForm } from './DraftForm.tsx';
import { JsonView } from './JsonView.tsx';

// The draft editor: form or JSON over the same draft, the problem count, and the actions.

type Props = { api: AdminApi; modelId: string; draft: Draft; basedOn: string; onDiscarded: () => void; onPublished: (version: number) => void };

export function DraftEditor({ api, modelId, draft, basedOn, onDiscarded, onPublished }: Props) {
  const [mode, setMode] = useState<'form' | 'json'>('form');
  const problems = [...draft.errors.values()].reduce((n, m) => n + m.length, 0);
  return (
    <section class="editor" aria-labelledby="editor-title">
      <h2 id="editor-title">{t('dbDraftTitle')}</h2>
      <p class="muted">{basedOn}</p>
      <nav class="tabs" aria-label={t('dbEditorMode')}>
        <button type="button" aria-pressed={mode === 'form'} disabled={Boolean(draft.syntaxError)} onClick={() => setMode('form')}>
          {t('dbModeForm')}
        </button>
        <button type="button" aria-pressed={mode === 'json'} onClick={() => setMode('json')}>
          {t('dbModeJson')}
        </button>
      </nav>
      {draft.syntaxError && mode === 'json' ? <p class="muted small">{t('dbFixJsonFirst')}</p> : null}
      <p class={problems ? 'problems' : 'muted'} data-testid="problem-count">
        {problems ? t('dbProblems', [problems]) : t('dbNoProblems')}
      </p>
      {mode === 'form' ? <DraftForm draft={draft} /> : <JsonView draft={draft} />}
      <DraftActions api={api} modelId={modelId} draft={draft} onDiscarded={onDiscarded} onPublished={onPublished} />
    </section>
  );
}
