import type { z } from 'zod';
import { Account, ApiError, Feedback, type FeedbackRequest, HotList, LeadView, Me, TimelinePage } from '../../shared/index.ts';
import type { Problem } from '../../shared/contracts/messages.ts';

// The server's read API, as the background calls it. Every body is parsed with the shared
// contract; a server that answers something else is `invalid`, never trusted.

export type ApiResult<T> = { ok: true; data: T } | { ok: false; problem: Problem; message?: string; details?: string[] };
export type Connection = { serverUrl: string; token: string };
type Fetch = typeof fetch;

export type Call = <T>(path: string, schema: z.ZodType<T>, init?: RequestInit) => Promise<ApiResult<T>>;

/** One authenticated JSON call to the server, its answer parsed with `schema`. */
export function createCall(conn: Connection, fetchFn: Fetch = fetch, timeoutMs = 10_000): Call {
  const base = conn.serverUrl.replace(/\/+$/, '');
  return async function call<T>(path: string, schema: z.ZodType<T>, init: RequestInit = {}): Promise<ApiResult<T>> {
    let res: Response;
    try {
      res = await fetchFn(base + path, {
        ...init,
        headers: {
          authorization: `Bearer ${conn.token}`,
          accept: 'application/json',
          ...(init.body ? { 'content-type': 'application/json' } : {}),
          ...(init.headers as Record<string, string> | undefined),
        },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      return { ok: false, problem: 'unreachable', message: String(error) };
    }
    // why: a body that is not JSON (a proxy's HTML error page) is read as none: an error status
    // still says what went wrong below, and an OK reply without JSON fails its schema as invalid.
    const body: unknown = await res.json().catch(() => undefined);
    if (!res.ok) {
      const error = ApiError.safeParse(body).data;
      const message = error?.error ?? `HTTP ${res.status}`;
      if (res.status === 401 || res.status === 403) return { ok: false, problem: 'unauthorized', message };
      if (res.status === 404) return { ok: false, problem: 'not-found', message };
      if (res.status >= 500) return { ok: false, problem: 'unreachable', message };
      return { ok: false, problem: 'invalid', message, ...(error?.details ? { details: error.details } : {}) };
    }
    const parsed = schema.safeParse(body);
    return parsed.success ? { ok: true, data: parsed.data } : { ok: false, problem: 'invalid', message: parsed.error.message };
  };
}

export function createApi(conn: Connection, fetchFn: Fetch = fetch, timeoutMs = 10_000) {
  const call = createCall(conn, fetchFn, timeoutMs);
  const id = encodeURIComponent;
  return {
    me: () => call('/v1/me', Me),
    leadByEmail: (email: string) => call(`/v1/leads?email=${id(email)}`, LeadView),
    lead: (leadId: string) => call(`/v1/leads/${id(leadId)}`, LeadView),
    timeline: (leadId: string, before?: string) =>
      call(`/v1/leads/${id(leadId)}/timeline?limit=100${before ? `&before=${encodeURIComponent(before)}` : ''}`, TimelinePage),
    account: (domain: string) => call(`/v1/accounts/${id(domain)}`, Account),
    hot: () => call('/v1/hot?limit=50', HotList),
    feedback: (leadId: string, body: FeedbackRequest) =>
      call(`/v1/leads/${id(leadId)}/feedback`, Feedback, {
        method: 'POST',
        body: JSON.stringify(body),
      }),
  };
}
export type Api = ReturnType<typeof createApi>;
