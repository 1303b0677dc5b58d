import { browser } from 'wxt/browser';
import type { Cache } from '../cache.ts';
import { Request, type Changed, type ReplyTo, type StatusReply } from '../../shared/contracts/messages.ts';
import { readSettings, writeSettings } from '../settings.ts';
import { rankLeads } from '../sites/index.ts';
import { clearAlerts, isAlert, raiseAlert } from './alerts.ts';
import { createApi, type Api, type ApiResult } from './api.ts';
import { createLookup } from './lookup.ts';
import { registerFinders } from './register.ts';
import { runStream } from './stream.ts';
import { createTagging, watchMarketerPanel } from './tagging.ts';
import { getTabLeads, setTabLeads } from './tabs.ts';
import { warnFailed } from '../warn.ts';

// The background: the only part that holds the token and talks to the server. Content
// scripts report what they found; panels and the options page ask; replies are typed per
// request (messages.ts) and every incoming message is parsed before it is used.

type Deps = { cache: Cache; fetchFn?: typeof fetch; now?: () => number };
type Sender = { tab?: { id?: number } | undefined };

export function createBackground({ cache, fetchFn = (...a) => fetch(...a), now = Date.now }: Deps) {
  let connection: StatusReply['connection'] = 'unknown';
  let stream: AbortController | undefined;
  /** True while `runStream` runs (it returns on abort and on a revoked token). */
  let streaming = false;

  // why: with no panel, options page or dashboard open, no one receives it and sending rejects;
  // whoever opens one later asks for what is current.
  const broadcast = (msg: Changed) => void browser.runtime.sendMessage(msg).catch(() => undefined);

  async function api(): Promise<Api | undefined> {
    const s = await readSettings();
    return s.serverUrl && s.token ? createApi({ serverUrl: s.serverUrl, token: s.token }, tracked) : undefined;
  }

  // Every response updates the connection state the panel shows (signed out, offline).
  const tracked: typeof fetch = async (input, init) => {
    try {
      const res = await fetchFn(input, init);
      setConnection(res.status === 401 || res.status === 403 ? 'unauthorized' : res.status >= 500 ? 'unreachable' : 'online');
      return res;
    } catch (error) {
      setConnection('unreachable');
      throw error;
    }
  };
  function setConnection(next: StatusReply['connection']) {
    if (next === connection) return;
    connection = next;
    broadcast({ type: 'changed', what: 'status' });
  }

  const tagging = createTagging({ fetchFn: tracked, broadcast: (tabId) => broadcast({ type: 'changed', what: 'tagging', ...(tabId !== undefined ? { tabId } : {}) }) });
  watchMarketerPanel();

  const lookup = createLookup({ cache, api, now, offline: () => connection === 'unreachable', onChange: (email) => broadcast({ type: 'changed', what: 'lead', email }) });

  async function viaApi<T, R>(call: (a: Api) => Promise<ApiResult<T>>, ok: (data: T) => R) {
    const client = await api();
    if (!client) return { status: 'problem' as const, problem: 'not-configured' as const };
    const r = await call(client);
    return r.ok ? ok(r.data) : { status: 'problem' as const, problem: r.problem, ...(r.message ? { message: r.message } : {}) };
  }

  async function handle(raw: unknown, sender: Sender): Promise<unknown> {
    const parsed = Request.safeParse(raw);
    if (!parsed.success) return { status: 'problem', problem: 'invalid', message: parsed.error.message };
    const msg = parsed.data;
    if (msg.type.startsWith('tagging-')) return tagging.handle(msg as Extract<Request, { type: `tagging-${string}` }>, sender);
    switch (msg.type) {
      case 'leads-found': {
        const tabId = sender.tab?.id;
        if (tabId === undefined) return { status: 'problem', problem: 'invalid' };
        // The content script cannot know the token's rep: drop the rep's own addresses (from
        // the server and the options page) and colleagues here, and say so.
        const { me, ownEmails } = await readSettings();
        const self = [...new Set([...msg.page.self, ...(me?.emails ?? []), ...ownEmails].map((e) => e.toLowerCase()))];
        const { leads, dropped } = rankLeads(msg.page.leads, self, me?.workspaceDomains ?? []);
        const seen = new Set(dropped.map((d) => d.email));
        const allDropped = [...(msg.page.dropped ?? []).filter((d) => !seen.has(d.email)), ...dropped].slice(0, 100);
        await setTabLeads(tabId, { ...msg.page, leads, dropped: allDropped });
        if (leads[0]) lookup.prefetch(leads[0].email);
        broadcast({ type: 'changed', what: 'tab', tabId });
        return { status: 'ok' } satisfies ReplyTo<'leads-found'>;
      }
      case 'get-status': {
        const s = await readSettings();
        const configured = Boolean(s.serverUrl && s.token);
        return {
          configured,
          ...(s.serverUrl ? { serverUrl: s.serverUrl } : {}),
          ...(s.me ? { me: s.me } : {}),
          ownEmails: s.ownEmails,
          connection: configured ? connection : 'unknown',
          alerts: s.alerts,
          sites: s.sites,
          origins: s.origins,
        } satisfies ReplyTo<'get-status'>;
      }
      case 'get-tab': {
        const page = await getTabLeads(msg.tabId);
        return (page ? { page } : {}) satisfies ReplyTo<'get-tab'>;
      }
      case 'get-lead':
        return lookup.get(msg.email, msg.refresh) satisfies Promise<ReplyTo<'get-lead'>>;
      case 'get-timeline':
        return viaApi((a) => a.timeline(msg.leadId, msg.before), (page) => ({ status: 'ok' as const, page }));
      case 'get-account':
        return viaApi((a) => a.account(msg.domain), (account) => ({ status: 'ok' as const, account }));
      case 'get-hot':
        return viaApi((a) => a.hot(), (hot) => ({ status: 'ok' as const, hot }));
      case 'send-feedback':
        return viaApi((a) => a.feedback(msg.leadId, msg.feedback), () => ({ status: 'ok' as const }));
      case 'save-connection': {
        // The token is tested before it is kept: a typo must not replace a working one.
        const r = await createApi({ serverUrl: msg.serverUrl, token: msg.token }, fetchFn).me();
        if (!r.ok) return { status: 'problem', problem: r.problem, ...(r.message ? { message: r.message } : {}) };
        await writeSettings({ serverUrl: msg.serverUrl, token: msg.token, me: r.data });
        await cache.clear();
        connection = 'online';
        startStream();
        broadcast({ type: 'changed', what: 'status' });
        return { status: 'ok', me: r.data } satisfies ReplyTo<'save-connection'>;
      }
      case 'set-sites':
        await writeSettings({ sites: msg.sites, origins: msg.origins });
        await registerFinders(msg.sites, msg.origins);
        return { status: 'ok' } satisfies ReplyTo<'set-sites'>;
      case 'set-own-emails':
        await writeSettings({ ownEmails: msg.emails.map((e) => e.toLowerCase()) });
        return { status: 'ok' } satisfies ReplyTo<'set-own-emails'>;
      case 'clear-alerts':
        await clearAlerts();
        broadcast({ type: 'changed', what: 'status' });
        return { status: 'ok' } satisfies ReplyTo<'clear-alerts'>;
    }
  }

  async function onStage(change: Parameters<Parameters<typeof runStream>[0]['onStage']>[0]) {
    const emails = await cache.expire(change.leadId);
    if (change.email) emails.push(change.email.toLowerCase());
    for (const email of new Set(emails)) broadcast({ type: 'changed', what: 'lead', email });
    if (isAlert(change)) await raiseAlert(change);
    broadcast({ type: 'changed', what: 'status' });
  }

  function startStream(): void {
    stream?.abort();
    stream = new AbortController();
    const signal = stream.signal;
    streaming = true;
    void readSettings()
      .then((s) => {
        if (!s.serverUrl || !s.token || signal.aborted) return;
        return runStream({ conn: { serverUrl: s.serverUrl, token: s.token }, onStage: (c) => void onStage(c), onStatus: setConnection, fetchFn, signal });
      })
      .catch(warnFailed('starting the stage stream'))
      .finally(() => {
        if (stream?.signal === signal) streaming = false;
      });
  }

  /** The alarm's check: reopen the stream unless it runs or the token was refused. */
  function ensureStream(): boolean {
    if (streaming || connection === 'unauthorized') return false;
    startStream();
    return true;
  }

  function stop(): void {
    stream?.abort();
    streaming = false;
  }

  return { handle, startStream, ensureStream, stop, onStage, lookup };
}
export type Background = ReturnType<typeof createBackground>;

