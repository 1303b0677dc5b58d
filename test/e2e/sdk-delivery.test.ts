import { describe, expect, it } from 'vitest';
import { startSdkServer, waitFor } from './sdk-server.ts';
import { openPage, useSdkRun } from './sdk-harness.ts';

// Delivery and privacy in real Chromium: outbox across a reload, consent, strict CSP, CORS.

const lab = useSdkRun();

const url = (path: string) => lab.server.origin + path;
const track = (name: string) => `window.leadglow('track', ${JSON.stringify(name)})`;

describe('sdk in Chromium: delivery and privacy', () => {
  it('events made while the server is down arrive once it is back, across a reload (localStorage outbox)', async () => {
    const { page, errors } = await openPage(lab.context);
    lab.server.mode = 'closed'; // connection dropped: a network error
    await page.goto(url('/snippet.html'));
    await waitFor(() => lab.server.posts >= 1, 5000, 'a failed attempt');
    await page.evaluate(track('while-closed'));
    await new Promise((r) => setTimeout(r, 1200)); // flush timer: goes to the outbox behind the failed batch
    lab.server.mode = '503';
    await page.reload(); // second page load, server still down
    await waitFor(() => lab.server.posts >= 3, 8000, 'attempts after reload');
    await page.evaluate(track('while-503'));
    expect(lab.server.events).toEqual([]);
    lab.server.mode = 'up';
    await waitFor(() => lab.server.events.some((e) => e.type === 'custom' && e.name === 'while-503'), 15_000, 'delivery after recovery');
    await new Promise((r) => setTimeout(r, 500));
    const names = lab.server.events.map((e) => (e.type === 'custom' ? e.name : e.type));
    // Both page loads, each event stored once; everything from the first load is there.
    expect(names.filter((n) => n === 'page_view')).toHaveLength(2);
    for (const n of ['while-closed', 'while-503']) expect(names.filter((x) => x === n)).toHaveLength(1);
    expect(names.filter((n) => n === 'early')).toHaveLength(2);
    const firstLoad = lab.server.events.filter((e) => e.type === 'page_view')[0]!;
    expect(lab.server.events.some((e) => e.type === 'custom' && e.name === 'while-closed' && e.sessionId === firstLoad.sessionId)).toBe(true);
    expect(new Set(lab.server.events.map((e) => e.id)).size).toBe(lab.server.events.length);
    expect(lab.server.rejected).toEqual([]);
    expect(errors).toEqual([]);
  });

  // The outbox write is synchronous (localStorage): what is captured is stored when capture
  // returns. Here the page is left right away, before any send was tried, while the server is
  // down: the events, and the engaged time reported on pagehide, arrive on the next page load.
  it('server down and the page left before any send (the only attempt fails during unload): the events and the engaged time arrive on the next page load', async () => {
    const { page, errors } = await openPage(lab.context);
    lab.server.mode = '503';
    await page.goto(url('/snippet.html'));
    await page.evaluate(track('last-words'));
    expect(await page.evaluate(() => localStorage.getItem('lg_out') ?? '')).toContain('last-words');
    await page.goto(url('/blank')); // before the flush timer: the first attempt is the keepalive one on pagehide
    expect(lab.server.events).toEqual([]);
    lab.server.mode = 'up';
    await page.goto(url('/snippet.html'));
    await waitFor(() => lab.server.events.some((e) => e.type === 'custom' && e.name === 'last-words'), 5000, 'the first page’s events');
    await waitFor(() => lab.server.events.filter((e) => e.type === 'page_view').length === 2, 5000, 'both page views');
    await new Promise((r) => setTimeout(r, 300));
    const names = lab.server.events.map((e) => (e.type === 'custom' ? e.name : e.type));
    for (const n of ['page_view', 'identify', 'early']) expect(names.filter((x) => x === n)).toHaveLength(2);
    expect(names.filter((x) => x === 'last-words')).toHaveLength(1);
    // The first page's engaged time, emitted on pagehide with the server down, was written ahead.
    const firstView = lab.server.events.find((e) => e.type === 'page_view')!;
    await waitFor(() => lab.server.events.some((e) => e.type === 'engagement' && e.pageViewId === firstView.id), 5000, 'the first page’s engaged time');
    expect(lab.server.rejected).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('consent required: nothing is sent or stored before consent; afterwards the page view arrives', async () => {
    const { page, errors } = await openPage(lab.context);
    await page.goto(url('/consent.html'));
    await page.click('#dl');
    await page.bringToFront();
    await new Promise((r) => setTimeout(r, 1500)); // longer than the flush timer
    expect(lab.server.log.filter((l) => l.includes('/v1/'))).toEqual([]); // no events, no tags request
    expect(await page.evaluate(() => Object.keys(localStorage))).toEqual([]);
    expect(await page.evaluate(() => document.cookie)).toBe('');
    await page.click('#accept');
    await waitFor(() => lab.server.events.length >= 1, 5000, 'page view after consent');
    expect(lab.server.events.map((e) => e.type)).toEqual(['page_view']);
    expect(lab.server.log.filter((l) => l.includes('/v1/tags'))).toEqual(['GET /v1/tags']);
    expect((await page.evaluate(() => Object.keys(localStorage))).sort()).toEqual(['lg_consent', 'lg_id']);
    expect(errors).toEqual([]);
  });

  it('strict CSP (script-src/connect-src self): works with no violation and no error', async () => {
    const { page, errors } = await openPage(lab.context);
    const violations: string[] = [];
    page.on('console', (m) => m.text().includes('Content Security Policy') && violations.push(m.text()));
    // An element tag on another page: the tags script loads from the same server, allowed by script-src 'self'.
    lab.server.tags = [{ id: 'elsewhere', selector: '#signup', tag: 'signup', scope: '^/signup$' }];
    const res = await page.goto(url('/csp.html'));
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.waitForFunction(() => typeof (window as { __lgTag?: unknown }).__lgTag === 'function', undefined, { timeout: 5000 });
    await page.click('#dl');
    await page.bringToFront();
    await waitFor(() => lab.server.events.some((e) => e.type === 'download'), 5000, 'download');
    expect(lab.server.events.map((e) => (e.type === 'custom' ? e.name : e.type))).toEqual(['page_view', 'csp-early', 'download']);
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('cross-origin server: text/plain POST, the tags GET, the tags script and its beacon without a CORS preflight', async () => {
    const other = await startSdkServer(lab.sdkFile);
    try {
      lab.server.eventsOrigin = other.origin;
      other.tags = [{ id: 'anywhere', selector: 'body', tag: 'page' }];
      const { page, errors } = await openPage(lab.context);
      await page.goto(url('/snippet.html'));
      await waitFor(() => other.events.length >= 3, 5000, 'cross-origin events');
      await page.waitForFunction(() => typeof (window as { __lgTag?: unknown }).__lgTag === 'function', undefined, { timeout: 5000 });
      // The page goes away: the tags script's health beacon, also without a preflight.
      await page.goto('about:blank');
      await waitFor(() => other.health.length === 1, 5000, 'health beacon');
      expect(other.log.filter((l) => l.startsWith('OPTIONS'))).toEqual([]);
      expect(other.log).toContain('GET /v1/tags');
      expect(other.log).toContain('GET /v1/tags.js');
      expect(lab.server.log.filter((l) => l.includes('/v1/events'))).toEqual([]);
      expect(other.events[0]).toMatchObject({ type: 'page_view', url: url('/snippet.html') });
      expect(errors).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
