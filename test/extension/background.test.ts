import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createBackground } from '../../extension/background/core.ts';
import { openCache } from '../../extension/cache.ts';
import { REPLIES } from '../../shared/contracts/messages.ts';
import { readSettings } from '../../extension/settings.ts';
import { keepStreamOpen, openNotifiedLead, STREAM_ALARM } from '../../extension/background/wake.ts';
import { createFakeApi, visit } from './fake-api.ts';
import { installBrowserStubs } from './setup.ts';

const SERVER = 'http://leadglow.test';
const NOW = Date.UTC(2025, 5, 12, 12);
let n = 0;

function setup() {
  const stubs = installBrowserStubs();
  const api = createFakeApi({ now: () => NOW });
  const anna = api.addLead(
    { email: 'anna.devries@acme-logistics.nl', name: 'Anna de Vries', jobTitle: 'Head of Operations', company: { domain: 'acme-logistics.nl', name: 'Acme Logistics', size: 400, industry: 'software' }, country: 'NL' },
    visit('site-1', 's1', NOW - 2 * 86_400_000, [{ path: '/pricing', title: 'Pricing', engagedMs: 180_000 }, { download: 'whitepaper.pdf' }]),
  );
  const fetchFn = vi.fn(api.handle);
  let now = NOW;
  const bg = createBackground({ cache: openCache(`bg-test-${n++}`), fetchFn: fetchFn as typeof fetch, now: () => now });
  const ask = async <T extends keyof typeof REPLIES>(msg: { type: T } & Record<string, unknown>, tabId?: number) =>
    REPLIES[msg.type].parse(await bg.handle(msg, tabId === undefined ? {} : { tab: { id: tabId } })) as never as Record<string, any>;
  const connect = () => ask({ type: 'save-connection', serverUrl: SERVER, token: api.token });
  return { api, anna, bg, ask, connect, fetchFn, stubs, advance: (ms: number) => (now += ms) };
}

