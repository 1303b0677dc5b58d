import { vi } from 'vitest';
import { Event as EventSchema } from '../../shared/contracts/event.ts';
import type { LgEvent } from '../../sdk/types.ts';

type Core = typeof import('../../sdk/core.ts');
let previous: Core | undefined;

/** A fresh SDK core (module state reset), with the previous one silenced and storage cleared. */
export async function freshCore(): Promise<Core> {
  previous?.optOut();
  vi.resetModules();
  localStorage.clear();
  delete (window as { __leadglow?: 1 }).__leadglow;
  previous = await import('../../sdk/core.ts');
  return previous;
}

export interface FakeServer {
  batches: { events: LgEvent[]; sentAt: number }[];
  events: () => LgEvent[];
  fetch: ReturnType<typeof vi.fn>;
  /** URLs of the `GET /v1/tags` requests. */
  tagRequests: string[];
}

/**
 * Stubs fetch with a server that accepts every batch (or answers `status`) and answers
 * `GET /v1/tags` with `tags` (a status and a body; the default lists no element).
 */
export function fakeServer(
  answer: (body: { events: LgEvent[] }) => [number, unknown] = (b) => [200, { accepted: b.events.length, duplicates: 0, rejected: [] }],
  tags: () => [number, string] = () => [200, '{"elements":[]}'],
): FakeServer {
  const batches: FakeServer['batches'] = [];
  const tagRequests: string[] = [];
  const fetch = vi.fn(async (url: string, init?: RequestInit) => {
    if (url.includes('/v1/tags')) {
      tagRequests.push(url);
      const [status, text] = tags();
      return new Response(text, { status });
    }
    const body = JSON.parse(init!.body as string);
    batches.push(body);
    const [status, json] = answer(body);
    return new Response(JSON.stringify(json), { status });
  });
  vi.stubGlobal('fetch', fetch);
  return { batches, fetch, tagRequests, events: () => batches.flatMap((b) => b.events) };
}

/** Asserts every event passes the server's contract; returns the zod errors otherwise. */
export function invalid(events: unknown[]): string[] {
  return events.flatMap((e) => {
    const r = EventSchema.safeParse(e);
    return r.success ? [] : [JSON.stringify(r.error.issues)];
  });
}

export const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

export function setVisibility(state: 'visible' | 'hidden'): void {
  Object.defineProperty(document, 'visibilityState', { value: state, configurable: true });
  Object.defineProperty(document, 'hidden', { value: state === 'hidden', configurable: true });
  document.dispatchEvent(new Event('visibilitychange'));
}
