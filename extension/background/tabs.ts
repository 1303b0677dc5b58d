import { browser } from 'wxt/browser';
import { PageLeads } from '../../shared/contracts/messages.ts';

// What each tab's content script last found, in `storage.session` because the service
// worker may be stopped between a page naming a lead and the rep opening the panel.
const key = (tabId: number) => `tab:${tabId}`;

export async function setTabLeads(tabId: number, page: PageLeads): Promise<void> {
  await browser.storage.session.set({ [key(tabId)]: page });
  await enablePanel(tabId, page.leads.length > 0);
}

export async function getTabLeads(tabId: number): Promise<PageLeads | undefined> {
  const got = await browser.storage.session.get(key(tabId));
  return PageLeads.safeParse(got[key(tabId)]).data;
}

export async function forgetTab(tabId: number): Promise<void> {
  await browser.storage.session.remove(key(tabId));
}

/** The side panel exists only on tabs with a lead (Chrome); Firefox's sidebar is global. */
export async function enablePanel(tabId: number, enabled: boolean): Promise<void> {
  const sidePanel = (browser as { sidePanel?: typeof browser.sidePanel }).sidePanel;
  if (!sidePanel?.setOptions) return;
  // why: the tab may have closed since its page was read: no panel to enable or disable.
  await sidePanel.setOptions({ tabId, enabled, ...(enabled ? { path: `sidepanel.html?tabId=${tabId}` } : {}) }).catch(() => undefined);
}
