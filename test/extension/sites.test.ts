// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MatchPattern } from 'wxt/utils/match-patterns';
import { findOnPage, rankLeads, SITES, siteById, siteFor } from '../../extension/sites/index.ts';
import { noiseReason } from '../../extension/sites/noise.ts';
import type { PageLeads, SiteId } from '../../shared/contracts/messages.ts';

// Each adapter against its site's pages (test/fixtures/README.md says where each comes
// from): the lead first, role and list addresses dropped with a reason, the rep (from the
// token, as `/v1/me` gives it) and colleagues never offered. Per app it prints pages, leads
// right and role addresses dropped.
const REP = ['rep@example.org'];
const WORKSPACE = ['example.org', 'leadglow-demo.com'];

/** DOMParser ignores declarative shadow roots; attach them as the browser's parser does. */
function attachDeclarativeShadowRoots(root: ParentNode): void {
  for (const t of [...root.querySelectorAll('template[shadowrootmode]')] as HTMLTemplateElement[]) {
    const host = t.parentElement;
    if (!host) continue;
    const shadow = host.attachShadow({ mode: t.getAttribute('shadowrootmode') === 'closed' ? 'closed' : 'open' });
    shadow.append(t.content.cloneNode(true));
    t.remove();
    attachDeclarativeShadowRoots(shadow);
  }
}

function load(site: SiteId, file: string, url: string): PageLeads {
  const html = readFileSync(resolve('test/fixtures', site, file), 'utf8');
  const doc = new DOMParser().parseFromString(html, 'text/html');
  attachDeclarativeShadowRoots(doc);
  return findOnPage(siteById(site), doc, url, WORKSPACE, REP);
}

type Case = {
  site: SiteId;
  file: string;
  url: string;
  leads: string[];
  /** Addresses dropped as not a person (role, list, automated), with the reason. */
  noise?: Record<string, string>;
  domain?: string;
  expected: boolean;
};

const GMAIL = 'https://mail.google.com/mail/u/0/#inbox/FMfcgzQXJWhqgNbnKrxWbRmWxXkCFzXl';
const OUTLOOK = 'https://outlook.office.com/mail/inbox/id/AAQkADAwATM0MDAAMS1iNjBmLTk0ZDgALTAwAi0wMAoAEABn';
const cases: Case[] = [
  { site: 'gmail', file: 'thread-group-2025.html', url: GMAIL, leads: ['vera.kramer@example.com', 'student.one@example.net'], noise: { 'cohort-2026@googlegroups.com': 'list' }, expected: true },
  { site: 'gmail', file: 'message-title-address.html', url: GMAIL, leads: ['alice@example.com'], expected: true },
  { site: 'gmail', file: 'thread-several.html', url: GMAIL, leads: ['user1@example.com', 'user2@example.com', 'user3@example.com'], expected: true },
  { site: 'gmail', file: 'inbox-no-thread.html', url: 'https://mail.google.com/mail/u/0/#inbox', leads: [], expected: false },
  { site: 'outlook', file: 'read-de.html', url: OUTLOOK, leads: ['sender@example.com', 'recipient@example.com'], expected: true },
  { site: 'outlook', file: 'read-en.html', url: OUTLOOK, leads: ['sender@example.com'], expected: true },
  { site: 'outlook', file: 'read-nl.html', url: OUTLOOK, leads: ['sender-nl@example.com'], expected: true },
  { site: 'outlook', file: 'read-sv.html', url: OUTLOOK, leads: ['sender-sv@example.com'], expected: true },
  { site: 'outlook', file: 'empty.html', url: OUTLOOK, leads: [], expected: true },
  { site: 'hubspot', file: 'contact.html', url: 'https://app.hubspot.com/contacts/4415092/record/0-1/51', leads: ['tomas.ruiz@example.com'], noise: { 'info@example.com': 'role' }, expected: true },
  { site: 'hubspot', file: 'company.html', url: 'https://app-eu1.hubspot.com/contacts/4415092/record/0-2/9012', leads: ['tomas.ruiz@example.com', 'elena@example.com'], noise: { 'support@example.com': 'role' }, domain: 'example.com', expected: false },
  { site: 'hubspot', file: 'index.html', url: 'https://app.hubspot.com/contacts/4415092/objects/0-1/views/all/list', leads: [], expected: false },
  { site: 'salesforce', file: 'lead.html', url: 'https://acme.lightning.force.com/lightning/r/Lead/00Q5e00000AbCdEEAZ/view', leads: ['grace.okafor@example.com'], expected: true },
  {
    site: 'salesforce',
    file: 'contact-several.html',
    url: 'https://acme.lightning.force.com/lightning/r/Contact/0035e00000XyZaBAAV/view',
    leads: ['henrik@example.com', 'h.sorensen@example.net'],
    noise: { 'invoices@example.com': 'role', 'no-reply@example.com': 'automated' },
    expected: true,
  },
  { site: 'salesforce', file: 'home.html', url: 'https://acme.lightning.force.com/lightning/page/home', leads: [], expected: false },
  { site: 'pipedrive', file: 'person.html', url: 'https://acme.pipedrive.com/person/1234', leads: ['mei.tanaka@example.com'], domain: 'example.com', expected: true },
  {
    site: 'pipedrive',
    file: 'person-several.html',
    url: 'https://acme.pipedrive.com/person/77',
    leads: ['leo@example.com', 'leo.martin@example.net'],
    noise: { 'newsletter@example.com': 'role', 'list-announce@example.com': 'list' },
    expected: true,
  },
  { site: 'pipedrive', file: 'deals.html', url: 'https://acme.pipedrive.com/pipeline/1', leads: [], expected: false },
  { site: 'generic', file: 'page.html', url: 'https://portal.example/tickets/4411', leads: ['ravi.k@zenith-pharma.in'], noise: { 'finance@zenith-pharma.in': 'role' }, expected: false },
  { site: 'generic', file: 'none.html', url: 'https://portal.example/docs', leads: [], expected: false },
];

