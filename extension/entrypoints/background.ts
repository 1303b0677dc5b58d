import '../zod-jitless.ts';
import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { createBackground } from '../background/core.ts';
import { registerFinders } from '../background/register.ts';
import { forgetTab } from '../background/tabs.ts';
import { keepStreamOpen, openNotifiedLead } from '../background/wake.ts';
import { openCache } from '../cache.ts';
import { readSettings } from '../settings.ts';
import { warnFailed } from '../warn.ts';

export default defineBackground({
  type: 'module',
  main() {
    const bg = createBackground({ cache: openCache() });

    browser.runtime.onMessage.addListener((msg, sender) => {
      // Replies to our own broadcasts are not expected; everything else goes to the router.
      if ((msg as { type?: string })?.type === 'changed') return undefined;
      return bg.handle(msg, sender);
    });
    browser.tabs.onRemoved.addListener((tabId) => void forgetTab(tabId));

    // Chrome: the toolbar button opens the panel where it is enabled.
    const sidePanel = (browser as { sidePanel?: typeof browser.sidePanel }).sidePanel;
    void sidePanel?.setPanelBehavior?.({ openPanelOnActionClick: true }).catch(warnFailed('making the toolbar button open the panel'));

    // The worker starts on install, on browser start and whenever an event wakes it: each
    // time, (re)open the stage stream and make sure the finders match the settings.
    bg.startStream();
    keepStreamOpen(() => void bg.ensureStream());
    browser.notifications.onClicked.addListener((id) => void openNotifiedLead(id).catch(warnFailed('opening the lead of a notification')));
    browser.runtime.onInstalled.addListener((details) => {
      void readSettings()
        .then(async (s) => {
          await registerFinders(s.sites, s.origins);
          // First install: the rep's next step is connecting to their server.
          if (details.reason === 'install' && !s.token) await browser.runtime.openOptionsPage();
        })
        .catch(warnFailed('setting up after install (finders, options page)'));
    });
  },
});
