import { browser } from 'wxt/browser';
import { labelIn } from '../../shared/contracts/lead.ts';
import type { Model, ModelListItem, TagRequest } from '../../shared/index.ts';
import type { KnownTag, ReplyTo, Request, TaggingModel } from '../../shared/contracts/messages.ts';
import { FORM_INTENTS, type EventOf, type FormIntent } from '../../shared/contracts/event.ts';
import { compileModel } from '../../shared/scoring/compile.ts';
import { pathOf } from '../../shared/scoring/glob.ts';
import { createAdminApi, type AdminApi } from '../admin-api.ts';
import { readSettings } from '../settings.ts';
import type { ApiResult } from './api.ts';
import { warnFailed } from '../warn.ts';

// Tagging mode, the background's half: injects the tagger into a tab the marketer chose (no
// standing access to their site: the script goes in only when they switch tagging on), and
// carries the tagger's requests to the admin API. The token stays here; the tagger only ever
// sees the model's id, name and tag rules.

export const TAGGER_JS = '/content-scripts/tagger.js';
const key = (tabId: number) => `tagging:${tabId}`;

type TaggingRequest = Extract<Request, { type: `tagging-${string}` }>;
type Sender = { tab?: { id?: number } | undefined; url?: string | undefined };
type Deps = { fetchFn: typeof fetch; broadcast: (tabId: number | undefined) => void };
type Failed = { status: 'problem'; problem: 'not-configured' | 'unauthorized' | 'unreachable' | 'not-found' | 'invalid'; message?: string };

const fail = (r: Extract<ApiResult<unknown>, { ok: false }>): Failed => ({ status: 'problem', problem: r.problem, ...(r.message ? { message: r.message } : {}) });

