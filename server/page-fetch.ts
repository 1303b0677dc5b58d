import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { checkOutboundTarget, isPrivateAddress } from './outbound.ts';

// Fetches a marketer's page for the dashboard's page check (POST /v1/inspect). An admin types
// the URL, so it gets the webhook's outbound rules (server/outbound.ts): http(s) only, and no
// loopback, private or link-local address unless the operator allows them. The address is
// checked again when the socket connects (the lookup below), so a name that resolves to a
// public address for the check and to 127.0.0.1 for the connection is still refused. Redirects
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
      res = await get(current, left, allowPrivate, opts.resolve);
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

function get(url: string, timeoutMs: number, allowPrivate: boolean, resolveHost: PageFetchOptions['resolve']): Promise<IncomingMessage> {
  const u = new URL(url);
  const send = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(u, {
      method: 'GET',
      headers: { accept: 'text/html,application/xhtml+xml', 'user-agent': 'Leadglow page check' },
      lookup: guardedLookup(allowPrivate, resolveHost),
      timeout: timeoutMs,
    }, resolve);
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end();
  });
}

/** DNS at connect time, refusing private answers: the check above cannot be raced by a rebinding name. */
function guardedLookup(allowPrivate: boolean, resolveHost: PageFetchOptions['resolve']): LookupFunction {
  return ((host: string, options: object, callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void) => {
    const done = (err: NodeJS.ErrnoException | null, list: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      const inside = allowPrivate ? undefined : list.find((a) => isPrivateAddress(a.address));
      if (inside || list.length === 0) return callback(Object.assign(new Error(`refused ${host}: it resolves to a private or loopback address (${inside?.address ?? 'none'})`), { code: 'EPRIVATE' }), '', 0);
      if ((options as { all?: boolean }).all) return callback(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    };
    if (resolveHost) {
      resolveHost(host).then((addrs) => done(null, addrs.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))), (err: NodeJS.ErrnoException) => done(err, []));
    } else dnsLookup(host, { all: true, verbatim: true }, (err, list) => done(err, list ?? []));
  }) as LookupFunction;
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
