import { afterEach, describe, expect, it, vi } from 'vitest';
import { send } from '../../sdk/transport.ts';
import type { LgEvent, Stats } from '../../sdk/types.ts';

const events = [{ id: 'a' }, { id: 'b' }, { id: 'c' }] as unknown as LgEvent[];
const stats = (): Stats => ({ rejected: 0, dropped: 0 });

function answer(status: number, body?: unknown) {
  const f = vi.fn(async () => new Response(body === undefined ? 'nope' : JSON.stringify(body), { status }));
  vi.stubGlobal('fetch', f);
  return f;
}

afterEach(() => vi.unstubAllGlobals());

describe('transport', () => {
  it('POSTs a text/plain JSON body {events, sentAt} with keepalive (no preflight)', async () => {
    const f = answer(200, { accepted: 3, duplicates: 0, rejected: [] });
    expect(await send('https://s.example/v1/events', events, stats())).toBe(true);
    const [url, init] = f.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('https://s.example/v1/events');
    expect(init).toMatchObject({ method: 'POST', keepalive: true });
    expect(init.headers).toBeUndefined();
    expect(typeof init.body).toBe('string'); // a string body is sent as text/plain
    const body = JSON.parse(init.body as string);
    expect(body.events).toEqual(events);
    expect(Number.isInteger(body.sentAt)).toBe(true);
  });

  it('200 with a rejected list: settled, only those counted as rejected', async () => {
    answer(200, { accepted: 2, duplicates: 0, rejected: [{ index: 1, id: 'b', errors: ['x'] }] });
    const s = stats();
    expect(await send('u', events, s)).toBe(true);
    expect(s.rejected).toBe(1);
  });

  it('4xx: settled for good (never retried); rejected counted from the answer or the whole batch', async () => {
    answer(400, { accepted: 0, duplicates: 0, rejected: [{ index: 0, errors: [] }, { index: 2, errors: [] }] });
    const s = stats();
    expect(await send('u', events, s)).toBe(true);
    expect(s.rejected).toBe(2);
    answer(403);
    expect(await send('u', events, s)).toBe(true);
    expect(s.rejected).toBe(5);
  });

  it('5xx, 429 and network errors: retry', async () => {
    const s = stats();
    answer(503);
    expect(await send('u', events, s)).toBe(false);
    answer(429);
    expect(await send('u', events, s)).toBe(false);
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    expect(await send('u', events, s)).toBe(false);
    expect(s.rejected).toBe(0);
  });

  it('falls back to sendBeacon when fetch is missing', async () => {
    vi.stubGlobal('fetch', undefined);
    const beacon = vi.fn(() => true);
    vi.stubGlobal('navigator', { sendBeacon: beacon });
    expect(await send('https://s.example/v1/events', events, stats())).toBe(true);
    expect(beacon).toHaveBeenCalledWith('https://s.example/v1/events', expect.stringContaining('"events"'));
  });

  it('splits a batch too large for a keepalive request', async () => {
    const f = answer(200, { accepted: 1, duplicates: 0, rejected: [] });
    const big = Array.from({ length: 8 }, (_, i) => ({ id: String(i), title: 'x'.repeat(6000) })) as unknown as LgEvent[];
    expect(await send('u', big, stats())).toBe(true);
    expect(f.mock.calls.length).toBeGreaterThan(1);
    const sent = f.mock.calls.flatMap((c) => JSON.parse((c as unknown as [string, RequestInit])[1].body as string).events.map((e: { id: string }) => e.id));
    expect(sent).toEqual(['0', '1', '2', '3', '4', '5', '6', '7']);
  });
});
