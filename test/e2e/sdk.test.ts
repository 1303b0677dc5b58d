import { describe, expect, it } from 'vitest';
import { withPersonTraits } from '../../shared/intent/index.ts';
import type { Event as LgEvent } from '../../shared/contracts/event.ts';
import { readFileSync } from 'node:fs';
import { STUB } from '../../sdk/snippet.ts';
import { FIXTURES, waitFor } from './sdk-server.ts';
import { openPage, useSdkRun } from './sdk-harness.ts';

// Capture in real Chromium: each fixture page, events checked against the server's contract.

const lab = useSdkRun();

const byType = (t: LgEvent['type']) => lab.server.events.filter((e) => e.type === t);
const url = (path: string) => lab.server.origin + path;

describe('sdk in Chromium: capture', () => {
  it('the snippet fixture uses the exact stub from sdk/snippet.ts', () => {
    expect(readFileSync(FIXTURES + 'snippet.html', 'utf8')).toContain(`<script>${STUB}</script>`);
  });

  it('snippet page: queued calls, page view with meta tags, tagged click, download, engagement — each once, in order', async () => {
    const { page, errors } = await openPage(lab.context);
    await page.goto(url('/snippet.html'));
    await waitFor(() => lab.server.events.length >= 3, 5000, 'first batch');
    await page.click('#plans span');
    await page.click('#wp');
    await page.click('#plain');
    await page.goto(url('/blank')); // leaving: engagement, flushed with keepalive
    await waitFor(() => byType('engagement').length === 1, 5000, 'engagement');
    await new Promise((r) => setTimeout(r, 300));
    expect(lab.server.events.map((e) => e.type)).toEqual(['page_view', 'identify', 'custom', 'click', 'download', 'engagement']);
    const [pv, identify, custom, click, download, engagement] = lab.server.events as [LgEvent, ...LgEvent[]];
    expect(pv).toMatchObject({ site: 'site_e2e', url: url('/snippet.html'), title: 'Pricing — Acme', weight: 20, tags: ['pricing'] });
    expect(identify).toMatchObject({ source: 'api', traits: { email: 'early@acme.io', name: 'Early Bird' } });
    expect(custom).toMatchObject({ name: 'early', props: { plan: 'pro' } });
    expect(click).toMatchObject({ selector: '#plans>button', text: 'Book a demo', weight: 30, tags: ['demo'] });
    expect(download).toMatchObject({ fileUrl: url('/files/whitepaper.pdf'), linkText: 'Whitepaper (PDF)' });
    expect(engagement).toMatchObject({ pageViewId: pv.id });
    expect((engagement as { engagedMs: number }).engagedMs).toBeGreaterThan(0);
    // In order: ids are time-ordered UUID v7 and events arrived in creation order.
    expect(lab.server.events.map((e) => e.ts)).toEqual([...lab.server.events.map((e) => e.ts)].sort((a, b) => a - b));
    expect(new Set(lab.server.events.map((e) => e.anonymousId)).size).toBe(1);
    expect(lab.server.rejected).toEqual([]);
    expect(lab.server.duplicates).toBe(0);
    expect(errors).toEqual([]);
  });

  it('tags from GET /v1/tags: a click inside a listed button without data-leadglow markup sends exactly one click with that selector and tag', async () => {
    lab.server.tags = [
      { id: 'broken', selector: 'div[', tag: 'broken' },
      { id: 'sales', selector: '.plans .cta', tag: 'sales' },
    ];
    const { page, errors } = await openPage(lab.context);
    await page.goto(url('/tagged.html'));
    await waitFor(() => byType('page_view').length === 1, 5000, 'page view');
    // The snippet loads the tags script, which matches tags from the server.
    await page.waitForFunction(() => typeof (window as { __lgTag?: unknown }).__lgTag === 'function', undefined, { timeout: 5000 });
    await page.click('.cta b');
    await page.click('#other');
    await page.goto(url('/blank'));
    await waitFor(() => byType('engagement').length === 1, 5000, 'engagement');
    await new Promise((r) => setTimeout(r, 300));
    expect(lab.server.events.map((e) => e.type)).toEqual(['page_view', 'click', 'engagement']);
    expect(byType('click')[0]).toMatchObject({ selector: '.plans .cta', text: 'Talk to sales', tags: ['sales'], url: url('/tagged.html') });
    expect(byType('click')[0]).not.toHaveProperty('weight');
    expect(lab.server.log.filter((l) => l.includes('/v1/tags')).slice(0, 2)).toEqual(['GET /v1/tags', 'GET /v1/tags.js']);
    // The page went away: one health beacon, with how each tag of the page was found.
    await waitFor(() => lab.server.health.length === 1, 5000, 'health beacon');
    expect(JSON.parse(lab.server.health[0]!)).toEqual({ pages: [{ path: '/tagged.html', found: { broken: 'n', sales: 's' } }] });
    expect(lab.server.rejected).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('the script loaded twice tracks once', async () => {
    const { page, errors } = await openPage(lab.context);
    await page.goto(url('/double.html'));
    await waitFor(() => lab.server.events.length >= 2, 5000, 'events');
    await new Promise((r) => setTimeout(r, 1500));
    expect(lab.server.events.map((e) => e.type)).toEqual(['page_view', 'custom']);
    expect(errors).toEqual([]);
  });

  it('SPA router: one page view per route, none for replaceState or the same URL, popstate counted', async () => {
    const { page, errors } = await openPage(lab.context);
    await page.goto(url('/spa.html'));
    await waitFor(() => byType('page_view').length === 1, 5000, 'first view');
    await page.click('text=Docs');
    await page.click('text=Docs'); // same route again
    await page.click('text=Blog');
    await page.goBack();
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange'))); // no-op while visible
    await page.goto(url('/blank'));
    await waitFor(() => byType('engagement').length === 4, 5000, 'engagement per view');
    const views = byType('page_view');
    expect(views.map((e) => new URL(e.url!).pathname)).toEqual(['/spa.html', '/app/docs', '/app/blog', '/app/docs']);
    expect(views.map((e) => e.referrer)).toEqual(['', url('/spa.html'), url('/app/docs'), url('/app/blog')]);
    // Each view's engagement refers to it, and comes before the next view.
    const order = lab.server.events.filter((e) => e.type !== 'custom').map((e) => e.type);
    expect(order).toEqual(['page_view', 'engagement', 'page_view', 'engagement', 'page_view', 'engagement', 'page_view', 'engagement']);
    expect(byType('engagement').map((e) => (e as { pageViewId: string }).pageViewId)).toEqual(views.map((v) => v.id));
    expect(errors).toEqual([]);
  });

  it('downloads: the site list and the download attribute count; other links do not', async () => {
    const { page, errors } = await openPage(lab.context);
    await page.goto(url('/downloads.html'));
    for (const id of ['#pdf', '#step', '#attr', '#docx', '#page']) await page.click(id);
    await page.bringToFront();
    await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pagehide')));
    await waitFor(() => byType('download').length >= 3, 5000, 'downloads');
    await new Promise((r) => setTimeout(r, 1200));
    expect(byType('download').map((e) => [(e as { fileUrl: string }).fileUrl, (e as { linkText: string }).linkText])).toEqual([
      [url('/files/report.pdf'), 'Annual report'],
      [url('/files/part.STEP'), 'CAD model'],
      [url('/export?format=csv'), 'Export'],
    ]);
    expect(errors).toEqual([]);
  });

  it('plain form: form_submit (names only) and identify arrive although the page navigates away', async () => {
    const { page, errors } = await openPage(lab.context);
    await page.goto(url('/form.html'));
    await page.fill('[name=email]', 'grace@navy.example');
    await page.fill('[name=full_name]', 'Grace Hopper');
    await page.fill('[name=company]', 'US Navy');
    await page.fill('[name=role]', 'Rear Admiral');
    await page.fill('[name=password]', 'hunter2');
    await page.fill('[name=cc]', '4111111111111111');
    await page.fill('[name=message]', 'call me maybe');
    await Promise.all([page.waitForURL('**/thanks'), page.click('button')]);
    await waitFor(() => byType('identify').length === 1, 5000, 'identify');
    const [submit] = byType('form_submit');
    expect(submit).toMatchObject({ formId: 'contact-sales', fields: ['email', 'full_name', 'company', 'role', 'message'] });
    // The snippet sends the identity-like fields; ingest sorts them into traits (withPersonTraits).
    const identify = byType('identify')[0]!;
    expect(identify).toMatchObject({ source: 'form', traits: { email: 'grace@navy.example' } });
    expect(withPersonTraits(identify)).toMatchObject({
      traits: { email: 'grace@navy.example', name: 'Grace Hopper', company: 'US Navy', jobTitle: 'Rear Admiral' },
    });
    const wire = JSON.stringify(lab.server.events);
    for (const secret of ['hunter2', '4111', 'call me maybe', 'c5rf-t0ken']) expect(wire).not.toContain(secret);
    expect(errors).toEqual([]);
  });

  it('script-submitted forms: requestSubmit() is seen; form.submit() fires no submit event and is not', async () => {
    const { page, errors } = await openPage(lab.context);
    await page.goto(url('/script-form.html'));
    await page.fill('[name=email]', 'ada@acme.io');
    await page.click('#subscribe');
    await page.click('#old');
    await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pagehide')));
    await waitFor(() => byType('identify').length === 1, 5000, 'identify');
    await new Promise((r) => setTimeout(r, 1200));
    expect(byType('form_submit').map((e) => (e as { formId: string }).formId)).toEqual(['newsletter']);
    expect(lab.server.log).toContain('GET /legacy'); // the legacy form did submit
    expect(errors).toEqual([]);
  });
});
