import { useState } from 'preact/hooks';
import type { AdminApi } from '../../admin-api.ts';
import { t } from '../../i18n.ts';
import { ConfirmButton } from '../ConfirmButton.tsx';
import { ConfirmWithNote } from '../ConfirmWithNote.tsx';
import type { Draft } from '../use-draft.ts';

// Save, discard and publish, each with a visible state. A failed save puts the server's
// `details` at their fields; publishing saves unsaved edits first.

type State =
  | { kind: 'idle' }
  | { kind: 'busy'; what: 'saving' | 'discarding' | 'publishing' }
  | { kind: 'saved' }
  | { kind: 'published'; version: number }
  | { kind: 'error'; message: string };

type Props = { api: AdminApi; modelId: string; draft: Draft; onDiscarded: () => void; onPublished: (version: number) => void };

export function DraftActions({ api, modelId, draft, onDiscarded, onPublished }: Props) {
  const [state, setState] = useState<State>({ kind: 'idle' });
  const busy = state.kind === 'busy';
  const localErrors = draft.errors.size > 0;

  async function save(): Promise<boolean> {
    setState({ kind: 'busy', what: 'saving' });
    const r = await api.saveDraft(modelId, draft.value);
    if (r.ok) {
      draft.markSaved();
      setState({ kind: 'saved' });
      return true;
    }
    if (r.details?.length) draft.setServerErrors(r.details);
    setState({ kind: 'error', message: r.details?.length ? t('dbSaveInvalid', [r.details.length]) : (r.message ?? r.problem) });
    return false;
  }

  async function discard() {
    setState({ kind: 'busy', what: 'discarding' });
    const r = await api.discardDraft(modelId);
    if (!r.ok && r.problem !== 'not-found') return setState({ kind: 'error', message: r.message ?? r.problem });
    setState({ kind: 'idle' });
    onDiscarded();
  }

  async function publish(note: string | undefined) {
    if (draft.dirty && !(await save())) return;
    setState({ kind: 'busy', what: 'publishing' });
    const r = await api.publishDraft(modelId, note);
    if (!r.ok) {
      if (r.details?.length) draft.setServerErrors(r.details);
      return setState({ kind: 'error', message: r.message ?? r.problem });
    }
    setState({ kind: 'published', version: r.data.version });
    onPublished(r.data.version);
  }

  return (
    <div class="actions">
      <p class="row">
        <button type="button" class="primary" disabled={busy || Boolean(draft.syntaxError)} onClick={() => void save()}>
          {t('dbSaveDraft')}
        </button>
        <ConfirmButton label={t('dbDiscardDraft')} question={t('dbDiscardQuestion')} disabled={busy} onConfirm={() => void discard()} />
        <ConfirmWithNote
          label={t('dbPublish')}
          question={t('dbPublishQuestion')}
          noteLabel={t('dbPublishNote')}
          placeholder={t('dbPublishNotePlaceholder')}
          disabled={busy || localErrors || Boolean(draft.syntaxError)}
          onConfirm={(note) => void publish(note)}
        />
      </p>
      <p role="status" class={`state state-${state.kind}`} data-testid="draft-state">
        {describe(state, draft)}
      </p>
    </div>
  );
}

function describe(state: State, draft: Draft): string {
  switch (state.kind) {
    case 'busy':
      return t(state.what === 'saving' ? 'dbSaving' : state.what === 'discarding' ? 'dbDiscarding' : 'dbPublishing');
    case 'saved':
      return draft.dirty ? t('dbUnsaved') : t('dbSaved');
    case 'published':
      return t('dbPublished', [state.version]);
    case 'error':
      return t('dbSaveFailed', [state.message]);
    default:
      return draft.dirty ? t('dbUnsaved') : '';
  }
}
