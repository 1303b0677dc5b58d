// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeServer, freshCore, invalid, tick } from './helpers.ts';

const base = { site: 's', server: 'https://lg.example', allowAutomation: true, batchSize: 1 };
const stored = () => Object.keys(localStorage).sort();

afterEach(() => {
  vi.unstubAllGlobals();
  Object.defineProperty(navigator, 'doNotTrack', { value: null, configurable: true });
  Object.defineProperty(navigator, 'globalPrivacyControl', { value: undefined, configurable: true });
});

describe('consent and privacy', () => {
  it('required: nothing stored or sent before consent; the page view follows the grant once', async () => {
    const server = fakeServer();
    const core = await freshCore();
    core.start({ ...base, consent: 'required' });
    core.track('early');
    history.pushState({}, '', '/before-consent');
    await tick();
    expect(server.fetch).not.toHaveBeenCalled();
    expect(stored()).toEqual([]);
    core.consent('granted');
    core.consent('granted'); // banners call again on every page: no second view
    await tick();
    expect(server.events().map((e) => e.type)).toEqual(['page_view']);
    expect(server.events()[0]!.url).toMatch(/\/before-consent$/);
    expect(stored()).toEqual(['lg_consent', 'lg_id']);
    expect(localStorage.getItem('lg_id')).toMatch(server.events()[0]!.anonymousId + '.' + server.events()[0]!.sessionId + '.');
  });

  it('anonymous-until-consent: sent with in-memory ids, nothing persisted; the same id is kept on consent', async () => {
    const server = fakeServer();
    const core = await freshCore();
    core.start({ ...base, consent: 'anonymous-until-consent' });
    core.track('a');
    await tick();
    expect(server.events().map((e) => e.type)).toEqual(['page_view', 'custom']);
    expect(stored()).toEqual([]);
    core.consent('granted');
    expect(localStorage.getItem('lg_id')).toMatch(server.events()[0]!.anonymousId + '.' + server.events()[0]!.sessionId + '.');
    core.consent('denied');
    expect(stored()).toEqual([]);
  });

  it('cookieless: nothing in localStorage or cookies, even with mode none', async () => {
    const server = fakeServer();
    const core = await freshCore();
    core.start({ ...base, cookieless: true });
    core.track('a');
    await tick();
    expect(server.events()).toHaveLength(2);
    expect(stored()).toEqual([]);
    expect(document.cookie).toBe('');
  });

  it('mode none persists a first-party id that survives a reload; the session stays the same', async () => {
    const server = fakeServer();
    (await freshCore()).start(base);
    await tick();
    const first = server.events()[0]!;
    vi.resetModules();
    delete (window as { __leadglow?: 1 }).__leadglow;
    (await import('../../sdk/core.ts')).start(base);
    await tick();
    const second = server.events()[1]!;
    expect(second.anonymousId).toBe(first.anonymousId);
    expect(second.sessionId).toBe(first.sessionId);
  });

  it('honours Do-Not-Track and Global Privacy Control by default; the site owner may turn them off', async () => {
    const server = fakeServer();
    Object.defineProperty(navigator, 'doNotTrack', { value: '1', configurable: true });
    (await freshCore()).start(base);
    Object.defineProperty(navigator, 'doNotTrack', { value: null, configurable: true });
    Object.defineProperty(navigator, 'globalPrivacyControl', { value: true, configurable: true });
    (await freshCore()).start(base);
    await tick();
    expect(server.fetch).not.toHaveBeenCalled();
    (await freshCore()).start({ ...base, respectGpc: false });
    await tick();
    expect(server.events()).toHaveLength(1);
    Object.defineProperty(navigator, 'doNotTrack', { value: '1', configurable: true });
    (await freshCore()).start({ ...base, respectGpc: false, respectDnt: false });
    await tick();
    expect(server.events()).toHaveLength(2);
  });

  it('ignores automation (navigator.webdriver) unless allowed', async () => {
    const server = fakeServer();
    expect(navigator.webdriver).toBe(true); // happy-dom says so, like Playwright
    (await freshCore()).start({ ...base, allowAutomation: false });
    await tick();
    expect(server.fetch).not.toHaveBeenCalled();
  });

  it('optOut() stops everything, erases ids and holds on the next page load', async () => {
    const server = fakeServer();
    const core = await freshCore();
    core.start(base);
    await tick();
    core.optOut();
    core.track('after');
    await tick();
    expect(server.events().map((e) => e.type)).toEqual(['page_view']);
    expect(stored()).toEqual(['lg_consent']);
    expect(localStorage.getItem('lg_consent')).toBe('0');
    vi.resetModules();
    delete (window as { __leadglow?: 1 }).__leadglow;
    const next = await import('../../sdk/core.ts');
    next.start(base);
    next.track('next page');
    await tick();
    expect(server.events()).toHaveLength(1);
    expect(invalid(server.events())).toEqual([]);
  });
});
