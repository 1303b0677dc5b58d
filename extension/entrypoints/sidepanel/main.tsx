import '../../zod-jitless.ts';
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { App } from '../../panel/App.tsx';
import { browserClient } from '../../panel/client.ts';
import { languageFromPage, t } from '../../i18n.ts';

// Chrome opens the panel as `sidepanel.html?tabId=N` (set per tab by the background);
// Firefox's sidebar has no tab of its own and follows the active tab.
async function tabIdOf(): Promise<number | undefined> {
  const fromUrl = Number(new URLSearchParams(location.search).get('tabId'));
  if (Number.isInteger(fromUrl) && fromUrl > 0) return fromUrl;
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id;
}

const root = document.getElementById('app')!;
languageFromPage();
document.title = t('sidebarTitle');
const client = browserClient();
// A notification's click opens this page in a tab with `?lead=` (or `?view=hot`).
const params = new URLSearchParams(location.search);
const lead = params.get('lead') ?? undefined;
const view = params.get('view') === 'hot' ? ('hot' as const) : undefined;
const show = (tabId: number | undefined) => render(<App key={tabId} client={client} tabId={tabId} initialLead={lead} initialView={view} />, root);
void tabIdOf().then(show);
if (!new URLSearchParams(location.search).has('tabId')) browser.tabs.onActivated.addListener(({ tabId }) => show(tabId));
