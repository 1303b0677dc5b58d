import type { BatchResult } from '../shared/contracts/batch.ts';
import type { LgEvent, Stats } from './types.ts';

/**
 * POSTs a batch. Resolves true when the batch is settled (accepted, or refused for good) and
 * false when it should be retried. Never rejects.
 *
 * The body is a string, so the browser sends `text/plain`: a "simple" request that needs no
 * CORS preflight. keepalive lets it finish after the page is gone.
 */
export async function send(url: string, events: LgEvent[], stats: Stats): Promise<boolean> {
  const body = JSON.stringify({ events, sentAt: Date.now() });
  const half = events.length >> 1;
  // keepalive fetches share a 64 KB budget; stay well under it (characters, not bytes, so leave room).
  // A failed half retries the whole batch; the server dedupes the half that got through.
  if (body.length > 30000 && half) return (await send(url, events.slice(0, half), stats)) && send(url, events.slice(half), stats);
  try {
    const res = await fetch(url, { method: 'POST', body, keepalive: true });
    const s = res.status;
    // Overloaded or rate-limited: worth another try later.
    if (s > 499 || s == 408 || s == 429) return false;
    const result: Partial<BatchResult> | void = await res.json().catch(() => {});
    // A 4xx without a readable answer refuses the whole batch; never keep it forever.
    stats.rejected += result?.rejected?.length ?? (s > 299 ? events.length : 0);
    return true;
  } catch {
    // Offline, server unreachable, blocked: retry. No fetch at all (calling it threw): a beacon
    // is queued by the browser, we cannot see the answer.
    return !globalThis.fetch && navigator.sendBeacon(url, body);
  }
}
