import { useState } from 'preact/hooks';
import type { AdminApi } from '../../admin-api.ts';
import { t } from '../../i18n.ts';
import type { Draft } from '../use-draft.ts';
import { DraftActions } from './DraftActions.tsx';
import { DraftForm } from './DraftForm.tsx';
import { JsonView } from './JsonView.tsx';

// The draft editor: form or JSON over the same draft, under a bar that stays in view while
// the marketer scrolls: save, discard, publish, and the problem count, which jumps to the first.

/** Opens the rule card holding the first problem, scrolls to it and focuses its input. */
export function jumpToFirstProblem(root: ParentNode = document): void {
  const at = root.querySelector<HTMLElement>('.field.invalid, .editor ul.errors, .editor textarea[aria-invalid="true"]');
  if (!at) return;
  for (let el: HTMLElement | null = at; el; el = el.parentElement) if (el instanceof HTMLDetailsElement) el.open = true;
  at.scrollIntoView?.({ block: 'center' });
  (at.querySelector<HTMLElement>('input, select, textarea') ?? at).focus?.();
}

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
      <div class="action-bar" data-testid="action-bar">
        <DraftActions api={api} modelId={modelId} draft={draft} onDiscarded={onDiscarded} onPublished={onPublished} />
        {problems ? (
          <button type="button" class="problems link" data-testid="problem-count" onClick={() => jumpToFirstProblem()}>
            {t('dbProblems', [problems])}
          </button>
        ) : (
          <p class="muted" data-testid="problem-count">
            {t('dbNoProblems')}
          </p>
        )}
      </div>
      {mode === 'form' ? <DraftForm draft={draft} /> : <JsonView draft={draft} />}
    </section>
  );
}
