import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { t, type MessageKey } from '../i18n.ts';
import type { SiteId, StatusReply } from '../../shared/contracts/messages.ts';
import type { Client } from '../panel/client.ts';
import { matchesFor } from '../background/register.ts';
import { warnFailed } from '../warn.ts';

// Server, token and sites. Permissions are asked for first thing in the click handler:
// browsers only show the prompt during the user's gesture, before any await.

const SITE_LABELS: Record<SiteId, MessageKey> = {
  gmail: 'siteGmail',
  outlook: 'siteOutlook',
  hubspot: 'siteHubspot',
  salesforce: 'siteSalesforce',
  pipedrive: 'sitePipedrive',
  generic: 'siteGeneric',
};

// The marketer's dashboard is an unlisted extension page (entrypoints/dashboard).
// A relative URL opens inside the extension in Chrome and Firefox alike.
const openDashboard = () => void browser.tabs.create({ url: '/dashboard.html' });

export function originOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.origin : undefined;
  } catch {
    // why: not a URL, so no origin: the caller says the address is not valid.
    return undefined;
  }
}

export function Options({ client }: { client: Client }) {
  const [status, setStatus] = useState<StatusReply | undefined>(undefined);
  const [serverUrl, setServerUrl] = useState('');
  const [token, setToken] = useState('');
  const [sites, setSites] = useState<SiteId[]>([]);
  const [origins, setOrigins] = useState('');
  // Feedback sits next to the button that caused it: one note per form.
  const [connectionNote, setConnectionNote] = useState('');
  const [sitesNote, setSitesNote] = useState('');
  const [ownEmailsNote, setOwnEmailsNote] = useState('');
  const [ownEmails, setOwnEmails] = useState('');

  useEffect(() => {
    client.send({ type: 'get-status' }).then((s) => {
      setStatus(s);
      setServerUrl(s.serverUrl ?? '');
      setSites(s.sites);
      setOrigins(s.origins.join('\n'));
      setOwnEmails((s.ownEmails ?? []).join('\n'));
    }, warnFailed('reading the settings for the options page'));
  }, [client]);

  function saveConnection(e: Event) {
    e.preventDefault();
    const origin = originOf(serverUrl);
    if (!origin) return setConnectionNote(t('connectFailed', [serverUrl]));
    void browser.permissions.request({ origins: [`${origin}/*`] }).then(async (granted) => {
      if (!granted) return setConnectionNote(t('permissionDenied'));
      const r = await client
        .send({ type: 'save-connection', serverUrl: origin, token: token.trim() })
        .catch((err: unknown) => ({ status: 'problem' as const, problem: 'invalid' as const, message: String(err) }));
      setConnectionNote(r.status === 'ok' ? t('savedAs', [r.me.name ?? r.me.role]) : t('connectFailed', [r.message ?? r.problem]));
      if (r.status === 'ok') setToken('');
    });
  }

  function saveSites(e: Event) {
    e.preventDefault();
    const list = origins.split(/\s+/).map(originOf).filter((o): o is string => Boolean(o));
    const wanted = matchesFor(sites, list).flatMap((m) => m.matches);
    const ask = wanted.length ? browser.permissions.request({ origins: wanted }) : Promise.resolve(true);
    void ask.then(async (granted) => {
      if (!granted) return setSitesNote(t('permissionDenied'));
      await client.send({ type: 'set-sites', sites, origins: list });
      setSitesNote(t('sitesSaved'));
    });
  }

  // The rep's own addresses besides the token's: never offered as a lead.
  function saveOwnEmails(e: Event) {
    e.preventDefault();
    const emails = ownEmails.split(/[\s,;]+/).map((x) => x.trim()).filter(Boolean);
    const bad = emails.find((x) => !/^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/.test(x));
    if (bad) return setOwnEmailsNote(t('ownEmailsInvalid', [bad]));
    void client.send({ type: 'set-own-emails', emails: emails.slice(0, 10) }).then(
      (r) => setOwnEmailsNote(r.status === 'ok' ? t('ownEmailsSaved') : t('connectFailed', [r.message ?? r.problem])),
      (err: unknown) => setOwnEmailsNote(t('connectFailed', [String(err)])),
    );
  }

  const toggle = (id: SiteId) => setSites((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]));
  const named = (Object.keys(SITE_LABELS) as SiteId[]).filter((id) => id !== 'generic');

  return (
    <main class="options">
      <h2>{t('optionsTitle')}</h2>
      <form onSubmit={saveConnection}>
        <label for="server">{t('serverUrl')}</label>
        <input id="server" type="url" required value={serverUrl} placeholder="https://leadglow.example.com" onInput={(e) => setServerUrl((e.target as HTMLInputElement).value)} />
        <label for="token">{t('token')}</label>
        <input id="token" type="password" required value={token} autocomplete="off" onInput={(e) => setToken((e.target as HTMLInputElement).value)} />
        <p>
          <button type="submit">{t('save')}</button>{' '}
          <span role="status" class={connectionNote ? '' : 'muted'} data-testid="connection-note">
            {connectionNote || (status?.me ? t('savedAs', [status.me.name ?? status.me.role]) : '')}
          </span>
        </p>
      </form>
      <form onSubmit={saveOwnEmails}>
        <h3>{t('ownEmailsTitle')}</h3>
        <p class="muted">
          {t('ownEmailsHint')} {status?.me?.emails?.length ? t('ownEmailsFromToken', [status.me.emails.join(', ')]) : null}
        </p>
        <label for="own-emails">{t('ownEmailsLabel')}</label>
        <textarea id="own-emails" rows={2} value={ownEmails} onInput={(e) => setOwnEmails((e.target as HTMLTextAreaElement).value)} />
        <p>
          <button type="submit">{t('ownEmailsSave')}</button>{' '}
          <span role="status" data-testid="own-emails-note">
            {ownEmailsNote}
          </span>
        </p>
      </form>
      <form onSubmit={saveSites}>
        <h3>{t('sitesTitle')}</h3>
        {named.map((id) => (
          <label key={id}>
            <input type="checkbox" checked={sites.includes(id)} onChange={() => toggle(id)} /> {t(SITE_LABELS[id])}
          </label>
        ))}
        <label for="origins">{t('originsLabel')}</label>
        <textarea id="origins" rows={3} value={origins} onInput={(e) => setOrigins((e.target as HTMLTextAreaElement).value)} />
        <p>
          <button type="submit">{t('saveSites')}</button>{' '}
          <span role="status" data-testid="sites-note">
            {sitesNote}
          </span>
        </p>
      </form>
      <section>
        <h3>{t('dbForMarketers')}</h3>
        <p class="muted">{t('dbOpenDashboardHint')}</p>
        <button type="button" onClick={openDashboard}>{t('dbOpenDashboard')}</button>
      </section>
      <p class="muted small">
        <a href="/privacy.html" target="_blank" rel="noopener">
          {t('privacyPolicy')}
        </a>
      </p>
    </main>
  );
}
