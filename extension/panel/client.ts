import { browser } from 'wxt/browser';
import { Changed, REPLIES, type ReplyTo, type Request } from '../../shared/contracts/messages.ts';

// The panel's and options page's line to the background. Replies are parsed with the schema
// for their request: the panel never renders a shape it has not checked.
export type Client = {
  send<T extends Request['type']>(msg: Extract<Request, { type: T }>): Promise<ReplyTo<T>>;
  onChanged(listener: (c: Changed) => void): () => void;
};

export function browserClient(): Client {
  return {
    async send(msg) {
      const reply: unknown = await browser.runtime.sendMessage(msg);
      return REPLIES[msg.type].parse(reply) as never;
    },
    onChanged(listener) {
      const fn = (msg: unknown) => {
        const c = Changed.safeParse(msg);
        if (c.success) listener(c.data);
      };
      browser.runtime.onMessage.addListener(fn);
      return () => browser.runtime.onMessage.removeListener(fn);
    },
  };
}
