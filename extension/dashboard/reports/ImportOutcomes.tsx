import { useState } from 'preact/hooks';
import type { ImportSummary } from '../../../shared/contracts/admin.ts';
import type { AdminApi } from '../../admin-api.ts';
import { t } from '../../i18n.ts';

// Won and lost deals from a CRM export, so the model can be judged: the same CSV as
// `leadglow import outcomes`, read in the browser and sent as text/csv.

const SHOWN_REJECTS = 20;

type State = { kind: 'idle' } | { kind: 'running' } | { kind: 'done'; summary: ImportSummary } | { kind: 'error'; message: string };

export function ImportOutcomes({ api, onImported }: { api: AdminApi; onImported: () => void }) {
  const [file, setFile] = useState<File | undefined>(undefined);
  const [state, setState] = useState<State>({ kind: 'idle' });

  async function run(): Promise<void> {
    if (!file) return;
    setState({ kind: 'running' });
    const r = await api.importCsv('outcomes', await file.text());
    if (!r.ok) return setState({ kind: 'error', message: r.message ?? r.problem });
    setState({ kind: 'done', summary: r.data });
    if (r.data.imported > 0) onImported();
  }

  return (
    <details class="import" data-testid="import-outcomes">
      <summary>{t('dbImportTitle')}</summary>
      <p class="muted">{t('dbImportHint')}</p>
      <p class="row">
        <label>
          {t('dbImportFile')}{' '}
          <input type="file" accept=".csv,text/csv" onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0])} />
        </label>
        <button type="button" class="primary" disabled={!file || state.kind === 'running'} onClick={() => void run()}>
          {state.kind === 'running' ? t('dbImportRunning') : t('dbImportButton')}
        </button>
      </p>
      {state.kind === 'error' ? (
        <p role="alert" class="banner warn">
          {state.message}
        </p>
      ) : null}
      {state.kind === 'done' ? (
        <div role="status">
          <p>{t('dbImportDone', [state.summary.imported, state.summary.skipped, state.summary.rejects.length])}</p>
          {state.summary.rejects.length ? (
            <ul class="rejects">
              {state.summary.rejects.slice(0, SHOWN_REJECTS).map((r) => (
                <li key={r.line}>{t('dbImportReject', [r.line, r.errors.join('; ')])}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </details>
  );
}
