import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createBackground } from '../../extension/background/core.ts';
import { TAGGER_JS, knownTags, syncMarketerPanel } from '../../extension/background/tagging.ts';
import { openCache } from '../../extension/cache.ts';
import { writeSettings } from '../../extension/settings.ts';
import { B2B_STARTER, Model } from '../../shared/index.ts';
import { REPLIES } from '../../shared/contracts/messages.ts';
import { installBrowserStubs } from './setup.ts';

// The background's half of tagging mode against a stand-in admin API: who may switch it on,
// injection on demand, and that only the tab in tagging mode may write with the admin token.

const SERVER = 'http://leadglow.test';
const TAB = 7;
let n = 0;

function setup({ role = 'admin', inject = 'ok' as 'ok' | 'denied' } = {}) {
  const stubs = installBrowserStubs();
  const live = Model.parse({ ...B2B_STARTER, version: 3, interestRules: [...B2B_STARTER.interestRules, { id: 'trial-click', label: 'Trial button', when: { types: ['click'], selector: '#trial', tag: 'trial' }, points: 5 }] });
  let draft: Model | undefined;
  const requests: { method: string; path: string; body?: unknown; auth: string | null }[] = [];
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const fetchFn = vi.fn(async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(String(input));
    const method = init.method ?? 'GET';
    const body = init.body ? JSON.parse(String(init.body)) : undefined;
    requests.push({ method, path: url.pathname + url.search, body, auth: new Headers(init.headers).get('authorization') });
    const path = url.pathname;
    if (path === '/v1/me') return json(200, { role, workspaceDomains: [] });
    if (path === '/v1/stream') return new Response(new ReadableStream(), { status: 200 });
    if (path === '/v1/models') return json(200, { items: [{ id: 'other', version: 1, name: 'Other', status: 'live', publishedAt: 2000 }, { id: live.id, version: 3, name: live.name, status: 'live', publishedAt: 1000 }] });
    if (path === `/v1/models/${live.id}`) return json(200, live);
    if (path === `/v1/models/${live.id}/draft`) return draft ? json(200, draft) : json(404, { error: 'no draft' });
    if (path === `/v1/models/${live.id}/draft/tags` && method === 'POST') {
      const base = draft ?? { ...live, version: 4 };
      draft = { ...base, interestRules: [...base.interestRules, { id: `tag-${body.tag}-1`, label: body.tag, kind: 'event', when: body.target === 'element' ? { types: ['click'], selector: body.selector, tag: body.tag } : { types: ['page_view'], path: body.pattern }, points: body.weight, repeat: 'every', decays: true }] };
      return json(200, draft);
    }
    if (path === `/v1/models/${live.id}/draft/publish`) return json(201, { id: live.id, version: 4, rescoring: true });
    if (path === '/v1/pages') return json(200, { pattern: url.searchParams.get('pattern'), matches: [{ path: '/case-studies/acme', views: 9 }], total: 1 });
    return json(404, { error: 'not found' });
  });
  const execute = vi.fn(async () => {
    if (inject === 'denied') throw new Error('Cannot access contents of the page. Extension manifest must request permission to access the respective host.');
    return [];
  });
  const sendToTab = vi.fn(async (_tabId: number, msg: { type: string }) => (msg.type === 'tagging-ping' ? true : undefined));
  const b = fakeBrowser as unknown as Record<string, Record<string, unknown>>;
  b.scripting = { ...b.scripting, executeScript: execute };
  fakeBrowser.tabs.sendMessage = sendToTab as never;
  const bg = createBackground({ cache: openCache(`tagging-bg-${n++}`), fetchFn: fetchFn as typeof fetch });
  const ask = async <T extends keyof typeof REPLIES>(msg: { type: T } & Record<string, unknown>, tabId?: number) =>
    REPLIES[msg.type].parse(await bg.handle(msg, tabId === undefined ? {} : { tab: { id: tabId } })) as never as Record<string, any>;
  const connect = () => ask({ type: 'save-connection', serverUrl: SERVER, token: `${role}-token` });
  return { bg, ask, connect, requests, execute, sendToTab, stubs, live, draft: () => draft };
}

