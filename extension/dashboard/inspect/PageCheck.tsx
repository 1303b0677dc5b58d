import { useEffect, useRef, useState } from 'preact/hooks';
import type { InspectReport, KnownPages } from '../../../shared/contracts/inspect.ts';
import type { AdminApi } from '../../admin-api.ts';
import { t, tn } from '../../i18n.ts';
import { InspectView } from './InspectView.tsx';

// The dashboard's page check: the marketer types a page address (or picks one of the pages the
// server has seen) and the server answers what `leadglow inspect` would print (POST /v1/inspect).

type Props = { api: Pick<AdminApi, 'inspect' | 'knownPages'> };
type State = { kind: 'idle' } | { kind: 'checking'; url: string } | { kind: 'done'; report: InspectReport } | { kind: 'failed'; message: string };

export function PageCheck({ api }: Props) {
  const [url, setUrl] = useState('');
  const [pages, setPages] = useState<KnownPages['pages'] | undefined>(undefined);
  const [state, setState] = useState<State>({ kind: 'idle' });
  // Only the latest check may show: an older answer arriving late is dropped.
  const asked = useRef(0);

  useEffect(() => {
    void api.knownPages(20).then((r) => setPages(r.ok ? r.data.pages : []));
  }, [api]);

  async function check(target: string): Promise<void> {
    const value = target.trim();
    setUrl(value);
    const mine = ++asked.current;
    setState({ kind: 'checking', url: value });
    const r = await api.inspect(value);
    if (mine !== asked.current) return;
    if (r.ok) return setState({ kind: 'done', report: r.data });
    // The server's details name the address and the cause ("url: …: the connection was refused").
    setState({ kind: 'failed', message: (r.details?.length ? r.details : [r.message ?? r.problem]).join(' · ') });
  }

  return (
    <section class="page-check" aria-labelledby="pc-title">
      <h2 id="pc-title">{t('dbPageCheck')}</h2>
      <p class="muted">{t('pcIntro')}</p>
      <form
        class="action-bar"
        onSubmit={(e) => {
          e.preventDefault();
          void check(url);
        }}
      >
        <label>
          {t('pcUrl')}{' '}
          <input type="url" name="url" required size={60} value={url} placeholder="https://www.example.com/pricing" onInput={(e) => setUrl(e.currentTarget.value)} />
        </label>
        <button type="submit" class="primary" disabled={state.kind === 'checking'}>
          {t('pcCheck')}
        </button>
      </form>
      <details open={!url}>
        <summary>{t('pcKnownPages')}</summary>
        {pages === undefined ? (
          <p class="muted">{t('loading')}</p>
        ) : pages.length ? (
          <ul data-testid="known-pages">
            {pages.map((p) => (
              <li key={p.url}>
                <button type="button" class="link" onClick={() => void check(p.url)}>
                  {p.url}
                </button>{' '}
                <span class="muted">{tn('pcViews', p.views)}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted">{t('pcNoKnownPages')}</p>
        )}
      </details>
      <div aria-live="polite">
        {state.kind === 'checking' ? <p class="muted">{t('pcChecking')}</p> : null}
        {state.kind === 'failed' ? (
          <p class="banner warn" role="alert">
            {t('pcFailed', [state.message])}
          </p>
        ) : null}
        {state.kind === 'done' ? <InspectView report={state.report} /> : null}
      </div>
    </section>
  );
}
