// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sinceDay } from '../../extension/dashboard/tag-health/since.ts';
import { TagHealth } from '../../extension/dashboard/tag-health/TagHealth.tsx';
import { setLanguage } from '../../extension/i18n.ts';
import type { TagHealthItem } from '../../shared/contracts/tag-health.ts';
import { englishLeaks, visibleTexts } from './english-leak.ts';
import { createFakeAdminApi } from './fake-admin-api.ts';
import { installBrowserStubs } from './setup.ts';

// The lost-tag report (GET /v1/tags/health): lost tags first with what to do, tags kept only by
// their fingerprint next, then the ones found; "since" as a person says it, in en, nl and sv.

const DAY = 86_400_000;
/** Friday 4 December 2026, noon UTC: three days earlier is a Tuesday in any European time zone. */
const NOW = Date.UTC(2026, 11, 4, 12);

const item = (over: Partial<TagHealthItem>): TagHealthItem => ({
  id: 'k1',
  tag: 'demo',
  selector: '#plans .demo',
  path: '/pricing',
  state: 'ok',
  since: NOW - 20 * DAY,
  lastSeen: NOW - 3_600_000,
  views: { selector: 1234, fingerprint: 0, none: 0 },
  ...over,
});

const ITEMS: TagHealthItem[] = [
  item({ id: 'a', tag: 'demo', state: 'lost', since: NOW - 3 * DAY, views: { selector: 1200, fingerprint: 3, none: 41 } }),
  item({ id: 'b', tag: 'trial', selector: 'nav .trial', path: '/', state: 'fingerprint', since: NOW - DAY }),
  item({ id: 'c', tag: 'contact', selector: 'footer a.contact', path: '/about', state: 'ok', since: Date.UTC(2025, 9, 14, 12) }),
];

function show(items = ITEMS) {
  const fake = createFakeAdminApi();
  fake.state.tagHealth = { items };
  render(<TagHealth api={fake.api} now={() => NOW} />);
  return fake;
}

describe('tag health view', () => {
  beforeEach(() => void installBrowserStubs());
  afterEach(() => {
    cleanup();
    setLanguage(undefined);
  });

  it('English: lost on /pricing since Tuesday, with what to do; then the fingerprint-only tag; counts in the reader\'s format', async () => {
    setLanguage('en');
    const fake = show();
    const rows = await screen.findAllByTestId('tag-health-item');
    expect(fake.state.calls).toContain('tagHealth');
    expect(rows.map((r) => r.getAttribute('data-state'))).toEqual(['lost', 'fingerprint', 'ok']);
    expect(rows[0]!.textContent).toContain('demo lost on /pricing since Tuesday');
    expect(rows[0]!.textContent).toContain('Clicks on it are not counted');
    expect(rows[0]!.textContent).toContain('Page views: 1,200 by selector, 3 by fingerprint, 41 not found');
    expect(rows[1]!.textContent).toContain('trial found only by its fingerprint on / since yesterday');
    expect(rows[2]!.textContent).toContain('contact found on /about since October 14, 2025');
    expect(screen.getByTestId('tag-health-summary').textContent).toBe('Lost: 1 · kept by fingerprint: 1 · found: 1');
  });

  it('Dutch: kwijt op /pricing sinds dinsdag, and nothing in English', async () => {
    setLanguage('nl');
    show();
    const rows = await screen.findAllByTestId('tag-health-item');
    expect(rows[0]!.textContent).toContain('demo kwijt op /pricing sinds dinsdag');
    expect(rows[0]!.textContent).toContain('1.200 via selector');
    expect(rows[1]!.textContent).toContain('sinds gisteren');
    expect(englishLeaks(visibleTexts(document.body), 'nl', ['demo', 'trial', 'contact'])).toEqual([]);
  });

  it('Swedish: borta på /pricing sedan tisdag, and nothing in English', async () => {
    setLanguage('sv');
    show();
    const rows = await screen.findAllByTestId('tag-health-item');
    expect(rows[0]!.textContent).toContain('demo borta på /pricing sedan tisdag');
    expect(rows[1]!.textContent).toContain('sedan i går');
    expect(englishLeaks(visibleTexts(document.body), 'sv', ['demo', 'trial', 'contact'])).toEqual([]);
  });

  it('says so when no reports have arrived, and shows the server\'s error', async () => {
    setLanguage('en');
    show([]);
    expect((await screen.findByTestId('tag-health-empty')).textContent).toContain('No reports yet');
    cleanup();
    const fake = createFakeAdminApi();
    fake.api.tagHealth = async () => ({ ok: false, problem: 'unreachable', message: 'the server is busy' });
    render(<TagHealth api={fake.api} now={() => NOW} />);
    expect(await screen.findByText(/the server is busy/)).toBeTruthy();
  });

  it('since: today, yesterday, a weekday within the week, a date after', () => {
    expect(sinceDay(NOW - 3_600_000, NOW, 'en')).toBe('today');
    expect(sinceDay(NOW - DAY, NOW, 'nl')).toBe('gisteren');
    expect(sinceDay(NOW - 6 * DAY, NOW, 'sv')).toBe('lördag');
    expect(sinceDay(NOW - 7 * DAY, NOW, 'en')).toBe('November 27');
    expect(sinceDay(Date.UTC(2025, 0, 2, 12), NOW, 'nl')).toBe('2 januari 2025');
  });
});