describe('tagging mode in the background', () => {
  beforeEach(() => fakeBrowser.reset());

  it('needs a connection, and an admin token', async () => {
    const rep = setup({ role: 'rep' });
    expect(await rep.ask({ type: 'tagging-start', tabId: TAB })).toEqual({ status: 'problem', problem: 'not-configured' });
    await rep.connect();
    expect(await rep.ask({ type: 'tagging-start', tabId: TAB })).toMatchObject({ status: 'problem', problem: 'unauthorized' });
    expect(rep.execute).not.toHaveBeenCalled();
  });

  it('injects the tagger into the chosen tab only when switched on, and says when the site is not granted', async () => {
    const t = setup();
    await t.connect();
    expect(await t.ask({ type: 'tagging-start', tabId: TAB })).toEqual({ status: 'ok' });
    expect(t.execute).toHaveBeenCalledWith({ target: { tabId: TAB }, files: [TAGGER_JS] });
    expect(await t.ask({ type: 'tagging-state', tabId: TAB })).toEqual({ on: true });
    // A content script in some page may not inject the tagger elsewhere.
    const fromPage = await t.bg.handle({ type: 'tagging-start', tabId: TAB + 2 }, { tab: { id: 3 }, url: 'https://crm.example.com/' } as never);
    expect(fromPage).toMatchObject({ status: 'problem', problem: 'unauthorized' });
    expect(t.execute).toHaveBeenCalledTimes(1);
    expect(await t.ask({ type: 'tagging-state', tabId: TAB + 1 })).toEqual({ on: false });

    const denied = setup({ inject: 'denied' });
    await denied.connect();
    expect(await denied.ask({ type: 'tagging-start', tabId: TAB })).toEqual({ status: 'needs-access' });
    expect(await denied.ask({ type: 'tagging-state', tabId: TAB })).toEqual({ on: false });
  });

  it('answers the tagger only in the tab that is in tagging mode', async () => {
    const t = setup();
    await t.connect();
    expect(await t.ask({ type: 'tagging-context', url: 'https://www.example.com/pricing' }, TAB)).toMatchObject({ status: 'problem', problem: 'unauthorized' });
    const save = { type: 'tagging-save', modelId: t.live.id, request: { target: 'element', selector: '#demo', tag: 'demo', weight: 25 } } as const;
    expect(await t.ask(save, TAB)).toMatchObject({ status: 'problem', problem: 'unauthorized' });
    expect(t.requests.some((r) => r.path.includes('/draft/tags'))).toBe(false);

    await t.ask({ type: 'tagging-start', tabId: TAB });
    // The primary model is the oldest live one.
    const context = await t.ask({ type: 'tagging-context', url: 'https://www.example.com/pricing' }, TAB);
    expect(context).toMatchObject({ status: 'ok', model: { id: t.live.id, version: 3 } });
    expect(context.model.draftVersion).toBeUndefined();
    expect(context.tags).toContainEqual({ source: 'live', ruleId: 'trial-click', label: 'trial', points: 5, selector: '#trial' });

    expect(await t.ask(save, TAB)).toEqual({ status: 'ok', model: { id: t.live.id, name: t.live.name, version: 3, draftVersion: 4 }, ruleId: 'tag-demo-1' });
    const posted = t.requests.find((r) => r.path.endsWith('/draft/tags'))!;
    expect(posted).toEqual({ method: 'POST', path: `/v1/models/${t.live.id}/draft/tags`, body: save.request, auth: 'Bearer admin-token' });

    const again = await t.ask({ type: 'tagging-context', url: 'https://www.example.com/pricing' }, TAB);
    expect(again.tags).toContainEqual({ source: 'draft', ruleId: 'tag-demo-1', label: 'demo', points: 25, selector: '#demo' });
    expect(again.tags.filter((x: { ruleId: string }) => x.ruleId === 'trial-click')).toHaveLength(1);

    expect(await t.ask({ type: 'tagging-pages', pattern: '/case-studies/*' }, TAB)).toMatchObject({ status: 'ok', pages: { total: 1 } });
    expect(t.requests.at(-1)!.path).toBe('/v1/pages?pattern=%2Fcase-studies%2F*&limit=8');
    expect(await t.ask({ type: 'tagging-publish', modelId: t.live.id }, TAB)).toEqual({ status: 'ok', version: 4 });
    const create = vi.spyOn(fakeBrowser.tabs, 'create');
    expect(await t.ask({ type: 'tagging-dashboard' }, TAB)).toEqual({ status: 'ok' });
    expect(create).toHaveBeenCalledWith({ url: '/dashboard.html' });
  });

  it('switches off: tells the tagger to leave and forgets the tab', async () => {
    const t = setup();
    await t.connect();
    await t.ask({ type: 'tagging-start', tabId: TAB });
    expect(await t.ask({ type: 'tagging-stop', tabId: TAB })).toEqual({ status: 'ok' });
    expect(t.sendToTab).toHaveBeenCalledWith(TAB, { type: 'tagging-off' });
    expect(await t.ask({ type: 'tagging-context', url: 'https://www.example.com/' }, TAB)).toMatchObject({ problem: 'unauthorized' });
    // Escape in the page: the tagger stops its own tab.
    await t.ask({ type: 'tagging-start', tabId: TAB });
    expect(await t.ask({ type: 'tagging-stop' }, TAB)).toEqual({ status: 'ok' });
    expect(await t.ask({ type: 'tagging-state', tabId: TAB })).toEqual({ on: false });
  });

  it('gives marketers the side panel on every tab, and reps only where a lead is', async () => {
    const { stubs } = setup();
    await writeSettings({ me: { role: 'admin', workspaceDomains: [] } });
    await syncMarketerPanel();
    expect(stubs.sidePanel.setOptions).toHaveBeenLastCalledWith({ enabled: true, path: 'sidepanel.html' });
    await writeSettings({ me: { role: 'rep', workspaceDomains: [] } });
    await syncMarketerPanel();
    expect(stubs.sidePanel.setOptions).toHaveBeenLastCalledWith({ enabled: false });
  });

  it('lists selector and page rules as known tags, draft-only ones marked', () => {
    const live = Model.parse({ ...B2B_STARTER, interestRules: [{ id: 'p', label: 'Pricing', when: { path: '/pricing' }, points: 20 }, { id: 'd', label: 'Downloads', when: { types: ['download'], path: '/x' }, points: 5 }] });
    const draft = Model.parse({ ...live, version: live.version + 1, interestRules: [...live.interestRules, { id: 'c', label: 'Demo', when: { types: ['click'], selector: '#demo' }, points: 25 }] });
    expect(knownTags(live, draft)).toEqual([
      { source: 'live', ruleId: 'p', label: 'Pricing', points: 20, path: '/pricing' },
      { source: 'draft', ruleId: 'c', label: 'Demo', points: 25, selector: '#demo' },
    ]);
  });
});
