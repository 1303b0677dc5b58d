// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Changed, LeadReply, ReplyTo, Request, StatusReply, PageLeads } from '../../shared/contracts/messages.ts';
import { App } from '../../extension/panel/App.tsx';
import type { Client } from '../../extension/panel/client.ts';
import { groupTimeline } from '../../extension/panel/timeline-groups.ts';
import { evidenceOf } from '../../shared/scoring/evidence.ts';
import { createFakeApi, visit } from './fake-api.ts';
import { installBrowserStubs } from './setup.ts';

// Every panel state, rendered into happy-dom from replies the background could give.
const NOW = Date.UTC(2025, 5, 12, 12);
const DAY = 86_400_000;

const api = createFakeApi({ now: () => NOW });
const anna = api.addLead(
  { email: 'anna.devries@acme-logistics.nl', name: 'Anna de Vries', jobTitle: 'Head of Operations', company: { domain: 'acme-logistics.nl', name: 'Acme Logistics', size: 400, industry: 'software' }, country: 'NL' },
  [
    ...visit('site-1', 's1', NOW - 2 * DAY, [{ path: '/pricing', title: 'Pricing', engagedMs: 180_000 }, { download: 'whitepaper.pdf' }]),
    ...visit('site-1', 's2', NOW - 1 * DAY, [{ path: '/case-studies/acme', title: 'Case study' }]),
  ],
);
const annaView = api.view(anna);

const status = (over: Partial<StatusReply> = {}): StatusReply => ({ configured: true, serverUrl: 'https://leadglow.test', connection: 'online', alerts: [], sites: ['gmail'], origins: [], ...over });
const page = (leads: PageLeads['leads']): PageLeads => ({ site: 'gmail', url: 'https://mail.google.com/mail/u/0/#inbox/abc', leads, self: [] });
const annaFound = { email: 'anna.devries@acme-logistics.nl', name: 'Anna de Vries', role: 'sender' as const };

type Replies = { [K in Request['type']]?: (msg: Extract<Request, { type: K }>) => ReplyTo<K> | Promise<ReplyTo<K>> };

function fakeClient(replies: Replies) {
  const listeners = new Set<(c: Changed) => void>();
  const client: Client = {
    send: vi.fn(async (msg: Request) => {
      const fn = replies[msg.type] as ((m: Request) => unknown) | undefined;
      if (fn) return fn(msg);
      if (msg.type === 'get-timeline') return api.handle(`http://x/v1/leads/${msg.leadId}/timeline`, { headers: { authorization: 'Bearer rep-token' } }).then(async (r) => ({ status: 'ok', page: await r.json() }));
      if (msg.type === 'get-hot') return api.handle('http://x/v1/hot', { headers: { authorization: 'Bearer rep-token' } }).then(async (r) => ({ status: 'ok', hot: await r.json() }));
      return { status: 'ok' };
    }) as Client['send'],
    onChanged: (l) => (listeners.add(l), () => listeners.delete(l)),
  };
  return { client, emit: (c: Changed) => listeners.forEach((l) => l(c)) };
}

