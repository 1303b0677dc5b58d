import type { Event } from '../../../shared/contracts/event.ts';
import { uuidv7 } from '../../../shared/ids.ts';

export const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
export const DAY = 86_400_000;

type Extra<T extends Event['type']> = Omit<Extract<Event, { type: T }>, 'id' | 'ts' | 'site' | 'anonymousId' | 'sessionId' | 'type'>;

let counter = 0;
/** An event of `type` at T0 + `dt` ms, with deterministic, time-ordered ids. */
export function ev<T extends Event['type']>(type: T, dt: number, extra: Extra<T>): Event {
  const ts = T0 + dt;
  const n = counter++;
  const id = uuidv7(ts, (b) => {
    b.fill(0);
    b[12] = (n >>> 24) & 255;
    b[13] = (n >>> 16) & 255;
    b[14] = (n >>> 8) & 255;
    b[15] = n & 255;
    return b;
  });
  return { id, ts, site: 'site_test', anonymousId: 'anon-1', sessionId: 'sess-1', type, ...extra } as Event;
}

export const page = (path: string, dt: number, more: Partial<Extra<'page_view'>> = {}) =>
  ev('page_view', dt, { url: `https://www.example-saas.com${path}`, ...more });
