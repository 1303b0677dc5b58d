// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { fakeServer, freshCore, invalid, tick } from './helpers.ts';

describe('email link identity', () => {
  it('lg_t becomes an identify with the token, is removed from the address bar and from the page view URL', async () => {
    history.replaceState({ keep: 1 }, '', '/webinar?utm_medium=email&lg_t=tok.abc123&x=1#agenda');
    const server = fakeServer();
    (await freshCore()).start({ site: 's', server: 'https://lg.example', allowAutomation: true, batchSize: 1 });
    await tick();
    expect(location.href).toBe('http://localhost:3000/webinar?utm_medium=email&x=1#agenda');
    expect(history.state).toEqual({ keep: 1 });
    const [identify, pv, ...rest] = server.events();
    expect(identify).toMatchObject({ type: 'identify', token: 'tok.abc123', source: 'email_link', traits: {} });
    expect(pv).toMatchObject({ type: 'page_view', url: 'http://localhost:3000/webinar?utm_medium=email&x=1#agenda' });
    expect(rest).toEqual([]);
    expect(invalid(server.events())).toEqual([]);
  });

  it('strips the token even when tracking is off (Do-Not-Track), and sends nothing', async () => {
    history.replaceState(null, '', '/p?lg_t=secret');
    const server = fakeServer();
    (await freshCore()).start({ site: 's', allowAutomation: false });
    await tick();
    expect(location.search).toBe('');
    expect(server.fetch).not.toHaveBeenCalled();
  });
});
