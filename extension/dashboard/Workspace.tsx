import { useCallback, useEffect, useState } from 'preact/hooks';
import type { AdminApi } from '../admin-api.ts';
import { t, type MessageKey } from '../i18n.ts';
import { Backtest } from './backtest/Backtest.tsx';
import { DraftEditor } from './editor/DraftEditor.tsx';
import type { LeadReader } from './LeadDetail.tsx';
import { Problem } from './Problem.tsx';
import { RescoreProgress } from './rescoring/RescoreProgress.tsx';
import { Reports } from './reports/Reports.tsx';
import { useDraft } from './use-draft.ts';
import { Versions } from './Versions.tsx';

// One model: its draft (the saved draft, or a copy of the live version to start one), its
// versions, reports and backtest. The draft lives here so every tab sees the same edits.

const TABS = ['draft', 'versions', 'reports', 'backtest'] as const;
type Tab = (typeof TABS)[number];
const TAB_LABELS: Record<Tab, MessageKey> = { draft: 'dbTabDraft', versions: 'dbTabVersions', reports: 'dbTabReports', backtest: 'dbTabBacktest' };

type Props = { api: AdminApi; read: LeadReader; modelId: string; onModelsChanged: () => void; now?: () => number };

export function Workspace({ api, read, modelId, onModelsChanged, now }: Props) {
  const [tab, setTab] = useState<Tab>('draft');
  const [basedOn, setBasedOn] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [refreshKey, setRefreshKey] = useState(0);
  const draft = useDraft(undefined);
  const { reset } = draft;

  // Reloads keep the editor mounted, so the outcome of a publish or discard stays in view.
  const load = useCallback(async () => {
    const saved = await api.draft(modelId);
    if (saved.ok) return (reset(saved.data), setBasedOn(t('dbBasedOnDraft', [saved.data.version])));
    if (saved.problem !== 'not-found') return setError(saved.message ?? saved.problem);
    const live = await api.model(modelId);
    if (!live.ok) return setError(live.message ?? live.problem);
    reset(live.data);
    setBasedOn(t('dbBasedOnLive', [live.data.version]));
  }, [api, modelId]);

  useEffect(() => void load(), [load]);

  // Closing the page with unsaved edits asks first.
  useEffect(() => {
    if (!draft.dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    addEventListener('beforeunload', warn);
    return () => removeEventListener('beforeunload', warn);
  }, [draft.dirty]);

  const changed = (reload: boolean) => {
    setRefreshKey((n) => n + 1);
    onModelsChanged();
    if (reload) void load();
  };

  return (
    <section class="workspace" aria-label={modelId}>
      <nav class="tabs" aria-label={t('dbModelViews')}>
        {TABS.map((x) => (
          <button key={x} type="button" aria-pressed={tab === x} onClick={() => setTab(x)}>
            {t(TAB_LABELS[x])}
          </button>
        ))}
      </nav>
      {error ? <Problem message={error} /> : null}
      <RescoreProgress api={api} refreshKey={refreshKey} />
      {tab === 'draft' ? (
        basedOn ? (
          <DraftEditor api={api} modelId={modelId} draft={draft} basedOn={basedOn} onDiscarded={() => void load()} onPublished={() => changed(true)} />
        ) : error ? null : (
          <p class="muted">{t('loading')}</p>
        )
      ) : null}
      {/* A rollback must not throw away edits the marketer has not saved yet. */}
      {tab === 'versions' ? <Versions api={api} modelId={modelId} refreshKey={refreshKey} onChanged={() => changed(!draft.dirty)} /> : null}
      {tab === 'reports' ? <Reports api={api} modelId={modelId} refreshKey={refreshKey} /> : null}
      {tab === 'backtest' ? <Backtest api={api} read={read} draft={draft} now={now} /> : null}
    </section>
  );
}
