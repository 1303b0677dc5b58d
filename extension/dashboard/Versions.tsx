import { useEffect, useState } from 'preact/hooks';
import type { Versions as VersionsData } from '../../shared/contracts/marketing.ts';
import type { AdminApi } from '../admin-api.ts';
import { t } from '../i18n.ts';
import { ChangeList } from './ChangeList.tsx';
import { ConfirmWithNote } from './ConfirmWithNote.tsx';
import { dateTime } from './format.ts';
import { Problem } from './Problem.tsx';

// Version history, newest first, each with its summary and changes; any published version
// other than the live one can be rolled back to (published again as the next version).

type Props = { api: AdminApi; modelId: string; refreshKey: number; onChanged: () => void };

export function Versions({ api, modelId, refreshKey, onChanged }: Props) {
  const [data, setData] = useState<VersionsData | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [note, setNote] = useState('');
  const [reload, setReload] = useState(0);

  useEffect(() => {
    let live = true;
    void api.versions(modelId).then((r) => {
      if (!live) return;
      if (r.ok) (setData(r.data), setError(undefined));
      else setError(r.message ?? r.problem);
    });
    return () => void (live = false);
  }, [api, modelId, refreshKey, reload]);

  async function rollback(version: number, why: string | undefined) {
    setNote(t('dbRollingBack', [version]));
    const r = await api.rollback(modelId, version, why);
    if (!r.ok) return setNote(t('dbRollbackFailed', [r.message ?? r.problem]));
    setNote(t('dbRolledBack', [version, r.data.version]));
    setReload((n) => n + 1);
    onChanged();
  }

  if (error) return <Problem message={error} />;
  if (!data) return <p class="muted">{t('loading')}</p>;
  const items = [...data.items].sort((a, b) => b.version - a.version);
  // The oldest has nothing before it: "first version", not "no changes".
  const oldest = items[items.length - 1]?.version;
  return (
    <section class="versions" aria-labelledby="versions-title">
      <h2 id="versions-title">{t('dbVersionsTitle')}</h2>
      {note ? <p role="status">{note}</p> : null}
      <ol class="version-list" data-testid="versions">
        {items.map((v) => (
          <li key={`${v.status}-${v.version}`} class="version" data-status={v.status} data-version={v.version}>
            <p>
              <strong>{t('dbVersionN', [v.version])}</strong> <span class={`pill status-${v.status}`}>{t(v.status === 'live' ? 'dbStatusLive' : v.status === 'draft' ? 'dbStatusDraft' : 'dbStatusRetired')}</span>{' '}
              <span class="muted small">{dateTime(v.publishedAt ?? v.createdAt)}</span>
              {v.publishedBy ? <span class="muted small"> · {t(v.publishedBy.name ? 'dbVersionBy' : 'dbVersionByKey', [v.publishedBy.name ?? v.publishedBy.keyId.slice(0, 8)])}</span> : null}
            </p>
            {v.note ? <p class="version-note">{t('dbVersionNote', [v.note])}</p> : null}
            {/* The changes once, in the form's words (the server's `summary` is the CLI's English). */}
            {v.version === oldest ? <p class="muted small">{t('dbFirstVersion')}</p> : <ChangeList changes={v.changes} />}
            {v.status === 'retired' ? (
              <ConfirmWithNote label={t('dbRollbackTo', [v.version])} question={t('dbRollbackQuestion', [v.version])} noteLabel={t('dbRollbackNote')} onConfirm={(why) => void rollback(v.version, why)} />
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
