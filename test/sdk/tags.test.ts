// @vitest-environment happy-dom
// @vitest-environment-options {"settings": {"handleDisabledFileLoadingAsSuccess": true}}
import { afterEach, describe, expect, it, vi } from 'vitest';
import { marks, pageMarks, watchTaggedClicks } from '../../sdk/tags.ts';
import { TagHealthReport } from '../../shared/contracts/tag-health.ts';
import { fakeServer, freshCore, invalid, setVisibility, tick, type FakeServer } from './helpers.ts';

describe('tags', () => {
  it('a click inside a tagged element sends a click event with selector, text, weight and tags', () => {
    document.body.innerHTML = '<section id="plans"><div><button data-leadglow-weight="30" data-leadglow-tag="demo,hand-raise"><b>Book a demo</b></button></div></section>';
    const emit = vi.fn();
    watchTaggedClicks(emit);
    document.querySelector('b')!.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(emit).toHaveBeenCalledWith({ type: 'click', selector: '#plans>div>button', text: 'Book a demo', weight: 30, tags: ['demo', 'hand-raise'] });
    expect(document.querySelector('#plans>div>button')).toBe(document.querySelector('button'));
  });

  it('untagged clicks send nothing', () => {
    document.body.innerHTML = '<p><button>Plain</button></p>';
    const emit = vi.fn();
    watchTaggedClicks(emit);
    document.querySelector('button')!.click();
    expect(emit).not.toHaveBeenCalled();
  });

  it('clamps weights to ±100, ignores non-numbers, cuts tags to the contract', () => {
    expect(marks('500', ' a , ,b ')).toEqual({ weight: 100, tags: ['a', 'b'] });
    expect(marks('-7.5', null)).toEqual({ weight: -7.5 });
    expect(marks('lots', '')).toEqual({});
    expect(marks(undefined, Array.from({ length: 15 }, (_, i) => 't' + i).join(',')).tags).toHaveLength(10);
    expect(marks(null, 'x'.repeat(80)).tags![0]).toHaveLength(40);
  });

  it('reads page weight and tags from meta tags', () => {
    document.head.innerHTML = '<meta name="leadglow:weight" content="15"><meta name="leadglow:tags" content="pricing">';
    expect(pageMarks()).toEqual({ weight: 15, tags: ['pricing'] });
    document.head.innerHTML = '';
    expect(pageMarks()).toEqual({});
  });
});