const tally = new Map<SiteId, { pages: number; right: number; noise: number }>();

describe('site adapters on fixture pages', () => {
  it.each(cases.map((c) => [`${c.site} ${c.file}`, c] as const))('%s', (_name, c) => {
    const page = load(c.site, c.file, c.url);
    const t = tally.get(c.site) ?? { pages: 0, right: 0, noise: 0 };
    tally.set(c.site, t);
    t.pages++;
    const noise = Object.fromEntries((page.dropped ?? []).filter((d) => d.reason !== 'self' && d.reason !== 'colleague').map((d) => [d.email, d.reason]));
    t.noise += Object.keys(noise).length;
    expect(page.leads.map((l) => l.email)).toEqual(c.leads);
    expect(noise).toEqual(c.noise ?? {});
    expect(page.domain).toBe(c.domain);
    expect(page.expected).toBe(c.expected);
    for (const l of page.leads) expect(l.email.endsWith('@example.org') || l.email === REP[0]).toBe(false);
    t.right++;
  });

  afterAll(() => {
    for (const [site, t] of tally) console.log(`${site}: ${t.pages} pages, ${t.right}/${t.pages} leads right, ${t.noise} role/list/automated addresses dropped`);
  });

  it('names the sender and ranks it before recipients, in any UI language', () => {
    for (const lang of ['de', 'en', 'nl', 'sv']) {
      const page = load('outlook', `read-${lang}.html`, OUTLOOK);
      expect(page.leads[0]?.role, lang).toBe('sender');
      expect(page.self, lang).toContain('rep@example.org');
    }
    expect(load('outlook', 'read-de.html', OUTLOOK).leads[1]).toEqual({ email: 'recipient@example.com', role: 'recipient' });
  });

  it('drops the rep from a recipient well as "self", not as a lead', () => {
    const page = load('outlook', 'read-nl.html', OUTLOOK);
    expect(page.dropped).toContainEqual({ email: 'rep@example.org', reason: 'self' });
  });

  it('reads the rep from the account menu, never from the title (a subject can hold an address)', () => {
    const page = load('gmail', 'message-title-address.html', GMAIL);
    expect(page.self).toEqual(['rep@example.org']);
    expect(page.leads[0]).toEqual({ email: 'alice@example.com', name: 'Alice Smith', role: 'sender' });
  });

  it('keeps names and roles in a real Gmail thread: sender, body mention, group dropped', () => {
    const page = load('gmail', 'thread-group-2025.html', GMAIL);
    expect(page.leads).toEqual([
      { email: 'vera.kramer@example.com', name: 'Vera Kramer', role: 'sender' },
      { email: 'student.one@example.net', role: 'mention' },
    ]);
  });

  it('reads only the active Salesforce tab, through shadow roots, and skips the owner field', () => {
    const page = load('salesforce', 'lead.html', 'https://acme.lightning.force.com/lightning/r/Lead/00Q5e00000AbCdEEAZ/view');
    expect(page.leads).toEqual([{ email: 'grace.okafor@example.com', name: 'Grace Okafor', role: 'record' }]);
  });

  it('says which region it read and that a record page should have a lead', () => {
    const page = load('outlook', 'empty.html', OUTLOOK);
    expect(page.region).toBe('[data-app-section="MailReadCompose"]');
    expect(page.leads).toEqual([]);
  });

  it('drops colleagues on record pages (the record owner)', () => {
    const page = load('pipedrive', 'person.html', 'https://acme.pipedrive.com/person/1234');
    expect(page.dropped).toContainEqual({ email: 'owner@example.org', reason: 'colleague' });
    expect(page.leads[0]).toEqual({ email: 'mei.tanaka@example.com', name: 'Mei Tanaka', role: 'record' });
  });

  it('keeps a hostile link text as data', () => {
    const page = load('generic', 'xss.html', 'https://portal.example/x');
    expect(page.leads).toEqual([{ email: 'evil@attacker.example', name: '<img src=x onerror=alert(1)>', role: 'mention' }]);
  });
});

