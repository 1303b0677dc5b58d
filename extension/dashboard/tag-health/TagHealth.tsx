import { useEffect, useState } from 'preact/hooks';
import type { TagHealthItem, TagHealthList } from '../../../shared/contracts/tag-health.ts';
import type { AdminApi } from '../../admin-api.ts';
import { t, type MessageKey } from '../../i18n.ts';
import { count, dateTime } from '../format.ts';
import { Problem } from '../Problem.tsx';
import { sinceDay } from './since.ts';

// The lost-tag report: for each tag picked in the extension and each page it belongs to,
// whether visitors' browsers still find its element (GET /v1/tags/health). Lost tags first:
// their clicks are not counted. Then tags only the fingerprint finds: counted, but the
// selector should be renewed before the next deploy takes the fingerprint too.

type Props = { api: Pick<AdminApi, 'tagHealth'>; now?: () => number };

const LINES: Record<TagHealthItem['state'], { line: MessageKey; hint?: MessageKey }> = {
  lost: { line: 'dbTagLost', hint: 'dbTagLostHint' },
  fingerprint: { line: 'dbTagFingerprint', hint: 'dbTagFingerprintHint' },
  ok: { line: 'dbTagOk' },
};

export function TagHealth({ api, now = Date.now }: Props) {
  const [list, setList] = useState<TagHealthList | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);

  useEffect(() => {
    let live = true;
    void api.tagHealth().then((r) => {
      if (!live) return;
      if (r.ok) setList(r.data);
      else setError(r.message ?? r.problem);
    });
    return () => void (live = false);
  }, [api]);

  if (error) return <Problem message={error} />;
  if (!list) return <p class="muted">{t('dbLoadingTagHealth')}</p>;
  const n = (state: TagHealthItem['state']) => count(list.items.filter((i) => i.state === state).length);
  const at = now();
  return (
    <section class="tag-health" aria-labelledby="tag-health-title">
      <h2 id="tag-health-title">{t('dbTagHealthTitle')}</h2>
      <p class="muted">{t('dbTagHealthIntro')}</p>
      {list.items.length === 0 ? (
        <p class="muted" data-testid="tag-health-empty">
          {t('dbTagHealthEmpty')}
        </p>
      ) : (
        <>
          <p data-testid="tag-health-summary">{t('dbTagHealthSummary', [n('lost'), n('fingerprint'), n('ok')])}</p>
          <ul class="tag-health-list">
            {list.items.map((i) => (
              <li key={`${i.id} ${i.path}`} data-state={i.state} data-testid="tag-health-item" class={i.state === 'ok' ? undefined : 'banner warn'}>
                <strong>{i.tag}</strong> {t(LINES[i.state].line, [i.path, sinceDay(i.since, at)])}
                {LINES[i.state].hint ? <span class="hint"> {t(LINES[i.state].hint!)}</span> : null}
                <br />
                <code>{i.selector}</code>{' '}
                <span class="muted">{t('dbTagViews', [count(i.views.selector), count(i.views.fingerprint), count(i.views.none), dateTime(i.lastSeen)])}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