describe('tags chosen in the extension (GET /v1/tags, then the tags script)', () => {
  const base = { site: 'site_t', server: 'https://lg.example', allowAutomation: true, batchSize: 1 };
  const SCRIPT = '/v1/tags.js?v=test';
  const listed = (elements: unknown[]) => () => [200, JSON.stringify({ elements, script: SCRIPT })] as [number, string];
  const clicks = (server: FakeServer) => server.events().filter((e) => e.type === 'click');
  const click = (sel: string) => document.querySelector(sel)!.dispatchEvent(new MouseEvent('click', { bubbles: true }));
  type TagsWindow = { __lgTag?: unknown; __lgTags?: unknown };

  /**
   * The snippet put a <script> for the tags script from its server into the page; happy-dom does
   * not run it, so the test runs the same module the build bundles, as the browser would.
   */
  async function runTagsScript(): Promise<void> {
    const s = [...document.head.querySelectorAll('script')].map((x) => x.getAttribute('src'));
    expect(s).toContain('https://lg.example' + SCRIPT);
    vi.resetModules();
    await import('../../sdk/tags-script.ts');
  }

  afterEach(() => {
    vi.unstubAllGlobals();
    delete (window as TagsWindow).__lgTag;
    delete (window as TagsWindow).__lgTags;
    document.head.innerHTML = '';
  });

  it('no element tags: no script is loaded, and markup tags still count', async () => {
    document.body.innerHTML = '<button data-leadglow-tag="demo">Demo</button>';
    const server = fakeServer(undefined, () => [200, '{"elements":[]}']);
    (await freshCore()).start(base);
    await tick();
    expect(document.head.querySelector('script')).toBeNull();
    expect((window as TagsWindow).__lgTags).toBeUndefined();
    click('button');
    await tick();
    expect(clicks(server)).toMatchObject([{ tags: ['demo'] }]);
  });

  it('a click on a listed element, or inside it, sends one click with the listed selector exactly; an invalid selector is skipped', async () => {
    document.body.innerHTML = '<main><div class="cta"><button id="buy"><b>Buy now</b></button></div><p id="x">x</p></main>';
    const server = fakeServer(undefined, listed([{ selector: 'div[', tag: 'broken' }, { selector: 'main .cta > button', tag: 'purchase' }]));
    (await freshCore()).start(base);
    await tick();
    expect(server.tagRequests).toEqual(['https://lg.example/v1/tags?site=site_t']);
    await runTagsScript();
    click('#buy b');
    click('#x');
    await tick();
    expect(clicks(server)).toMatchObject([{ selector: 'main .cta > button', text: 'Buy now', tags: ['purchase'] }]);
    expect(clicks(server)[0]).not.toHaveProperty('weight');
    expect(invalid(server.events())).toEqual([]);
  });

  it('an element also tagged in markup gives one event: weight from markup, tags from both', async () => {
    document.body.innerHTML = '<section id="plans"><button data-leadglow-weight="30" data-leadglow-tag="demo"><span>Book a demo</span></button></section>';
    const server = fakeServer(undefined, listed([{ selector: '#plans button', tag: 'hand-raise' }]));
    (await freshCore()).start(base);
    await tick();
    await runTagsScript();
    click('#plans span');
    await tick();
    expect(clicks(server)).toEqual([expect.objectContaining({ selector: '#plans button', text: 'Book a demo', weight: 30, tags: ['hand-raise', 'demo'] })]);
    expect(invalid(server.events())).toEqual([]);
  });

  it('a scoped tag counts only on its pages', async () => {
    document.body.innerHTML = '<h1 id="t">Plans</h1>';
    const server = fakeServer(undefined, listed([{ selector: 'h1', tag: 'pricing-title', scope: '^/pricing$' }, { selector: '#t', tag: 'site', scope: '^/.*$' }]));
    (await freshCore()).start(base);
    await tick();
    await runTagsScript();
    click('h1');
    await tick();
    // happy-dom's page is at `/`: the pricing tag does not fire there, the site-wide one does.
    expect(clicks(server)).toMatchObject([{ selector: '#t', tags: ['site'] }]);
  });

  it('elements a SPA adds later count (delegation)', async () => {
    document.body.innerHTML = '<div id="app"></div>';
    const server = fakeServer(undefined, listed([{ selector: '[data-testid="trial"]', tag: 'trial' }]));
    (await freshCore()).start(base);
    await tick();
    await runTagsScript();
    document.getElementById('app')!.innerHTML = '<a data-testid="trial" href="#t">Start a trial</a>';
    click('[data-testid="trial"]');
    await tick();
    expect(clicks(server)).toMatchObject([{ selector: '[data-testid="trial"]', text: 'Start a trial', tags: ['trial'] }]);
  });

  it.each([
    ['a server error', () => [500, '{"elements":[{"selector":"button","tag":"x"}]}']],
    ['bad JSON', () => [200, '<html>']],
    ['a wrong shape', () => [200, '{"elements":"button"}']],
    ['a network error', () => { throw new TypeError('Failed to fetch'); }],
  ] as [string, () => [number, string]][])('after %s, markup tags still work and nothing is thrown', async (_, answer) => {
    document.body.innerHTML = '<button data-leadglow-tag="demo">Demo</button><button id="plain">Plain</button>';
    const server = fakeServer(undefined, answer);
    (await freshCore()).start(base);
    await tick();
    click('button');
    click('#plain');
    await tick();
    expect(server.tagRequests).toHaveLength(1);
    expect(clicks(server)).toMatchObject([{ selector: 'button', tags: ['demo'] }]);
  });

  it('consent required: nothing fetched before consent; fetched once when it is granted', async () => {
    document.body.innerHTML = '<button id="b">Buy</button>';
    const server = fakeServer(undefined, listed([{ selector: '#b', tag: 'buy' }]));
    const core = await freshCore();
    core.start({ ...base, consent: 'required' });
    click('#b');
    await tick();
    expect(server.fetch).not.toHaveBeenCalled();
    core.consent('granted');
    core.consent('granted');
    await tick();
    expect(server.tagRequests).toHaveLength(1);
    await runTagsScript();
    click('#b');
    await tick();
    expect(clicks(server)).toMatchObject([{ selector: '#b', tags: ['buy'] }]);
  });

  it('a tag whose selector broke in a deploy still counts by its fingerprint; one of another text or link does not', async () => {
    // Saved as `.btn-x1 > a` for the "Book a demo" link; the deploy renamed the class.
    document.body.innerHTML = '<nav><a href="/">Home</a><div class="cta-new"><a href="/demo"><span>Book a demo</span></a></div><a href="/demo">Demo</a></nav>';
    const fingerprint = { tag: 'a', text: 'Book a demo', href: '/demo', index: 0 };
    const server = fakeServer(undefined, listed([{ id: 'k1', selector: '.btn-x1 > a', tag: 'demo', fingerprint }, { id: 'k2', selector: '.gone', tag: 'other', fingerprint: { tag: 'a', text: 'Pricing', href: '/pricing' } }]));
    (await freshCore()).start(base);
    await tick();
    await runTagsScript();
    click('.cta-new span');
    click('nav > a[href="/demo"]');
    click('nav > a[href="/"]');
    await tick();
    expect(clicks(server)).toMatchObject([{ selector: '.btn-x1 > a', text: 'Book a demo', tags: ['demo'] }]);
  });

  it('reports tag health once per path in one beacon when the page is hidden: ids and how they were found, nothing about the visitor', async () => {
    const beacon = vi.fn((_url: string, _body: string) => true);
    Object.defineProperty(navigator, 'sendBeacon', { value: beacon, configurable: true });
    try {
      document.body.innerHTML = '<a id="a" href="/x">X</a><a class="new" href="/y">Y</a>';
      fakeServer(undefined, listed([
        { id: 'sel', selector: '#a', tag: 'a', fingerprint: { tag: 'a', text: 'X', href: '/x' } },
        { id: 'fp', selector: '.old', tag: 'b', fingerprint: { tag: 'a', text: 'Y', href: '/y' } },
        { id: 'none', selector: '.lost', tag: 'c' },
        { id: 'elsewhere', selector: '#a', tag: 'd', scope: '^/pricing$' },
      ]));
      (await freshCore()).start(base);
      await tick();
      await runTagsScript();
      setVisibility('hidden');
      setVisibility('visible');
      setVisibility('hidden');
      const health = beacon.mock.calls.filter(([url]) => url.includes('/v1/tags/health'));
      expect(health).toHaveLength(1);
      expect(health[0]![0]).toBe('https://lg.example/v1/tags/health?site=site_t');
      const body = TagHealthReport.parse(JSON.parse(health[0]![1]));
      expect(body).toEqual({ pages: [{ path: '/', found: { sel: 's', fp: 'f', none: 'n' } }] });
    } finally {
      setVisibility('visible');
      delete (navigator as { sendBeacon?: unknown }).sendBeacon;
    }
  });

  it('sends no health report after the visitor opted out', async () => {
    const beacon = vi.fn((_url: string, _body: string) => true);
    Object.defineProperty(navigator, 'sendBeacon', { value: beacon, configurable: true });
    try {
      document.body.innerHTML = '<a id="a" href="/x">X</a>';
      fakeServer(undefined, listed([{ id: 'sel', selector: '#a', tag: 'a' }]));
      const core = await freshCore();
      core.start(base);
      await tick();
      await runTagsScript();
      core.optOut();
      setVisibility('hidden');
      expect(beacon.mock.calls.filter(([url]) => url.includes('/v1/tags/health'))).toEqual([]);
    } finally {
      setVisibility('visible');
      delete (navigator as { sendBeacon?: unknown }).sendBeacon;
    }
  });

  it.each([
    ['no handover', undefined],
    ['a handover of the wrong shape', [{ elements: 'x' }, 1, 2, 3]],
    ['tags with hostile selectors and scopes', [{ elements: [{ id: 'x', selector: ':::', tag: 't', scope: '(', fingerprint: { tag: '<img>', text: 'X' } }, null] }, 'https://lg.example', 's', () => true]],
  ])('the tags script throws nothing into the page with %s', async (_, handover) => {
    document.body.innerHTML = '<a href="/x">X</a>';
    (window as TagsWindow).__lgTags = handover;
    vi.resetModules();
    await import('../../sdk/tags-script.ts');
    const match = (window as { __lgTag?: (e: Event) => unknown }).__lgTag;
    const e = new MouseEvent('click', { bubbles: true });
    document.querySelector('a')!.dispatchEvent(e);
    expect(() => match?.(e)).not.toThrow();
    expect(match?.(e)).toBeUndefined();
    expect(() => setVisibility('hidden')).not.toThrow();
    setVisibility('visible');
  });

  it('a browser without fetch still sends the page view (beacon) and throws nothing', async () => {
    const beacon = vi.fn((_url: string, _body: string) => true);
    Object.defineProperty(navigator, 'sendBeacon', { value: beacon, configurable: true });
    try {
      const core = await freshCore();
      vi.stubGlobal('fetch', undefined);
      core.start(base);
      await tick();
      expect(beacon).toHaveBeenCalledTimes(1);
      expect(JSON.parse(beacon.mock.calls[0]![1]).events.map((e: { type: string }) => e.type)).toEqual(['page_view']);
    } finally {
      delete (navigator as { sendBeacon?: unknown }).sendBeacon;
    }
  });

  it('Do-Not-Track and opt-out: no fetch', async () => {
    const server = fakeServer(undefined, listed([]));
    Object.defineProperty(navigator, 'doNotTrack', { value: '1', configurable: true });
    try {
      (await freshCore()).start(base);
    } finally {
      Object.defineProperty(navigator, 'doNotTrack', { value: null, configurable: true });
    }
    const core = await freshCore();
    core.optOut();
    delete (window as { __leadglow?: 1 }).__leadglow;
    core.start(base);
    await tick();
    expect(server.fetch).not.toHaveBeenCalled();
  });
});
