// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Predictive } from '../../extension/dashboard/Predictive.tsx';
import { Reports } from '../../extension/dashboard/reports/Reports.tsx';
import { setLanguage } from '../../extension/i18n.ts';
import { App } from '../../extension/panel/App.tsx';
import type { Client } from '../../extension/panel/client.ts';
import type { Request } from '../../shared/contracts/messages.ts';
import { renderDashboard } from './dashboard-harness.tsx';
import { englishLeaks, visibleTexts } from './english-leak.ts';
import { createFakeAdminApi, sampleReport } from './fake-admin-api.ts';
import { createFakeApi, visit } from './fake-api.ts';
import { installBrowserStubs } from './setup.ts';

// A Dutch or Swedish rep reads no English: every text and accessible name of the panel (lead,
// reasons, stage, timeline, account, hot list) and of the dashboard (editor, versions,
// reports) is checked against the English catalogue. Names, URLs and numbers pass.

const NOW = Date.UTC(2025, 5, 12, 12);
const DAY = 86_400_000;
const api = createFakeApi({ now: () => NOW });
const anna = api.addLead(
  { email: 'anna.devries@acme-logistics.nl', name: 'Anna de Vries', jobTitle: 'Head of Operations', seniority: 'vp', country: 'NL', company: { domain: 'acme-logistics.nl', name: 'Acme Logistics', size: 400, industry: 'software', revenue: 52_000_000 } },
  [
    ...visit('site-1', 's1', NOW - 2 * DAY, [{ path: '/pricing', title: 'Pricing', engagedMs: 180_000 }, { download: 'whitepaper.pdf' }, { form: 'demo-request' }]),
    ...visit('site-1', 's2', NOW - 1 * DAY, [{ path: '/pricing', title: 'Pricing' }, { path: '/case-studies/acme', title: 'Case study' }]),
  ],
);
api.addLead({ email: 'jan@acme-logistics.nl', name: 'Jan Bakker', jobTitle: 'Controller', company: { domain: 'acme-logistics.nl', name: 'Acme Logistics' } }, visit('site-1', 's3', NOW - DAY, [{ path: '/blog/x' }]));
const view = api.view(anna);

function client(): Client {
  const send = async (msg: Request): Promise<unknown> => {
    const auth = { headers: { authorization: 'Bearer rep-token' } };
    switch (msg.type) {
      case 'get-status':
        return { configured: true, serverUrl: 'https://leadglow.test', connection: 'online', alerts: [], sites: ['gmail'], origins: [], me: { role: 'admin', workspaceDomains: [] } };
      case 'get-tab':
        return { page: { site: 'gmail', url: 'https://mail.google.com/mail/u/0/#inbox/abc', leads: [{ email: 'anna.devries@acme-logistics.nl', name: 'Anna de Vries', role: 'sender' }], self: [] } };
      case 'get-lead':
        return { status: 'ok', view, fetchedAt: NOW, refreshing: false };
      case 'get-timeline':
        return { status: 'ok', page: await (await api.handle(`http://x/v1/leads/${msg.leadId}/timeline`, auth)).json() };
      case 'get-hot':
        return { status: 'ok', hot: await (await api.handle('http://x/v1/hot', auth)).json() };
      default:
        return { status: 'ok' };
    }
  };
  return { send: send as Client['send'], onChanged: () => () => undefined };
}

async function panelTexts(): Promise<string[]> {
  const { container } = render(<App client={client()} tabId={1} now={() => NOW} />);
  await screen.findByTestId('timeline');
  const lead = visibleTexts(container);
  fireEvent.click(screen.getByTestId('tab-hot'));
  await screen.findByTestId('hot');
  return [...lead, ...visibleTexts(container)];
}

async function dashboardTexts(tabs: string[]): Promise<string[]> {
  const { container } = renderDashboard();
  await screen.findByTestId('action-bar');
  fireEvent.click(container.querySelector('section.card.rule summary')!);
  const texts = visibleTexts(container);
  for (const tab of tabs) {
    fireEvent.click(screen.getByRole('button', { name: tab }));
    await screen.findByTestId(tab === tabs[0] ? 'versions' : 'report-summary');
    texts.push(...visibleTexts(container));
  }
  return texts;
}

async function reportTexts(): Promise<string[]> {
  const fake = createFakeAdminApi();
  // With a draft's and the predictive model's curves, whose names the server gives in English.
  const base = sampleReport();
  fake.state.report = { ...base, curves: [...base.curves, { ...base.curves[0]!, scorer: 'b2b-starter v3 (draft)' }, { ...base.curves[0]!, scorer: 'predictive (leads decided after it was trained)' }] };
  const { container } = render(<Reports api={fake.api} modelId="b2b-starter" refreshKey={0} />);
  await screen.findByTestId('report-summary');
  return visibleTexts(container);
}

async function predictiveTexts(): Promise<string[]> {
  // The last run's reason comes from the server as data (why), worded here in the reader's language.
  const { container } = render(<Predictive api={createFakeAdminApi().api} />);
  await screen.findByTestId('last-run');
  return visibleTexts(container);
}

// What is not language: the demo's names, page titles from the site, file names, and CSV
// column names and values, which are a file format.
const ALLOW = ['result (won', 'Anna de Vries', 'Acme Logistics', 'Head of Operations', 'Pricing', 'Case study', 'whitepaper.pdf', 'B2B starter'];

describe('no English in Dutch and Swedish screens', () => {
  beforeEach(() => void installBrowserStubs());
  afterEach(() => {
    cleanup();
    setLanguage(undefined);
  });

  it('the check finds English when there is some', async () => {
    setLanguage('en');
    const leaks = englishLeaks(await panelTexts(), 'nl', ALLOW);
    expect(leaks.length).toBeGreaterThan(10);
    expect(leaks.join('\n')).toContain('Why it counts');
  });

  for (const [lang, tabs] of [['nl', ['Versies', 'Rapporten']], ['sv', ['Versioner', 'Rapporter']]] as const) {
    it(`${lang}: the side panel, lead and hot list`, async () => {
      setLanguage(lang);
      const texts = await panelTexts();
      expect(texts.length).toBeGreaterThan(40);
      expect(englishLeaks(texts, lang, ALLOW)).toEqual([]);
    });

    it(`${lang}: the dashboard editor, versions, reports and predictive`, async () => {
      setLanguage(lang);
      const texts = [...(await dashboardTexts([...tabs])), ...(await reportTexts()), ...(await predictiveTexts())];
      expect(englishLeaks(texts, lang, ALLOW)).toEqual([]);
    });
  }
});
