// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MatchPattern } from 'wxt/utils/match-patterns';
import { findOnPage, rankLeads, SITES, siteById, siteFor } from '../../extension/sites/index.ts';
import type { SiteId } from '../../shared/contracts/messages.ts';

// Each adapter against saved pages of its site: one lead, several (most relevant first),
// none. The rep's own address and colleagues' (workspace domain) never appear.
const WORKSPACE = ['leadglow-demo.com'];

function load(site: SiteId, file: string, url: string) {
  const html = readFileSync(resolve('test/fixtures', site, file), 'utf8');
  const doc = new DOMParser().parseFromString(html, 'text/html');
  return findOnPage(siteById(site), doc, url, WORKSPACE);
}

const cases: [SiteId, string, string, string[], string?][] = [
  ['gmail', 'thread.html', 'https://mail.google.com/mail/u/0/#inbox/FMfcgzQXJWhq', ['anna.devries@acme-logistics.nl']],
  ['gmail', 'thread-several.html', 'https://mail.google.com/mail/u/0/#inbox/FMfcgzQXJWhr', ['jonas.berg@nordvik.se', 'karin@nordvik.se', 'ops@partner.io']],
  ['gmail', 'compose.html', 'https://mail.google.com/mail/u/0/#inbox?compose=new', ['li.wei@brightbank.com']],
  ['gmail', 'inbox.html', 'https://mail.google.com/mail/u/0/#inbox', []],
  ['outlook', 'read.html', 'https://outlook.office.com/mail/inbox/id/AAQk', ['marta.silva@portoflex.pt', 'ben.adler@portoflex.pt']],
  ['outlook', 'compose.html', 'https://outlook.office.com/mail/deeplink/compose', ['olu@lagosfreight.ng', 'priya@lagosfreight.ng']],
  ['outlook', 'empty.html', 'https://outlook.office.com/mail/inbox', []],
  ['hubspot', 'contact.html', 'https://app.hubspot.com/contacts/4415092/record/0-1/51', ['tomas.ruiz@solaria-energia.es']],
  ['hubspot', 'company.html', 'https://app.hubspot.com/contacts/4415092/record/0-2/9012', ['tomas.ruiz@solaria-energia.es', 'elena@solaria-energia.es'], 'solaria-energia.es'],
  ['hubspot', 'index.html', 'https://app.hubspot.com/contacts/4415092/objects/0-1/views/all/list', []],
  ['salesforce', 'lead.html', 'https://acme.lightning.force.com/lightning/r/Lead/00Q5e00000AbCdEEAZ/view', ['grace.okafor@kanoagri.com']],
  ['salesforce', 'contact-several.html', 'https://acme.lightning.force.com/lightning/r/Contact/0035e00000XyZaBAAV/view', ['henrik@fjordtech.no', 'h.sorensen@fjordtech-holding.no']],
  ['salesforce', 'home.html', 'https://acme.lightning.force.com/lightning/page/home', []],
  ['pipedrive', 'person.html', 'https://acme.pipedrive.com/person/1234', ['mei.tanaka@kyoto-robotics.jp'], 'kyoto-robotics.jp'],
  ['pipedrive', 'person-several.html', 'https://acme.pipedrive.com/person/77', ['leo@bordeaux-vins.fr', 'leo.martin@gmail.com']],
  ['pipedrive', 'deals.html', 'https://acme.pipedrive.com/pipeline/1', []],
  ['generic', 'page.html', 'https://portal.example/tickets/4411', ['ravi.k@zenith-pharma.in', 'finance@zenith-pharma.in']],
  ['generic', 'none.html', 'https://portal.example/docs', []],
];

describe('site adapters on fixture pages', () => {
  it.each(cases)('%s %s', (site, file, url, emails, domain) => {
    const page = load(site, file, url);
    expect(page.leads.map((l) => l.email)).toEqual(emails);
    expect(page.domain).toBe(domain);
    expect(page.leads.some((l) => l.email.endsWith('@leadglow-demo.com'))).toBe(false);
  });

  it('keeps names and roles: a thread sender before its recipients', () => {
    const page = load('gmail', 'thread-several.html', 'https://mail.google.com/mail/u/0/#inbox/x');
    expect(page.leads[0]).toEqual({ email: 'jonas.berg@nordvik.se', name: 'Jonas Berg', role: 'sender' });
    expect(page.leads[1]).toMatchObject({ email: 'karin@nordvik.se', role: 'sender' });
    expect(page.self).toEqual(['rep@leadglow-demo.com']);
  });

  it('reads only the active Salesforce tab', () => {
    const page = load('salesforce', 'lead.html', 'https://acme.lightning.force.com/lightning/r/Lead/00Q5e00000AbCdEEAZ/view');
    expect(page.leads).toEqual([{ email: 'grace.okafor@kanoagri.com', name: 'Grace Okafor', role: 'record' }]);
  });

  it('keeps a hostile link text as data', () => {
    const page = load('generic', 'xss.html', 'https://portal.example/x');
    expect(page.leads).toEqual([{ email: 'evil@attacker.example', name: '<img src=x onerror=alert(1)>', role: 'mention' }]);
  });
});

describe('where adapters apply', () => {
  it.each(SITES.map((s) => [s.id, s] as const))('%s: every example URL matches its patterns', (_id, site) => {
    for (const url of site.examples) {
      expect(site.matches.some((m) => new MatchPattern(m).includes(url)), url).toBe(true);
      if (site.id !== 'generic') expect(siteFor(url).id).toBe(site.id);
    }
  });

  it('falls back to the generic finder elsewhere', () => {
    expect(siteFor('https://crm.example.com/people/42').id).toBe('generic');
  });
});

describe('rankLeads', () => {
  it('orders by role then page order, dedupes, drops self and colleagues (with subdomains)', () => {
    const ranked = rankLeads(
      [
        { email: 'b@x.com', role: 'recipient' },
        { email: 'me@own.com', role: 'sender' },
        { email: 'a@x.com', role: 'sender' },
        { email: 'c@eu.own.com', role: 'recipient' },
        { email: 'B@x.com', role: 'sender', name: 'Bee' },
        { email: 'solo@gmail.com', role: 'mention' },
      ],
      ['me@own.com'],
      ['own.com'],
    );
    expect(ranked).toEqual([
      { email: 'b@x.com', role: 'sender', name: 'Bee' },
      { email: 'a@x.com', role: 'sender' },
      { email: 'solo@gmail.com', role: 'mention' },
    ]);
  });
});