export function createTagging({ fetchFn, broadcast }: Deps) {
  async function admin(): Promise<AdminApi | undefined> {
    const s = await readSettings();
    return s.serverUrl && s.token ? createAdminApi({ serverUrl: s.serverUrl, token: s.token }, fetchFn, 15_000) : undefined;
  }

  async function isTagging(tabId: number | undefined): Promise<boolean> {
    if (tabId === undefined) return false;
    return (await browser.storage.session.get(key(tabId)))[key(tabId)] === true;
  }
  async function setTagging(tabId: number, on: boolean): Promise<void> {
    if (on) await browser.storage.session.set({ [key(tabId)]: true });
    else await browser.storage.session.remove(key(tabId));
    broadcast(tabId);
  }

  /** The model tagging edits: the primary live one (a server that does not mark it: the oldest published, its default). */
  async function primaryModel(api: AdminApi): Promise<ApiResult<{ live: Model; draft: Model | undefined }>> {
    const list = await api.models();
    if (!list.ok) return list;
    const lives = list.data.items.filter((m) => m.status === 'live');
    const live = lives.find((m) => m.primary) ?? lives.sort(byPublished)[0];
    if (!live) return { ok: false, problem: 'not-found', message: 'no live model' };
    const model = await api.model(live.id);
    if (!model.ok) return model;
    const draft = await api.draft(live.id);
    if (!draft.ok && draft.problem !== 'not-found') return draft;
    return { ok: true, data: { live: model.data, draft: draft.ok ? draft.data : undefined } };
  }

  async function handle(msg: TaggingRequest, sender: Sender): Promise<unknown> {
    // Switching on and asking the state are for the panel; a content script (say, a CRM page's
    // finder) has no business injecting the tagger anywhere.
    // (Only our own pages can message us with an extension URL: other extensions arrive on onMessageExternal.)
    const fromPage = sender.tab !== undefined && !/^(chrome|moz|safari-web)-extension:/.test(sender.url ?? '');
    if (fromPage && (msg.type === 'tagging-start' || msg.type === 'tagging-state')) return { status: 'problem', problem: 'unauthorized' };
    switch (msg.type) {
      case 'tagging-start':
        return start(msg.tabId);
      case 'tagging-stop': {
        // From the panel (a tab id) or from the tagger itself (Escape: its own tab).
        const tabId = msg.tabId ?? sender.tab?.id;
        if (tabId === undefined) return { status: 'problem', problem: 'invalid' };
        // why: the tab closed or moved to another page, and its tagger with it: nothing to stop.
        await browser.tabs.sendMessage(tabId, { type: 'tagging-off' }).catch(() => undefined);
        await setTagging(tabId, false);
        return { status: 'ok' } satisfies ReplyTo<'tagging-stop'>;
      }
      case 'tagging-state': {
        // The tagger dies with its page: ask it, rather than trust what was stored.
        // why: no answer to the ping is the answer: no tagger runs in that tab (any more).
        const alive = await isTagging(msg.tabId) && (await browser.tabs.sendMessage(msg.tabId, { type: 'tagging-ping' }).then((r) => r === true, () => false));
        return { on: alive } satisfies ReplyTo<'tagging-state'>;
      }
    }
    // The rest writes with the admin token: only a tab the marketer switched into tagging mode may ask.
    if (!(await isTagging(sender.tab?.id))) return { status: 'problem', problem: 'unauthorized', message: 'tagging mode is off in this tab' };
    const api = await admin();
    if (!api) return { status: 'problem', problem: 'not-configured' };
    switch (msg.type) {
      case 'tagging-context': {
        const r = await primaryModel(api);
        if (!r.ok) return fail(r);
        const current = r.data.draft ?? r.data.live;
        return {
          status: 'ok',
          model: modelInfo(r.data.live, r.data.draft),
          tags: knownTags(r.data.live, r.data.draft),
          formIntents: current.formIntents ?? [],
          handRaiseIntents: handRaiseIntents(current, msg.url),
        } satisfies ReplyTo<'tagging-context'>;
      }
      case 'tagging-form-intent': {
        const r = await api.setFormIntent(msg.modelId, msg.formId, msg.intent);
        if (!r.ok) return { ...fail(r), ...(r.details ? { details: r.details } : {}) };
        const live = await api.model(msg.modelId);
        return { status: 'ok', model: modelInfo(live.ok ? live.data : r.data, r.data), formIntents: r.data.formIntents ?? [] } satisfies ReplyTo<'tagging-form-intent'>;
      }
      case 'tagging-save': {
        const r = await api.addTag(msg.modelId, msg.request);
        if (!r.ok) return { ...fail(r), ...(r.details ? { details: r.details } : {}) };
        const live = await api.model(msg.modelId);
        const ruleId = ruleFor(r.data, msg.request);
        return {
          status: 'ok',
          model: modelInfo(live.ok ? live.data : r.data, r.data),
          ...(ruleId ? { ruleId } : {}),
        } satisfies ReplyTo<'tagging-save'>;
      }
      case 'tagging-pages': {
        const r = await api.pages(msg.pattern, 8);
        return r.ok ? ({ status: 'ok', pages: r.data } satisfies ReplyTo<'tagging-pages'>) : fail(r);
      }
      case 'tagging-dashboard':
        // The draft's full review (backtest, diff) is on the dashboard, an extension page the tagger cannot open itself.
        await browser.tabs.create({ url: '/dashboard.html' });
        return { status: 'ok' } satisfies ReplyTo<'tagging-dashboard'>;
      case 'tagging-publish': {
        const r = await api.publishDraft(msg.modelId);
        return r.ok ? ({ status: 'ok', version: r.data.version } satisfies ReplyTo<'tagging-publish'>) : fail(r);
      }
    }
  }

  async function start(tabId: number): Promise<ReplyTo<'tagging-start'>> {
    const s = await readSettings();
    if (!s.serverUrl || !s.token) return { status: 'problem', problem: 'not-configured' };
    if (s.me && s.me.role !== 'admin') return { status: 'problem', problem: 'unauthorized', message: 'tagging needs an admin token' };
    await browser.storage.session.set({ [key(tabId)]: true });
    try {
      await browser.scripting.executeScript({ target: { tabId }, files: [TAGGER_JS] });
    } catch {
      // why: no host access to the tab's site (or a browser page): the panel asks for the site.
      await browser.storage.session.remove(key(tabId));
      return { status: 'needs-access' };
    }
    broadcast(tabId);
    return { status: 'ok' };
  }

  return { handle, isTagging, setTagging };
}
export type Tagging = ReturnType<typeof createTagging>;