describe('background', () => {
  beforeEach(() => {
    fakeBrowser.reset();
  });

  it('is not configured until a token is saved', async () => {
    const { ask } = setup();
    expect(await ask({ type: 'get-status' })).toMatchObject({ configured: false });
    expect(await ask({ type: 'get-lead', email: 'anna.devries@acme-logistics.nl' })).toEqual({ status: 'problem', problem: 'not-configured' });
  });

  it('tests a token against /v1/me before saving it', async () => {
    const { ask, connect } = setup();
    expect(await ask({ type: 'save-connection', serverUrl: SERVER, token: 'wrong' })).toMatchObject({ status: 'problem', problem: 'unauthorized' });
    expect((await readSettings()).token).toBeUndefined();
    expect(await connect()).toMatchObject({ status: 'ok', me: { role: 'rep', workspaceDomains: ['leadglow-demo.com'] } });
    expect(await readSettings()).toMatchObject({ serverUrl: SERVER, token: 'rep-token' });
    expect(await ask({ type: 'get-status' })).toMatchObject({ configured: true, connection: 'online' });
  });

  it('rejects malformed messages', async () => {
    const { bg } = setup();
    expect(await bg.handle({ type: 'get-lead', email: 42 }, {})).toMatchObject({ status: 'problem', problem: 'invalid' });
    expect(await bg.handle({ type: 'steal-token' }, {})).toMatchObject({ status: 'problem', problem: 'invalid' });
    expect(await bg.handle({ type: 'leads-found', page: { site: 'gmail', url: 'x', leads: [] } }, {})).toMatchObject({ problem: 'invalid' });
  });

  it('keeps what a tab found, ranked and without colleagues, and enables the panel there', async () => {
    const { ask, connect, stubs } = setup();
    await connect();
    const page = {
      site: 'gmail',
      url: 'https://mail.google.com/mail/u/0/#inbox/abc',
      self: ['rep@leadglow-demo.com'],
      leads: [
        { email: 'sam@leadglow-demo.com', role: 'recipient' },
        { email: 'anna.devries@acme-logistics.nl', role: 'sender', name: 'Anna de Vries' },
      ],
    };
    expect(await ask({ type: 'leads-found', page }, 7)).toEqual({ status: 'ok' });
    const tab = await ask({ type: 'get-tab', tabId: 7 });
    expect(tab.page.leads).toEqual([{ email: 'anna.devries@acme-logistics.nl', role: 'sender', name: 'Anna de Vries' }]);
    expect(stubs.sidePanel.setOptions).toHaveBeenCalledWith({ tabId: 7, enabled: true, path: 'sidepanel.html?tabId=7' });
    await ask({ type: 'leads-found', page: { ...page, leads: [] } }, 7);
    expect(stubs.sidePanel.setOptions).toHaveBeenLastCalledWith({ tabId: 7, enabled: false });
  });

  it('answers a lead from the server, then from the cache, and refreshes it when stale', async () => {
    const { ask, connect, fetchFn, advance } = setup();
    await connect();
    const changed = vi.fn();
    fakeBrowser.runtime.onMessage.addListener(changed);
    const first = await ask({ type: 'get-lead', email: 'Anna.deVries@acme-logistics.nl' });
    expect(first).toMatchObject({ status: 'ok', refreshing: false, view: { lead: { name: 'Anna de Vries' } } });
    const calls = fetchFn.mock.calls.length;
    expect(await ask({ type: 'get-lead', email: 'anna.devries@acme-logistics.nl' })).toMatchObject({ status: 'ok', refreshing: false });
    expect(fetchFn.mock.calls.length).toBe(calls);
    advance(5 * 60_000);
    expect(await ask({ type: 'get-lead', email: 'anna.devries@acme-logistics.nl' })).toMatchObject({ status: 'ok', refreshing: true });
    await vi.waitFor(() => expect(changed).toHaveBeenCalledWith({ type: 'changed', what: 'lead', email: 'anna.devries@acme-logistics.nl' }, expect.anything()));
    expect(fetchFn.mock.calls.length).toBe(calls + 1);
  });

  it('shares one request between the prefetch and the panel', async () => {
    const { ask, connect, fetchFn } = setup();
    await connect();
    const before = fetchFn.mock.calls.length;
    await Promise.all([ask({ type: 'get-lead', email: 'anna.devries@acme-logistics.nl' }), ask({ type: 'get-lead', email: 'anna.devries@acme-logistics.nl' })]);
    expect(fetchFn.mock.calls.length).toBe(before + 1);
  });

  it('says when a lead is unknown', async () => {
    const { ask, connect } = setup();
    await connect();
    expect(await ask({ type: 'get-lead', email: 'nobody@nowhere.example' })).toMatchObject({ status: 'problem', problem: 'not-found' });
  });

  it('serves the cached lead with its age when the server is unreachable', async () => {
    const { ask, connect, api, advance } = setup();
    await connect();
    await ask({ type: 'get-lead', email: 'anna.devries@acme-logistics.nl' });
    api.state.mode = 'down';
    advance(2 * 3_600_000);
    expect(await ask({ type: 'get-lead', email: 'anna.devries@acme-logistics.nl', refresh: true })).toMatchObject({ status: 'offline', fetchedAt: NOW });
    expect(await ask({ type: 'get-status' })).toMatchObject({ connection: 'unreachable' });
    expect(await ask({ type: 'get-lead', email: 'someone@else.example' })).toMatchObject({ status: 'problem', problem: 'unreachable' });
  });

  it('reports a revoked token as signed out', async () => {
    const { ask, connect, api } = setup();
    await connect();
    api.state.mode = 'revoked';
    expect(await ask({ type: 'get-lead', email: 'anna.devries@acme-logistics.nl' })).toMatchObject({ status: 'problem', problem: 'unauthorized' });
    expect(await ask({ type: 'get-status' })).toMatchObject({ connection: 'unauthorized' });
  });

  it('passes timeline, account, hot list and feedback through, validated', async () => {
    const { ask, connect, anna } = setup();
    await connect();
    const tl = await ask({ type: 'get-timeline', leadId: anna });
    expect(tl.page.items.map((i: { what: unknown }) => i.what)).toContainEqual({ kind: 'downloaded', file: 'whitepaper.pdf' });
    expect(await ask({ type: 'get-account', domain: 'acme-logistics.nl' })).toMatchObject({ status: 'ok', account: { name: 'Acme Logistics' } });
    expect((await ask({ type: 'get-hot' })).hot.items).toHaveLength(1);
    expect(await ask({ type: 'send-feedback', leadId: anna, feedback: { verdict: 'rejected', reason: 'student' } })).toEqual({ status: 'ok' });
  });

  it('registers finders only for enabled sites with granted access', async () => {
    const { ask, stubs } = setup();
    const b = fakeBrowser as unknown as { permissions: { contains: ReturnType<typeof vi.fn> } };
    b.permissions.contains.mockImplementation(async ({ origins }: { origins: string[] }) => !origins.some((o) => o.includes('hubspot')));
    await ask({ type: 'set-sites', sites: ['gmail', 'hubspot'], origins: ['https://crm.example.com'] });
    expect(stubs.registered.map((r) => [r.id, r.matches])).toEqual([
      ['leadglow-gmail', ['https://mail.google.com/*']],
      ['leadglow-origin-0', ['https://crm.example.com/*']],
    ]);
    await ask({ type: 'set-sites', sites: [], origins: [] });
    expect(stubs.registered).toEqual([]);
  });

  it('notifies and badges when a lead becomes sales-ready, and clears the badge when seen', async () => {
    const { ask, connect, bg, anna } = setup();
    await connect();
    await bg.onStage({ leadId: anna, email: 'anna.devries@acme-logistics.nl', name: 'Anna de Vries', modelId: 'b2b-starter', from: 'engaged', to: 'sales_ready', reason: { kind: 'hand-raise', rule: { en: 'Requested a demo', nl: 'Demo aangevraagd' }, evidence: { kind: 'submitted', form: 'demo' } }, at: NOW });
    const notes = await fakeBrowser.notifications.getAll();
    expect(Object.values(notes)).toEqual([expect.objectContaining({ title: 'Anna de Vries is sales-ready', message: 'Requested a demo: submitted form demo' })]);
    expect(await fakeBrowser.action.getBadgeText({})).toBe('1');
    expect((await ask({ type: 'get-status' })).alerts).toHaveLength(1);
    await ask({ type: 'clear-alerts' });
    expect(await fakeBrowser.action.getBadgeText({})).toBe('');
    await bg.onStage({ leadId: anna, modelId: 'b2b-starter', from: 'known', to: 'engaged', reason: { kind: 'engaged', interest: 12, threshold: 10 }, at: NOW });
    expect(Object.keys(await fakeBrowser.notifications.getAll())).toHaveLength(1);
  });
  it('drops the rep (token and options page) from what a tab found, and says why each address was left out', async () => {
    const { ask, connect, api } = setup();
    api.state.meEmails = ['robin@rep-home.example'];
    await connect();
    await ask({ type: 'set-own-emails', emails: ['Robin.Alias@Rep-Home.example'] });
    const page = {
      site: 'outlook',
      url: 'https://outlook.office.com/mail/inbox/id/AAQk',
      self: [],
      expected: true,
      region: '[data-app-section="MailReadCompose"]',
      dropped: [{ email: 'noreply@acme-logistics.nl', reason: 'automated' }],
      leads: [
        { email: 'robin@rep-home.example', role: 'recipient' },
        { email: 'robin.alias@rep-home.example', role: 'recipient' },
        { email: 'sam@leadglow-demo.com', role: 'recipient' },
        { email: 'anna.devries@acme-logistics.nl', role: 'sender' },
      ],
    };
    await ask({ type: 'leads-found', page }, 9);
    const tab = (await ask({ type: 'get-tab', tabId: 9 })).page;
    expect(tab.leads).toEqual([{ email: 'anna.devries@acme-logistics.nl', role: 'sender' }]);
    expect(tab.dropped).toEqual([
      { email: 'noreply@acme-logistics.nl', reason: 'automated' },
      { email: 'robin@rep-home.example', reason: 'self' },
      { email: 'robin.alias@rep-home.example', reason: 'self' },
      { email: 'sam@leadglow-demo.com', reason: 'colleague' },
    ]);
    expect(tab.region).toBe('[data-app-section="MailReadCompose"]');
    expect(await ask({ type: 'get-status' })).toMatchObject({ ownEmails: ['robin.alias@rep-home.example'], me: { emails: ['robin@rep-home.example'] } });
    expect(await bg_invalid(ask)).toMatchObject({ status: 'problem', problem: 'invalid' });
  });

  it('reopens the stage stream on the alarm after it stopped, and not while it runs', async () => {
    const { bg, connect, fetchFn } = setup();
    await connect();
    const streamCalls = () => fetchFn.mock.calls.filter(([url]) => String(url).endsWith('/v1/stream')).length;
    let ensure: () => void = () => undefined;
    const b = fakeBrowser as unknown as { alarms: { create: ReturnType<typeof vi.fn>; onAlarm: { addListener: (l: (a: { name: string }) => void) => void } } };
    const listeners: ((a: { name: string }) => void)[] = [];
    b.alarms = { create: vi.fn(async () => undefined), onAlarm: { addListener: (l) => void listeners.push(l) } };
    keepStreamOpen(() => void bg.ensureStream());
    ensure = () => listeners.forEach((l) => l({ name: STREAM_ALARM }));
    expect(b.alarms.create).toHaveBeenCalledWith(STREAM_ALARM, { periodInMinutes: 1 });
    await vi.waitFor(() => expect(streamCalls()).toBeGreaterThanOrEqual(1));
    const running = streamCalls();
    expect(bg.ensureStream()).toBe(false);
    // The worker slept: its stream is gone (as after a restart, where nothing runs).
    bg.stop();
    await vi.waitFor(() => expect(bg.ensureStream()).toBe(true));
    ensure();
    await vi.waitFor(() => expect(streamCalls()).toBeGreaterThan(running));
    bg.stop();
  });

  it('opens the lead when a sales-ready notification is clicked', async () => {
    const { ask, connect, bg, anna } = setup();
    await connect();
    await bg.onStage({ leadId: anna, email: 'anna.devries@acme-logistics.nl', name: 'Anna de Vries', modelId: 'b2b-starter', from: 'engaged', to: 'sales_ready', reason: { kind: 'hand-raise', rule: 'Requested a demo', evidence: { kind: 'submitted', form: 'demo' } }, at: NOW });
    const [id] = Object.keys(await fakeBrowser.notifications.getAll());
    const created = vi.spyOn(fakeBrowser.tabs, 'create');
    const url = await openNotifiedLead(id!);
    expect(url).toMatch(/\/sidepanel\.html\?lead=anna\.devries%40acme-logistics\.nl$/);
    expect(created).toHaveBeenCalledWith({ url });
    expect((await ask({ type: 'get-status' })).alerts).toEqual([expect.objectContaining({ seen: true })]);
    expect(Object.keys(await fakeBrowser.notifications.getAll())).toEqual([]);
    expect(await openNotifiedLead('something-else')).toBeUndefined();
  });
});

/** A set-own-emails with something that is not an address is refused whole. */
function bg_invalid(ask: (msg: { type: 'set-own-emails' } & Record<string, unknown>) => Promise<unknown>) {
  return ask({ type: 'set-own-emails', emails: ['robin@rep-home.example', 'not an address'] }).catch(() => ({ status: 'problem', problem: 'invalid' }));
}
