// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeServer, freshCore, invalid, tick } from './helpers.ts';

const options = { site: 'site_1', server: 'https://lg.example', allowAutomation: true, batchSize: 1 };

beforeEach(() => {
  history.replaceState(null, '', '/pricing?utm_source=news&utm_campaign=spring&x=1');
  document.head.innerHTML = '<meta name="leadglow:weight" content="20"><meta name="leadglow:tags" content="pricing, enterprise">';
  document.title = 'Pricing';
});

describe('page views', () => {
  it('sends one page_view with title, tagged weight and tags (UTM left in the URL for the server), posted to server/v1/events', async () => {
    const server = fakeServer();
    const core = await freshCore();
    core.start(options);
    await tick();
    const [pv, ...rest] = server.events();
    expect(rest).toEqual([]);
    expect(pv).toMatchObject({
      type: 'page_view',
      site: 'site_1',
      url: 'http://localhost:3000/pricing?utm_source=news&utm_campaign=spring&x=1',
      title: 'Pricing',
      referrer: '',
      weight: 20,
      tags: ['pricing', 'enterprise'],
    });
    expect(pv).not.toHaveProperty('utm');
    expect(server.tagRequests).toEqual(['https://lg.example/v1/tags?site=site_1']);
    expect(server.fetch.mock.calls.filter((c) => c[0] !== server.tagRequests[0]).every((c) => c[0] === 'https://lg.example/v1/events')).toBe(true);
    expect(invalid(server.events())).toEqual([]);
  });

  it('counts SPA navigations once each: pushState, popstate; not replaceState or pushState to the same URL', async () => {
    const server = fakeServer();
    const core = await freshCore();
    core.start(options);
    history.pushState({}, '', '/docs');
    history.replaceState({ scroll: 1 }, '', '/docs'); // same page, new state
    history.pushState({}, '', '/docs#install'); // hash: same page by default
    history.pushState({}, '', '/docs');
    history.pushState({}, '', '/blog');
    history.replaceState({}, '', '/blog?page=2'); // a real URL change
    history.back();
    await tick(50); // popstate is async in happy-dom
    const views = server.events().filter((e) => e.type === 'page_view');
    const paths = views.map((e) => new URL(e.url!).pathname + new URL(e.url!).search);
    expect(paths).toEqual(['/pricing?utm_source=news&utm_campaign=spring&x=1', '/docs', '/blog', '/blog?page=2', '/docs']);
    // The previous route is the referrer of an SPA view.
    expect(views[1]!.referrer).toBe('http://localhost:3000/pricing?utm_source=news&utm_campaign=spring&x=1');
    expect(views[1]).not.toHaveProperty('utm');
    expect(invalid(server.events())).toEqual([]);
  });

  it('with hash routing, #/routes are page views', async () => {
    const server = fakeServer();
    const core = await freshCore();
    core.start({ ...options, hash: true });
    history.pushState({}, '', '#/a');
    history.pushState({}, '', '#/a');
    history.pushState({}, '', '#/b');
    await tick();
    expect(server.events().filter((e) => e.type === 'page_view').map((e) => new URL(e.url!).hash)).toEqual(['', '#/a', '#/b']);
  });

  it('with spa: false, history changes are not page views', async () => {
    const server = fakeServer();
    const core = await freshCore();
    core.start({ ...options, spa: false });
    history.pushState({}, '', '/other');
    await tick();
    expect(server.events().filter((e) => e.type === 'page_view')).toHaveLength(1);
  });
});
