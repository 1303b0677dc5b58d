import { browser } from 'wxt/browser';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { browserSend } from '../tagging/client.ts';
import { startTagger } from '../tagging/overlay.ts';

// Tagging mode. Never registered: the background injects it with scripting.executeScript
// into the one tab the marketer switched tagging on for, so the extension holds no standing
// access to their site. Injecting again starts over (WXT ends the previous context).
export default defineContentScript({
  registration: 'runtime',
  matches: [],
  main(ctx) {
    const tagger = startTagger({ doc: document, send: browserSend, signal: ctx.signal });
    const onMessage = (msg: unknown, _sender: unknown, reply: (answer: boolean) => void): undefined => {
      const type = (msg as { type?: unknown } | null)?.type;
      if (type === 'tagging-off') tagger.stop();
      // Answers the panel's "is tagging still on here?" (the tagger dies with its page).
      if (type === 'tagging-ping') reply(tagger.active());
      return undefined;
    };
    browser.runtime.onMessage.addListener(onMessage);
    ctx.onInvalidated(() => browser.runtime.onMessage.removeListener(onMessage));
  },
});
