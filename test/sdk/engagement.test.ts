// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeServer, freshCore, invalid, setVisibility, tick } from './helpers.ts';

afterEach(() => {
  vi.restoreAllMocks();
  setVisibility('visible');
});

describe('engagement', () => {
  it('reports visible time when hidden, referencing the page view, and only visible time', async () => {
    let now = 1_750_000_000_000;
    vi.spyOn(Date, 'now').mockImplementation(() => now);
    const server = fakeServer();
    const core = await freshCore();
    core.start({ site: 's', server: 'https://lg.example', allowAutomation: true });
    now += 4000;
    setVisibility('hidden'); // flushes too: no timer wait
    now += 60_000; // hidden time does not count
    setVisibility('visible');
    now += 1500;
    setVisibility('hidden');
    await tick();
    const [pv, ...rest] = server.events();
    const engagement = rest.filter((e) => e.type === 'engagement');
    expect(engagement).toMatchObject([
      { pageViewId: pv!.id, engagedMs: 4000, url: pv!.url },
      { pageViewId: pv!.id, engagedMs: 1500 },
    ]);
    expect(invalid(server.events())).toEqual([]);
  });

  it('an SPA navigation closes the previous page’s engagement first', async () => {
    let now = 1_750_000_000_000;
    vi.spyOn(Date, 'now').mockImplementation(() => now);
    const server = fakeServer();
    const core = await freshCore();
    core.start({ site: 's', server: 'https://lg.example', allowAutomation: true, batchSize: 1 });
    now += 2500;
    history.pushState({}, '', '/next-' + now);
    await tick();
    const types = server.events().map((e) => e.type);
    expect(types).toEqual(['page_view', 'engagement', 'page_view']);
    const [first, eng] = server.events();
    expect(eng).toMatchObject({ pageViewId: first!.id, engagedMs: 2500 });
  });
});
