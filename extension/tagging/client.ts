import { browser } from 'wxt/browser';
import { REPLIES, type ReplyTo, type Request } from '../../shared/contracts/messages.ts';
import { warnFailed } from '../warn.ts';

// The tagger's line to the background. Replies are parsed: the tagger runs next to a page we
// do not trust, and renders only what it has checked.
export type TaggerRequest = Extract<Request, { type: 'tagging-context' | 'tagging-save' | 'tagging-pages' | 'tagging-publish' | 'tagging-dashboard' | 'tagging-stop' | 'tagging-form-intent' }>;
export type Send = <T extends TaggerRequest['type']>(msg: Extract<TaggerRequest, { type: T }>) => Promise<ReplyTo<T>>;

export const browserSend: Send = async (msg) => REPLIES[msg.type].parse(await browser.runtime.sendMessage(msg)) as never;

/**
 * For a send that rejected (the background gone after an extension update, a reply that did not
 * parse): the tagger answers as if the server were unreachable, which is what the marketer can
 * act on, and the console keeps the real reason.
 */
export const unreachable = (what: string) => (error: unknown): { status: 'problem'; problem: 'unreachable' } => {
  warnFailed(`tagging mode: ${what}`)(error);
  return { status: 'problem', problem: 'unreachable' };
};
