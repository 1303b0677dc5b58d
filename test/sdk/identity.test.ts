// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest';

type Identity = typeof import('../../sdk/identity.ts');
let identity: Identity;
const T = 1_750_000_000_000;

beforeEach(async () => {
  vi.resetModules();
  localStorage.clear();
  identity = await import('../../sdk/identity.ts');
});

describe('identity', () => {
  it('keeps the session while active and rotates it after 30 minutes of inactivity; the anonymous id stays', () => {
    identity.persistIds(true);
    const [a1, s1] = identity.ids(T);
    const [, s2] = identity.ids(T + 29 * 60_000);
    const [, s3] = identity.ids(T + 58 * 60_000); // 29 min after the last activity
    const [a4, s4] = identity.ids(T + 89 * 60_000); // 31 min idle
    expect(s2).toBe(s1);
    expect(s3).toBe(s1);
    expect(s4).not.toBe(s1);
    expect(a4).toBe(a1);
    expect(a1).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
  });

  it('shares the session with other tabs through storage', async () => {
    identity.persistIds(true);
    const [a, s] = identity.ids(T);
    vi.resetModules();
    const otherTab = await import('../../sdk/identity.ts');
    otherTab.persistIds(true);
    expect(otherTab.ids(T + 60_000)).toEqual([a, s]);
  });

  it('in memory, nothing is written; switching persistence off erases stored ids', () => {
    identity.ids(T);
    expect(localStorage.length).toBe(0);
    identity.persistIds(true);
    identity.ids(T);
    expect(localStorage.getItem('lg_id')).toMatch(/^[0-9a-f-]{36}\.[0-9a-f-]{36}\.\d+$/);
    identity.persistIds(false);
    expect(localStorage.length).toBe(0);
  });

  it('when localStorage throws, keeps ids in memory for the page, throws nothing and sets no cookie', () => {
    const spy = vi.spyOn(window, 'localStorage', 'get').mockImplementation(() => {
      throw new DOMException('blocked', 'SecurityError');
    });
    try {
      identity.persistIds(true);
      const [a, s] = identity.ids(T);
      expect(a).toMatch(/^[0-9a-f]{8}-/);
      expect(identity.ids(T + 1000)).toEqual([a, s]);
      identity.persistIds(false);
      expect(document.cookie).toBe('');
    } finally {
      spy.mockRestore();
    }
  });
});