/**
 * Chrome shows our side panel only on tabs where a lead was found. A marketer (admin token)
 * needs it on their own site to switch tagging on, so for them it is enabled on every tab and
 * follows the active one; tab-specific settings (a CRM page without a lead) still win.
 */
export async function syncMarketerPanel(): Promise<void> {
  const sidePanel = (browser as { sidePanel?: typeof browser.sidePanel }).sidePanel;
  if (!sidePanel?.setOptions) return;
  const { me } = await readSettings();
  await sidePanel.setOptions({ enabled: me?.role === 'admin', ...(me?.role === 'admin' ? { path: 'sidepanel.html' } : {}) }).catch(warnFailed('showing the side panel for a marketer'));
}

export function watchMarketerPanel(): void {
  void syncMarketerPanel();
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && 'me' in changes) void syncMarketerPanel();
  });
}

const byPublished = (a: ModelListItem, b: ModelListItem) => (a.publishedAt ?? Infinity) - (b.publishedAt ?? Infinity) || a.id.localeCompare(b.id);

function modelInfo(live: Model, draft: Model | undefined): TaggingModel {
  return { id: live.id, name: live.name, version: live.version, ...(draft ? { draftVersion: draft.version } : {}) };
}

/** Interest rules that tagging mode can show on a page: by element selector or by path glob. */
export function knownTags(live: Model, draft: Model | undefined): KnownTag[] {
  const fromModel = (m: Model, source: KnownTag['source']): KnownTag[] =>
    m.interestRules
      .filter((r) => r.when.selector || (r.when.path && !r.when.types?.some((t) => t !== 'page_view')))
      .map((r) => ({
        source,
        ruleId: r.id,
        // Rules made by tagging are labelled `Clicked "Book a demo" (demo)`: the badge shows the tag.
        label: r.when.tag ?? /\(([^()]{1,40})\)$/.exec(labelIn(r.label, 'en'))?.[1] ?? labelIn(r.label, 'en'),
        points: r.points,
        ...(r.when.selector ? { selector: r.when.selector } : { path: r.when.path! }),
      }));
  const liveTags = fromModel(live, 'live');
  const seen = new Set(liveTags.map((t) => JSON.stringify([t.ruleId, t.selector, t.path, t.points])));
  const draftOnly = draft ? fromModel(draft, 'draft').filter((t) => !seen.has(JSON.stringify([t.ruleId, t.selector, t.path, t.points]))) : [];
  return [...liveTags, ...draftOnly];
}

/**
 * The intents that make a form sent on the page at `url` a hand-raise under `model`'s rules
 * (the starter model: demo, contact, quote, trial, pricing), so the tagger can say whether the
 * form in front of the marketer is one without holding the model itself.
 */
export function handRaiseIntents(model: Model, url: string): FormIntent[] {
  const compiled = compileModel(model);
  let path = '/';
  try {
    path = pathOf(url).toLowerCase();
  } catch {
    // why: not a URL: judged as the site's root, where a path rule names nothing.
  }
  return FORM_INTENTS.filter((intent) => {
    // A form id no override or formId rule names: only the intent decides.
    const probe = { type: 'form_submit', id: '', ts: 0, site: '', anonymousId: '', sessionId: '', url, formId: '\u0000', fields: [], intent } as unknown as EventOf<'form_submit'>;
    return compiled.handRaise.some((h) => h.matches(probe, path));
  });
}

/** The rule a tag request became: the last one in the draft that matches it. */
export function ruleFor(draft: Model, request: TagRequest): string | undefined {
  const hit = draft.interestRules.filter((r) => (request.target === 'element' ? r.when.selector === request.selector : r.when.path === request.pattern));
  return hit.at(-1)?.id;
}
