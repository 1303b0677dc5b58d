// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { STUB, snippet } from '../../sdk/snippet.ts';
import { fakeServer, freshCore, invalid, tick } from './helpers.ts';

const base = { site: 's', server: 'https://lg.example', allowAutomation: true, batchSize: 1 };

afterEach(() => vi.restoreAllMocks());

describe('public API', () => {
  it('track() sends a custom event with props cut to the contract; identify() keeps only known traits', async () => {
    const server = fakeServer();
    const core = await freshCore();
    core.start(base);
    const props: Record<string, unknown> = { plan: 'pro', seats: 5, annual: true, none: null, fn: () => 1, obj: { a: 1 }, long: 'x'.repeat(900) };
    for (let i = 0; i < 30; i++) props['k' + i] = i;
    core.track('signup', props);
    core.identify({ email: 'ada@acme.io', name: 'Ada', company: 'Acme', extra: 'nope' } as never);
    core.identify({ name: 'no email' } as never);
    await tick();
    const [, custom, identify, ...rest] = server.events();
    expect(rest).toEqual([]);
    expect(custom).toMatchObject({ type: 'custom', name: 'signup', props: { plan: 'pro', seats: 5, annual: true, none: null } });
    expect(Object.keys((custom as { props: object }).props)).toHaveLength(20);
    expect((custom as { props: Record<string, string> }).props.long).toHaveLength(500);
    expect(identify).toMatchObject({ type: 'identify', source: 'api', traits: { email: 'ada@acme.io', name: 'Ada', company: 'Acme' } });
    expect(JSON.stringify(identify)).not.toContain('nope');
    expect(invalid(server.events())).toEqual([]);
    expect(server.events().map((e) => e.id)).toEqual([...new Set(server.events().map((e) => e.id))]);
  });

  it('never throws into the page, whatever it is called with', async () => {
    fakeServer();
    const core = await freshCore();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(() => {
      core.start(undefined as never);
      core.track(undefined as never, 5 as never);
      core.identify(null as never);
      core.consent(42 as never);
      core.command(['nope', 1]);
      core.command(['__proto__']);
    }).not.toThrow();
    expect(warn).not.toHaveBeenCalled();
  });
});

describe('snippet', () => {
  it('the stub keeps calls made before the script; the script replays them in order, once', async () => {
    const server = fakeServer();
    await freshCore();
    delete (window as { leadglow?: unknown }).leadglow;
    new Function(STUB)();
    const lg = (window as unknown as { leadglow: (...a: unknown[]) => void }).leadglow;
    lg('identify', { email: 'early@acme.io' });
    lg('track', 'early');
    const script = document.createElement('script');
    script.src = 'https://lg.example/leadglow.js';
    script.dataset.site = 'site_9';
    script.dataset.allowAutomation = 'true';
    script.dataset.batchSize = '1';
    vi.spyOn(document, 'currentScript', 'get').mockReturnValue(script);
    await import('../../sdk/iife.ts');
    (window as unknown as { leadglow: (...a: unknown[]) => void }).leadglow('track', 'late');
    await tick();
    expect(server.events().map((e) => (e.type === 'custom' ? e.name : e.type))).toEqual(['page_view', 'identify', 'early', 'late']);
    expect(server.events()[0]!.site).toBe('site_9');
    expect(server.tagRequests).toEqual(['https://lg.example/v1/tags?site=site_9']);
    expect(server.fetch.mock.calls.filter((c) => c[0] !== server.tagRequests[0]).every((c) => c[0] === 'https://lg.example/v1/events')).toBe(true);
    expect(invalid(server.events())).toEqual([]);
  });

  it('ignores a second copy of the script', async () => {
    const server = fakeServer();
    const core = await freshCore();
    core.start(base);
    core.start(base);
    vi.resetModules();
    const second = await import('../../sdk/core.ts');
    second.start(base);
    second.track('from the second copy');
    await tick();
    expect(server.events().map((e) => e.type)).toEqual(['page_view']);
  });

  it('snippet() renders the stub and the async script with escaped data-* options', () => {
    const html = snippet({ src: 'https://lg.example.com/leadglow.js', site: 'k"1', data: { consent: 'required', respectDnt: false } });
    expect(html).toBe(
      `<script>${STUB}</script>\n<script async src="https://lg.example.com/leadglow.js" data-site="k&quot;1" data-consent="required" data-respect-dnt="false"></script>`,
    );
  });
});
