import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createBackground } from '../../extension/background/core.ts';
import { openCache } from '../../extension/cache.ts';
import { B2B_STARTER, Model } from '../../shared/index.ts';
import { REPLIES } from '../../shared/contracts/messages.ts';
import { installBrowserStubs } from './setup.ts';

// The background's half of the hand-raise control: the tagger's context carries the draft's
// form intents and the hand-raise intents on the page; a form intent goes to the admin API
// (PUT /v1/models/:id/draft/form-intents) only from the tab in tagging mode.

const SERVER = 'http://leadglow.test';
const TAB = 7;
let n = 0;

function setup() {
  installBrowserStubs();
  const live = Model.parse({ ...B2B_STARTER, version: 3 });
  let draft: Model | undefined = Model.parse({ ...B2B_STARTER, version: 4, formIntents: [{ formId: 'mc-embedded-subscribe-form', intent: 'contact' }] });
  const puts: { path: string; body: unknown }[] = [];
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const fetchFn = vi.fn(async (input: string | URL | Request, init: RequestInit = {}) => {
    const path = new URL(String(input)).pathname;
    const body = init.body ? JSON.parse(String(init.body)) : undefined;
    if (path === '/v1/me') return json(200, { role: 'admin', workspaceDomains: [] });
    if (path === '/v1/stream') return new Response(new ReadableStream(), { status: 200 });
    if (path === '/v1/models') return json(200, { items: [{ id: live.id, version: 3, name: live.name, status: 'live', publishedAt: 1000 }] });
    if (path === `/v1/models/${live.id}`) return json(200, live);
    if (path === `/v1/models/${live.id}/draft`) return draft ? json(200, draft) : json(404, { error: 'no draft' });
    if (path === `/v1/models/${live.id}/draft/form-intents` && init.method === 'PUT') {
      puts.push({ path, body });
      if (body.formId === 'x'.repeat(64)) return json(400, { error: 'invalid form intent', details: ['formId: too long'] });
      const others = (draft ?? live).formIntents.filter((o) => o.formId !== body.formId);
      draft = Model.parse({ ...(draft ?? live), version: 4, formIntents: body.intent ? [...others, { formId: body.formId, intent: body.intent }] : others });
      return json(200, draft);
    }
    return json(404, { error: 'not found' });
  });
  fakeBrowser.tabs.sendMessage = (async (_t: number, msg: { type: string }) => (msg.type === 'tagging-ping' ? true : undefined)) as never;
  const b = fakeBrowser as unknown as Record<string, Record<string, unknown>>;
  b.scripting = { ...b.scripting, executeScript: vi.fn(async () => []) };
  const bg = createBackground({ cache: openCache(`tagging-fi-${n++}`), fetchFn: fetchFn as typeof fetch });
  const ask = async <T extends keyof typeof REPLIES>(msg: { type: T } & Record<string, unknown>, tabId?: number) =>
    REPLIES[msg.type].parse(await bg.handle(msg, tabId === undefined ? {} : { tab: { id: tabId } })) as never as Record<string, any>;
  return { ask, puts, live };
}

describe('the hand-raise control in the background', () => {
  beforeEach(() => fakeBrowser.reset());

  it("gives the tagger the draft's form intents and the page's hand-raise intents, and saves one form's intent", async () => {
    const t = setup();
    await t.ask({ type: 'save-connection', serverUrl: SERVER, token: 'admin-token' });
    const save = { type: 'tagging-form-intent', modelId: t.live.id, formId: 'algemeen', intent: 'quote' } as const;
    // Not in tagging mode: refused, nothing written.
    expect(await t.ask(save, TAB)).toMatchObject({ status: 'problem', problem: 'unauthorized' });
    expect(t.puts).toEqual([]);

    await t.ask({ type: 'tagging-start', tabId: TAB });
    const context = await t.ask({ type: 'tagging-context', url: 'https://www.sterkado.nl/offerte-aanvragen/' }, TAB);
    expect(context).toMatchObject({ status: 'ok', formIntents: [{ formId: 'mc-embedded-subscribe-form', intent: 'contact' }], handRaiseIntents: ['demo', 'contact', 'quote', 'trial', 'pricing'] });

    expect(await t.ask(save, TAB)).toEqual({ status: 'ok', model: { id: t.live.id, name: t.live.name, version: 3, draftVersion: 4 }, formIntents: [{ formId: 'mc-embedded-subscribe-form', intent: 'contact' }, { formId: 'algemeen', intent: 'quote' }] });
    expect(t.puts.at(-1)).toEqual({ path: `/v1/models/${t.live.id}/draft/form-intents`, body: { formId: 'algemeen', intent: 'quote' } });
    expect((await t.ask({ ...save, formId: 'mc-embedded-subscribe-form', intent: null }, TAB)).formIntents).toEqual([{ formId: 'algemeen', intent: 'quote' }]);
    // The server's reasons come back with their paths.
    expect(await t.ask({ ...save, formId: 'x'.repeat(64) }, TAB)).toEqual({ status: 'problem', problem: 'invalid', message: 'invalid form intent', details: ['formId: too long'] });
  });
});
