import { useCallback, useEffect, useState } from 'preact/hooks';
import type { ModelListItem } from '../../shared/contracts/admin.ts';
import type { Me } from '../../shared/contracts/api.ts';
import type { AdminApi } from '../admin-api.ts';
import type { Api } from '../background/api.ts';
import { t } from '../i18n.ts';
import { PageCheck } from './inspect/PageCheck.tsx';
import { ModelList } from './ModelList.tsx';
import { Predictive } from './Predictive.tsx';
import { Problem } from './Problem.tsx';
import { TagHealth } from './tag-health/TagHealth.tsx';
import { NeedsAdmin, OpenOptions } from './states.tsx';
import { Workspace } from './Workspace.tsx';

// The marketer's dashboard: who is connected (an admin token is needed), the models, and the
// predictive model. `admin` and `read` are the server APIs with the stored connection.

export type ReadApi = Pick<Api, 'me' | 'lead'>;
type Props = { admin: AdminApi; read: ReadApi; now?: () => number };

export function Dashboard({ admin, read, now }: Props) {
  const [me, setMe] = useState<Me | undefined>(undefined);
  const [problem, setProblem] = useState<{ kind: string; message: string } | undefined>(undefined);
  const [models, setModels] = useState<ModelListItem[] | undefined>(undefined);
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const [view, setView] = useState<'models' | 'predictive' | 'page-check' | 'tags'>('models');

  useEffect(() => {
    void read.me().then((r) => (r.ok ? setMe(r.data) : setProblem({ kind: r.problem, message: r.message ?? r.problem })));
  }, [read]);

  const loadModels = useCallback(async () => {
    const r = await admin.models();
    if (!r.ok) return setProblem({ kind: r.problem, message: r.message ?? r.problem });
    setModels(r.data.items);
    setSelected((cur) => cur ?? r.data.items.find((m) => m.status === 'live')?.id ?? r.data.items[0]?.id);
  }, [admin]);

  useEffect(() => {
    if (me?.role === 'admin') void loadModels();
  }, [me, loadModels]);

  if (problem?.kind === 'unauthorized') return <OpenOptions title={t('dbTokenRefused')} body={t('dbTokenRefusedBody')} />;
  if (problem) return <Problem message={problem.message} />;
  if (!me) return <p class="muted">{t('loading')}</p>;
  if (me.role !== 'admin') return <NeedsAdmin />;

  return (
    <div class="dashboard-body">
      <nav class="tabs" aria-label={t('dbSections')}>
        <button type="button" aria-pressed={view === 'models'} onClick={() => setView('models')}>
          {t('dbModels')}
        </button>
        <button type="button" aria-pressed={view === 'predictive'} onClick={() => setView('predictive')}>
          {t('dbPredictive')}
        </button>
        <button type="button" aria-pressed={view === 'page-check'} onClick={() => setView('page-check')}>
          {t('dbPageCheck')}
        </button>
        <button type="button" aria-pressed={view === 'tags'} onClick={() => setView('tags')}>
          {t('dbTags')}
        </button>
      </nav>
      {view === 'page-check' ? <PageCheck api={admin} /> : null}
      {view === 'tags' ? <TagHealth api={admin} now={now} /> : null}
      {view === 'predictive' ? (
        <Predictive api={admin} />
      ) : view !== 'models' ? null : (
        <div class="models-layout">
          <aside aria-labelledby="models-title">
            <h2 id="models-title">{t('dbModels')}</h2>
            {models ? <ModelList items={models} selected={selected} onPick={setSelected} /> : <p class="muted">{t('loading')}</p>}
          </aside>
          {selected ? <Workspace key={selected} api={admin} read={read} modelId={selected} onModelsChanged={() => void loadModels()} now={now} /> : null}
        </div>
      )}
    </div>
  );
}
