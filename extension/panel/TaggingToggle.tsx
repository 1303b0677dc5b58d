import { useCallback, useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { t } from '../i18n.ts';
import type { TaggingStartReply } from '../../shared/contracts/messages.ts';
import type { Client } from './client.ts';
import { warnFailed } from '../warn.ts';

// Switches tagging mode on and off for the panel's tab. Shown to marketers (admin token).
// Without access to the tab's site, it asks the browser for exactly that site, once, with
// the marketer's click as the gesture the permission prompt needs.

type Props = { client: Client; tabId: number | undefined };
const SITE_KEY = 'taggingSite';

export function TaggingToggle({ client, tabId }: Props) {
  const [on, setOn] = useState(false);
  const [needsAccess, setNeedsAccess] = useState(false);
  const [site, setSite] = useState('');
  const [error, setError] = useState('');

  const load = useCallback(async () => {
    if (tabId === undefined) return;
    // why: no answer from the background is shown as off; switching on then says what is wrong.
    const r = await client.send({ type: 'tagging-state', tabId }).catch(() => ({ on: false }));
    setOn(r.on);
  }, [client, tabId]);
  useEffect(() => {
    void load();
    void browser.storage.local.get(SITE_KEY).then((s) => setSite(typeof s[SITE_KEY] === 'string' ? s[SITE_KEY] : ''), warnFailed('reading the site tagging was last allowed on'));
    return client.onChanged((c) => c.what === 'tagging' && (c.tabId === undefined || c.tabId === tabId) && void load());
  }, [client, tabId, load]);

  if (tabId === undefined) return null;

  async function start() {
    setError('');
    // why: a background that does not answer is shown as unreachable, under the toggle.
    const r: TaggingStartReply = await client.send({ type: 'tagging-start', tabId: tabId! }).catch(() => ({ status: 'problem', problem: 'unreachable' }));
    if (r.status === 'needs-access') return setNeedsAccess(true);
    if (r.status === 'problem') return setError(t('taggingStartFailed', [r.message ?? r.problem]));
    setNeedsAccess(false);
    setOn(true);
  }
  async function allow(e: Event) {
    e.preventDefault();
    let origin: string;
    try {
      origin = new URL(site.includes('://') ? site : `https://${site}`).origin;
    } catch {
      // why: not an address: the error under the field names what was typed.
      return setError(t('taggingStartFailed', [site]));
    }
    // Asked first, before any await: the prompt needs the click's user gesture.
    // why: a request the browser refuses outright (an origin it will not grant) is a refusal: said below.
    const granted = await browser.permissions.request({ origins: [`${origin}/*`] }).catch(() => false);
    if (!granted) return setError(t('taggingNeedsAccess'));
    await browser.storage.local.set({ [SITE_KEY]: origin });
    await start();
  }
  async function stop() {
    await client.send({ type: 'tagging-stop', tabId: tabId! }).catch(warnFailed('switching tagging mode off'));
    setOn(false);
  }

  return (
    <section class="tagging" data-testid="tagging">
      <div class="row">
        {on ? (
          <button type="button" aria-pressed="true" onClick={() => void stop()} data-testid="tagging-toggle">{t('taggingToggleOff')}</button>
        ) : (
          <button type="button" aria-pressed="false" onClick={() => void start()} data-testid="tagging-toggle">{t('taggingToggleOn')}</button>
        )}
      </div>
      <p class="muted small">{t('taggingToggleHint')}</p>
      {needsAccess && !on ? (
        <form class="search" onSubmit={(e) => void allow(e)} data-testid="tagging-access">
          <label class="small">
            {t('taggingNeedsAccess')}
            <input type="url" value={site} placeholder="https://www.example.com" aria-label={t('taggingOriginLabel')} onInput={(e) => setSite(e.currentTarget.value)} />
          </label>
          <button type="submit">{t('taggingAllow')}</button>
        </form>
      ) : null}
      {error ? <p class="small" role="alert">{error}</p> : null}
    </section>
  );
}
