// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../extension/panel/App.tsx';
import type { Client } from '../../extension/panel/client.ts';
import { findOnPage, siteById } from '../../extension/sites/index.ts';
import type { PageLeads, Request, SiteId, StatusReply } from '../../shared/contracts/messages.ts';
import { installBrowserStubs } from './setup.ts';

// The panel when the adapter finds nothing on a page that should name someone, and the
// "what Leadglow saw" facts, from what the adapters really return on the fixture pages.

const status: StatusReply = { configured: true, serverUrl: 'https://leadglow.test', connection: 'online', alerts: [], sites: ['outlook'], origins: [] };

function pageOf(site: SiteId, file: string, url: string): PageLeads {
  const doc = new DOMParser().parseFromString(readFileSync(resolve('test/fixtures', site, file), 'utf8'), 'text/html');
  return findOnPage(siteById(site), doc, url, ['example.org'], ['rep@example.org']);
}

function clientFor(page: PageLeads) {
  const sent: Request[] = [];
  const client: Client = {
    send: vi.fn(async (msg: Request) => {
      sent.push(msg);
      if (msg.type === 'get-status') return status;
      if (msg.type === 'get-tab') return { page };
      if (msg.type === 'get-lead') return { status: 'problem', problem: 'not-found' };
      return { status: 'ok' };
    }) as Client['send'],
    onChanged: () => () => undefined,
  };
  return { client, sent };
}

describe('panel: no lead where one was expected', () => {
  beforeEach(() => void installBrowserStubs());
  afterEach(() => cleanup());

  it('says so, offers the search and shows the region it read', async () => {
    const page = pageOf('outlook', 'empty.html', 'https://outlook.office.com/mail/inbox/id/AAQkADAwATM0MDAAMS1iNjBmLTk0ZDgALTAwAi0wMAoAEABn');
    const { client, sent } = clientFor(page);
    render(<App client={client} tabId={3} />);
    const box = await screen.findByTestId('not-found');
    expect(box.textContent).toContain('Leadglow found no lead on this page');
    expect(screen.getByTestId('page-facts').textContent).toContain('[data-app-section="MailReadCompose"]');
    expect(screen.queryByTestId('no-lead')).toBeNull();
    fireEvent.input(screen.getByLabelText('Email address'), { target: { value: 'someone@example.com' } });
    fireEvent.submit(box.querySelector('form')!);
    await waitFor(() => expect(sent).toContainEqual({ type: 'get-lead', email: 'someone@example.com', refresh: false }));
  });

  it('lists addresses that are not a person greyed with why, never as a lead', async () => {
    const page = pageOf('pipedrive', 'person-several.html', 'https://acme.pipedrive.com/person/77');
    const { client } = clientFor(page);
    render(<App client={client} tabId={3} />);
    const facts = await screen.findByTestId('page-facts');
    const dropped = facts.querySelectorAll('[data-testid="dropped"] li');
    expect([...dropped].map((li) => [li.querySelector('.email')?.textContent, li.getAttribute('data-reason')])).toEqual([
      ['newsletter@example.com', 'role'],
      ['list-announce@example.com', 'list'],
    ]);
    expect(facts.textContent).toContain('not a person (mailing list)');
    const picker = await screen.findByTestId('picker');
    expect(picker.textContent).not.toContain('newsletter@');
  });

  it('shows the ordinary "no lead" message on pages that name no one by design', async () => {
    const page = pageOf('gmail', 'inbox-no-thread.html', 'https://mail.google.com/mail/u/0/#inbox');
    const { client } = clientFor(page);
    render(<App client={client} tabId={3} />);
    await screen.findByTestId('no-lead');
    expect(screen.queryByTestId('not-found')).toBeNull();
  });
});

describe('new panel text in every UI language', () => {
  it.each(['nl', 'sv'])('%s has every key en has', (lang) => {
    const read = (l: string) => JSON.parse(readFileSync(resolve('extension/public/_locales', l, 'messages.json'), 'utf8')) as Record<string, unknown>;
    const en = read('en');
    const other = read(lang);
    for (const key of ['notFoundTitle', 'notFoundBody', 'sawSummary', 'sawCounts', 'dropRole', 'dropList', 'dropAutomated', 'dropSelf', 'dropColleague', 'sidebarTitle']) {
      expect(en[key], key).toBeDefined();
      expect(other[key], `${lang} ${key}`).toBeDefined();
    }
  });
});
