import { render } from 'preact';
import { browser } from 'wxt/browser';
import { App } from '../../panel/App.tsx';
import { browserClient } from '../../panel/client.ts';
import { languageFromPage } from '../../i18n.ts';

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
const client = browserClient();
const show = (tabId: number | undefined) => render(<App key={tabId} client={client} tabId={tabId} />, root);
void tabIdOf().then(show);
if (!new URLSearchParams(location.search).has('tabId')) browser.tabs.onActivated.addListener(({ tabId }) => show(tabId));