describe('side panel states', () => {
  beforeEach(() => {
    installBrowserStubs();
    vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it('loading', () => {
    const { client } = fakeClient({ 'get-status': () => new Promise(() => undefined) });
    render(<App client={client} tabId={1} />);
    expect(screen.getByTestId('loading').textContent).toBe('Loading…');
  });

  it('not configured', async () => {
    const { client } = fakeClient({ 'get-status': () => status({ configured: false, connection: 'unknown' }) });
    render(<App client={client} tabId={1} />);
    expect((await screen.findByTestId('not-configured')).textContent).toContain('Connect Leadglow');
    expect(screen.getByRole('button', { name: 'Open options' })).toBeTruthy();
  });

  it('signed out (token revoked)', async () => {
    const { client } = fakeClient({ 'get-status': () => status({ connection: 'unauthorized' }), 'get-tab': () => ({ page: page([annaFound]) }) });
    render(<App client={client} tabId={1} />);
    expect((await screen.findByTestId('signed-out')).textContent).toContain('no longer accepts your token');
  });

  it('no lead on the page offers a search', async () => {
    const { client } = fakeClient({ 'get-status': () => status(), 'get-tab': () => ({}), 'get-lead': () => ({ status: 'ok', view: annaView, fetchedAt: NOW, refreshing: false }) });
    render(<App client={client} tabId={1} />);
    await screen.findByTestId('no-lead');
    fireEvent.input(screen.getByLabelText('Email address'), { target: { value: 'anna.devries@acme-logistics.nl' } });
    fireEvent.submit(screen.getByLabelText('Email address').closest('form')!);
    expect((await screen.findByTestId('lead-name')).textContent).toBe('Anna de Vries');
  });

  it('lead unknown', async () => {
    const { client } = fakeClient({
      'get-status': () => status(),
      'get-tab': () => ({ page: page([{ email: 'new@startup.example', role: 'sender' }]) }),
      'get-lead': () => ({ status: 'problem', problem: 'not-found' }),
    });
    render(<App client={client} tabId={1} />);
    expect((await screen.findByTestId('unknown')).textContent).toContain('new@startup.example is not a known lead');
    expect(screen.getByRole('button', { name: 'Search' })).toBeTruthy();
  });

  it('server unreachable without a cached copy', async () => {
    const { client } = fakeClient({ 'get-status': () => status({ connection: 'unreachable' }), 'get-tab': () => ({ page: page([annaFound]) }), 'get-lead': () => ({ status: 'problem', problem: 'unreachable' }) });
    render(<App client={client} tabId={1} />);
    expect((await screen.findByTestId('unreachable')).textContent).toContain('could not reach https://leadglow.test');
  });

  it('server unreachable shows the cached lead with its age', async () => {
    const { client } = fakeClient({
      'get-status': () => status({ connection: 'unreachable' }),
      'get-tab': () => ({ page: page([annaFound]) }),
      'get-lead': () => ({ status: 'offline', view: annaView, fetchedAt: NOW - 3 * 3_600_000 }),
    });
    render(<App client={client} tabId={1} />);
    expect((await screen.findByTestId('offline')).textContent).toBe('Server unreachable. Last updated 3 hours ago.');
    expect(screen.getByTestId('lead-name').textContent).toBe('Anna de Vries');
  });

  it('a lead: scores, stage, reasons with evidence and age, timeline by visit and day, account', async () => {
    const { client } = fakeClient({ 'get-status': () => status(), 'get-tab': () => ({ page: page([annaFound]) }), 'get-lead': () => ({ status: 'ok', view: annaView, fetchedAt: NOW, refreshing: false }) });
    const { container } = render(<App client={client} tabId={1} />);
    await screen.findByTestId('lead');
    const score = annaView.lead.scores[0]!;
    expect(screen.getByTestId('fit').textContent).toBe(`Fit${Math.round(score.fit.score)}${score.fit.grade}`);
    expect(screen.getByTestId('interest').textContent).toContain(`Interest${Math.round(score.interest.score)}`);
    expect(container.querySelector('svg.trend polyline')?.getAttribute('points')?.split(' ')).toHaveLength(30);
    expect(screen.getByTestId('stage').textContent).toContain('Engaged');
    expect(screen.getByTestId('stage').textContent).toContain('Next: ');
    // Each reason under its rule's name; interest decays: 15 points two days ago count 14 now.
    const reason = (rule: string) => screen.getByTestId('reasons').querySelector(`li[data-rule="${rule}"]`)?.textContent;
    expect(reason('pricing-page')).toBe('+14 Visited pricingvisited Pricing (/pricing) · 2 days ago');
    expect(reason('whitepaper')).toBe('+14 Downloaded a whitepaperdownloaded whitepaper.pdf · 2 days ago');
    expect(reason('senior-title')).toBe('+30 Senior decision makerJob title: “Head of Operations”');
    expect(reason('company-size')).toBe('+20 Company of 50 to 5,000 peopleCompany size: 400 employees');
    const timeline = await screen.findByTestId('timeline');
    expect(timeline.textContent).toContain('Yesterday');
    // One line per activity, with an icon naming its type; time on page beside the page.
    const lines = [...timeline.querySelectorAll('li')];
    expect(lines.map((l) => l.querySelector('.what')!.textContent)).toEqual(['visited Case study (/case-studies/acme)', 'downloaded whitepaper.pdf', 'visited Pricing (/pricing) · 3 min']);
    expect(lines.map((l) => l.querySelector('.icon')!.getAttribute('aria-label'))).toEqual(['Page view', 'Download', 'Page view']);
    expect(screen.getByTestId('account').textContent).toContain('Acme Logistics');
  });

  it('several leads: listed most relevant first, the first shown, another on a click', async () => {
    const other = { email: 'karin@nordvik.se', name: 'Karin Lund', role: 'recipient' as const };
    const getLead = vi.fn((m: { email: string }): LeadReply => (m.email === annaFound.email ? { status: 'ok', view: annaView, fetchedAt: NOW, refreshing: false } : { status: 'problem', problem: 'not-found' }));
    const { client } = fakeClient({ 'get-status': () => status(), 'get-tab': () => ({ page: page([annaFound, other]) }), 'get-lead': getLead });
    render(<App client={client} tabId={1} />);
    const picker = await screen.findByTestId('picker');
    expect([...picker.querySelectorAll('button')].map((b) => b.textContent)).toEqual(['Anna de Vries sender', 'Karin Lund recipient']);
    await screen.findByTestId('lead');
    fireEvent.click(screen.getByRole('button', { name: /Karin Lund/ }));
    await screen.findByTestId('unknown');
    expect(getLead).toHaveBeenLastCalledWith(expect.objectContaining({ email: 'karin@nordvik.se' }));
  });

  it('renders hostile names as text', async () => {
    const evil = '<img src=x onerror=alert(1)>';
    const view = { ...annaView, lead: { ...annaView.lead, name: evil, jobTitle: '<b>boss</b>' } };
    const { client } = fakeClient({ 'get-status': () => status(), 'get-tab': () => ({ page: page([{ ...annaFound, name: evil }, { email: 'x@y.example', role: 'recipient' }]) }), 'get-lead': () => ({ status: 'ok', view, fetchedAt: NOW, refreshing: false }) });
    const { container } = render(<App client={client} tabId={1} />);
    expect((await screen.findByTestId('lead-name')).textContent).toBe(evil);
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('b')).toBeNull();
    expect(container.textContent).toContain('<b>boss</b>');
  });

  it('re-asks when the background says the lead changed', async () => {
    let stage: 'engaged' | 'sales_ready' = 'engaged';
    const view = () => ({ ...annaView, lead: { ...annaView.lead, scores: [{ ...annaView.lead.scores[0]!, stage }] } });
    const { client, emit } = fakeClient({ 'get-status': () => status(), 'get-tab': () => ({ page: page([annaFound]) }), 'get-lead': () => ({ status: 'ok', view: view(), fetchedAt: NOW, refreshing: false }) });
    render(<App client={client} tabId={1} />);
    await screen.findByTestId('lead');
    stage = 'sales_ready';
    emit({ type: 'changed', what: 'lead', email: annaFound.email });
    await waitFor(() => expect(screen.getByTestId('stage').textContent).toContain('Sales-ready'));
  });

  it('hot leads: by stage then interest, new since the last look marked, alerts counted and cleared', async () => {
    localStorage.setItem('leadglow.hotSeenAt', String(NOW - 2 * DAY));
    const { client } = fakeClient({
      'get-status': () => status({ alerts: [{ seen: false, change: { leadId: anna, modelId: 'b2b-starter', from: 'mql', to: 'sales_ready', reason: { kind: 'accepted' }, at: NOW } }] }),
      'get-tab': () => ({}),
      'get-hot': () => ({
        status: 'ok',
        hot: {
          items: [
            { id: 'a', email: 'a@x.com', name: 'Engaged Eve', stage: 'engaged', fit: { score: 80, grade: 'A' }, interest: 90, modelId: 'm', isNew: false, lastSeen: NOW - DAY },
            { id: anna, email: 'anna.devries@acme-logistics.nl', name: 'Anna de Vries', stage: 'sales_ready', fit: { score: 70, grade: 'B' }, interest: 40, modelId: 'm', isNew: true, hotSince: NOW - 3 * DAY, lastSeen: NOW },
            { id: 'c', email: 'c@x.com', name: 'Mql Max', stage: 'mql', fit: { score: 50, grade: 'B' }, interest: 65, modelId: 'm', isNew: true, hotSince: NOW - DAY, lastSeen: NOW },
          ],
        },
      }),
    });
    render(<App client={client} tabId={1} />);
    expect((await screen.findByTestId('alert-count')).textContent).toBe('1');
    fireEvent.click(screen.getByTestId('tab-hot'));
    const hot = await screen.findByTestId('hot');
    const rows = [...hot.querySelectorAll('li')];
    expect(rows.map((r) => r.querySelector('button')!.textContent)).toEqual(['Anna de Vries', 'Mql Max', 'Engaged Eve']);
    expect(rows[0]!.className).toBe('alerted');
    expect(rows[1]!.textContent).toContain('new');
    // Anna became sales-ready before the rep last looked: not new, though the server's 7 days say so.
    expect(rows[0]!.querySelector('.pill.new')).toBeNull();
    expect(localStorage.getItem('leadglow.hotSeenAt')).toBe(String(NOW));
    expect(client.send).toHaveBeenCalledWith({ type: 'clear-alerts' });
  });

  it('accept and reject send feedback with a reason', async () => {
    const { client } = fakeClient({ 'get-status': () => status(), 'get-tab': () => ({ page: page([annaFound]) }), 'get-lead': () => ({ status: 'ok', view: annaView, fetchedAt: NOW, refreshing: false }), 'send-feedback': () => ({ status: 'ok' }) });
    render(<App client={client} tabId={1} />);
    await screen.findByTestId('lead');
    fireEvent.click(screen.getByRole('button', { name: 'Reject' }));
    fireEvent.input(screen.getByLabelText('Reason (optional)'), { target: { value: 'already a customer' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect((await screen.findByRole('status')).textContent).toBe('Thanks: feedback sent.');
    expect(client.send).toHaveBeenCalledWith({ type: 'send-feedback', leadId: anna, feedback: { verdict: 'rejected', reason: 'already a customer' } });
    expect(screen.getByRole('link', { name: 'Open record' }).getAttribute('href')).toBe('https://mail.google.com/mail/u/0/#inbox/abc');
  });

  it('copies the summary, and says so only when the clipboard took it', async () => {
    const { client } = fakeClient({ 'get-status': () => status(), 'get-tab': () => ({ page: page([annaFound]) }), 'get-lead': () => ({ status: 'ok', view: annaView, fetchedAt: NOW, refreshing: false }) });
    const copied: string[] = [];
    let refuse = false;
    const writeText = async (text: string) => {
      if (refuse) throw new DOMException('Document is not focused.', 'NotAllowedError');
      copied.push(text);
    };
    const clipboard = vi.spyOn(navigator, 'clipboard', 'get').mockReturnValue({ writeText } as unknown as Clipboard);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    render(<App client={client} tabId={1} />);
    await screen.findByTestId('lead');
    fireEvent.click(screen.getByRole('button', { name: 'Copy summary' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Copied'));
    expect(copied).toHaveLength(1);
    refuse = true;
    fireEvent.click(screen.getByRole('button', { name: 'Copy summary' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Could not copy: the browser refused the clipboard'));
    expect(warn).toHaveBeenCalledWith('Leadglow: copying the summary failed', expect.objectContaining({ name: 'NotAllowedError' }));
    warn.mockRestore();
    clipboard.mockRestore();
  });
});

describe('timeline grouping', () => {
  it('folds engagement into its page and gives each activity a line, newest day first', () => {
    const events = [...visit('s', 'v1', NOW - DAY, [{ path: '/pricing', title: 'Pricing', engagedMs: 180_000 }, { download: 'whitepaper.pdf' }]), ...visit('s', 'v2', NOW, [{ path: '/blog/x' }])];
    const items = events.map((e) => ({ id: e.id, type: e.type, ts: e.ts, sessionId: e.sessionId, what: evidenceOf(e), ...(e.url ? { url: e.url } : {}), ...(e.type === 'engagement' ? { engagedMs: e.engagedMs } : {}) }));
    const days = groupTimeline(items);
    expect(days.map((d) => d.lines.map((l) => [l.what, l.engagedMs]))).toEqual([
      [[{ kind: 'visited', page: '/blog/x' }, undefined]],
      [
        [{ kind: 'downloaded', file: 'whitepaper.pdf' }, undefined],
        [{ kind: 'visited', page: '/pricing', title: 'Pricing' }, 180_000],
      ],
    ]);
  });
});

describe('languages', () => {
  const load = (l: string) => Object.keys(JSON.parse(readFileSync(resolve(`extension/public/_locales/${l}/messages.json`), 'utf8'))).sort();
  it.each(['nl', 'sv'])('%s has every English message', (l) => expect(load(l)).toEqual(load('en')));
});