describe('noise filter', () => {
  it.each([
    ['noreply@example.com', 'automated'],
    ['no-reply@accounts.example.com', 'automated'],
    ['MAILER-DAEMON@example.com', 'automated'],
    ['bounce-12345-abc@mail.example.com', 'automated'],
    ['msprvs1=abc=bounces-1234@bounces.example.com', 'automated'],
    ['notifications@github.example', 'automated'],
    ['team@groups.io', 'list'],
    ['announce@lists.example.org', 'list'],
    ['list-dev@example.com', 'list'],
    ['news@example.com', 'role'],
    ['sales+eu@example.com', 'role'],
    ['info@example.nl', 'role'],
  ])('%s is %s', (email, reason) => {
    expect(noiseReason(email)).toBe(reason);
  });

  it.each(['anna.devries@example.nl', 'jonas.berg@example.se', 'lars@example.com', 'm.listing@example.com', 'salesman.jo@example.com'])('%s is a person', (email) => {
    expect(noiseReason(email)).toBeUndefined();
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
  it('orders by role then page order, dedupes, drops self, colleagues (with subdomains) and noise, saying why', () => {
    const ranked = rankLeads(
      [
        { email: 'b@x.com', role: 'recipient' },
        { email: 'me@own.com', role: 'sender' },
        { email: 'a@x.com', role: 'sender' },
        { email: 'c@eu.own.com', role: 'recipient' },
        { email: 'B@x.com', role: 'sender', name: 'Bee' },
        { email: 'solo@gmail.com', role: 'mention' },
        { email: 'noreply@x.com', role: 'sender' },
      ],
      ['me@own.com'],
      ['own.com'],
    );
    expect(ranked.leads).toEqual([
      { email: 'b@x.com', role: 'sender', name: 'Bee' },
      { email: 'a@x.com', role: 'sender' },
      { email: 'solo@gmail.com', role: 'mention' },
    ]);
    expect(ranked.dropped).toEqual([
      { email: 'me@own.com', reason: 'self' },
      { email: 'c@eu.own.com', reason: 'colleague' },
      { email: 'noreply@x.com', reason: 'automated' },
    ]);
  });
});
