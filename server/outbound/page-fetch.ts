import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { checkOutboundTarget, connectLookup } from './pinned-fetch.ts';

// Fetches a marketer's page for the dashboard's page check (POST /v1/inspect). An admin types
// the URL, so it gets the webhook's outbound rules (server/outbound/pinned-fetch.ts): http(s) only, and no
// loopback, private or link-local address unless the operator allows them. The address is
// pinned for the connection (connectLookup: the socket connects to the checked addresses, never
// resolving the name again), so a name that resolves to a public address for the check and to
// 127.0.0.1 for the connection still cannot reach 127.0.0.1. Redirects
// are followed a few times, each hop checked the same way; the body is capped and the whole
// fetch has a deadline.

export type PageFetchOptions = {
  /** Whether this URL may be on a private or loopback address (asked again at every redirect). */
  allowPrivate: (url: URL) => boolean;
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
  /** For tests: how a host name resolves. */
  resolve?: (host: string) => Promise<string[]>;
};

export type PageFetchResult = { ok: true; url: string; html: string } | { ok: false; error: string };

export const PAGE_TIMEOUT_MS = 10_000;
export const PAGE_MAX_BYTES = 2 * 1024 * 1024;

export async function fetchPage(url: string, opts: PageFetchOptions): Promise<PageFetchResult> {
  const deadline = Date.now() + (opts.timeoutMs ?? PAGE_TIMEOUT_MS);
  const maxRedirects = opts.maxRedirects ?? 3;
  let current = url;
  for (let hop = 0; ; hop++) {
    const allowPrivate = opts.allowPrivate(new URL(current));
    const check = await checkOutboundTarget(current, { allowPrivate, ...(opts.resolve ? { resolve: opts.resolve } : {}) });
    if (!check.ok) return { ok: false, error: `${current}: ${check.error}` };
    const left = deadline - Date.now();
    if (left <= 0) return { ok: false, error: `${current}: no answer within ${opts.timeoutMs ?? PAGE_TIMEOUT_MS} ms` };
    let res: IncomingMessage;
    try {
      res = await get(current, left, connectLookup(check.addresses, opts.resolve));
    } catch (err) {
      return { ok: false, error: `${current}: ${describe(err, opts.timeoutMs ?? PAGE_TIMEOUT_MS)}` };
    }
    const status = res.statusCode ?? 0;
    if (status >= 300 && status < 400 && res.headers.location) {
      res.resume();
      if (hop >= maxRedirects) return { ok: false, error: `${current}: more than ${maxRedirects} redirects` };
      current = new URL(res.headers.location, current).href;
      continue;
    }
    if (status < 200 || status >= 300) {
      res.resume();
      return { ok: false, error: `${current}: the site answered HTTP ${status}` };
    }
    const type = String(res.headers['content-type'] ?? '');
    if (type && !/^\s*(text\/html|application\/xhtml\+xml)\b/i.test(type)) {
      res.resume();
      return { ok: false, error: `${current}: not an HTML page (${type.slice(0, 100)})` };
    }
    const body = await readCapped(res, opts.maxBytes ?? PAGE_MAX_BYTES, deadline).catch((err: unknown) => err as Error);
    if (body instanceof Error) return { ok: false, error: `${current}: ${describe(body, opts.timeoutMs ?? PAGE_TIMEOUT_MS)}` };
    return { ok: true, url: current, html: decode(body, type) };
  }
}

function get(url: string, timeoutMs: number, lookup: LookupFunction | undefined): Promise<IncomingMessage> {
  const u = new URL(url);
  const send = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(u, {
      method: 'GET',
      headers: { accept: 'text/html,application/xhtml+xml', 'user-agent': 'Leadglow page check' },
      ...(lookup ? { lookup } : {}),
      timeout: timeoutMs,
    }, resolve);
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end();
  });
}

function readCapped(res: IncomingMessage, maxBytes: number, deadline: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => res.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })), Math.max(0, deadline - Date.now()));
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) return res.destroy(Object.assign(new Error(`the page is larger than ${maxBytes} bytes`), { code: 'ETOOBIG' }));
      chunks.push(chunk);
    });
    res.on('end', () => (clearTimeout(timer), resolve(Buffer.concat(chunks))));
    res.on('error', (err) => (clearTimeout(timer), reject(err)));
    res.on('close', () => {
      clearTimeout(timer);
      if (!res.complete) reject(res.errored ?? new Error('the connection closed early'));
    });
  });
}

function decode(body: Buffer, contentType: string): string {
  const label = /charset=["']?([\w-]+)/i.exec(contentType)?.[1] ?? /<meta[^>]+charset=["']?([\w-]+)/i.exec(body.subarray(0, 2048).toString('latin1'))?.[1] ?? 'utf-8';
  try {
    return new TextDecoder(label).decode(body);
  } catch {
    return new TextDecoder().decode(body);
  }
}

function describe(err: unknown, timeoutMs: number): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ETIMEDOUT':
      return `no answer within ${timeoutMs} ms`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve the host (${e.code})`;
    case 'ECONNREFUSED':
      return 'the connection was refused';
    case 'EPRIVATE':
    case 'ETOOBIG':
      return e.message;
    default:
      return e?.message ? `could not fetch: ${e.message}` : 'could not fetch';
  }
}
