import type { Cache } from '../cache.ts';
import { FRESH_MS } from '../cache.ts';
import type { LeadReply, Problem } from '../../shared/contracts/messages.ts';
import type { Api, ApiResult } from './api.ts';
import type { LeadView } from '../../shared/index.ts';

// Cache first, server behind it: a lead seen before is answered from IndexedDB at once and,
// when older than FRESH_MS, refreshed in the background; `onChange` tells panels to ask again.
// Concurrent asks for one email share one request (the content script prefetches, the
// panel asks a moment later).

type Deps = {
  cache: Cache;
  api: () => Promise<Api | undefined>;
  onChange: (email: string) => void;
  /** True while the last server call failed to connect: cached answers say so. */
  offline?: () => boolean;
  now?: () => number;
};

export function createLookup({ cache, api, onChange, offline = () => false, now = Date.now }: Deps) {
  const inflight = new Map<string, Promise<ApiResult<LeadView>>>();
  // The last failed refresh per email, so a cached answer can say "offline" or "signed out".
  const lastProblem = new Map<string, Problem>();

  function fetchLead(email: string): Promise<ApiResult<LeadView>> {
    let p = inflight.get(email);
    if (!p) {
      p = (async (): Promise<ApiResult<LeadView>> => {
        const client = await api();
        if (!client) return { ok: false, problem: 'not-configured' };
        const r = await client.leadByEmail(email);
        if (r.ok) {
          await cache.put(email, r.data, now());
          lastProblem.delete(email);
        } else lastProblem.set(email, r.problem);
        return r;
      })().finally(() => inflight.delete(email));
      inflight.set(email, p);
    }
    return p;
  }

  async function get(rawEmail: string, refresh = false): Promise<LeadReply> {
    const email = rawEmail.trim().toLowerCase();
    const cached = await cache.get(email);
    if (cached && !refresh) {
      const problem = lastProblem.get(email);
      if (problem === 'unauthorized') return { status: 'problem', problem };
      const down = problem === 'unreachable' || offline();
      const stale = down || now() - cached.fetchedAt > FRESH_MS;
      if (stale && !inflight.has(email)) void fetchLead(email).then(() => onChange(email));
      if (down) return { status: 'offline', view: cached.view, fetchedAt: cached.fetchedAt };
      return { status: 'ok', view: cached.view, fetchedAt: cached.fetchedAt, refreshing: stale || inflight.has(email) };
    }
    const r = await fetchLead(email);
    if (r.ok) return { status: 'ok', view: r.data, fetchedAt: now(), refreshing: false };
    if (r.problem === 'unreachable' && cached) return { status: 'offline', view: cached.view, fetchedAt: cached.fetchedAt };
    return { status: 'problem', problem: r.problem, ...(r.message ? { message: r.message } : {}) };
  }

  /** Starts loading a lead the panel is about to ask for. */
  function prefetch(email: string): void {
    // why: a head start only; the panel asks for the same lead next and shows whatever went wrong.
    void get(email).catch(() => undefined);
  }

  return { get, prefetch };
}
export type Lookup = ReturnType<typeof createLookup>;
