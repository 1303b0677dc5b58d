import { lookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

// Where the server may send requests of its own (webhooks). An admin sets the webhook URL, but
// a URL that points inside the network (loopback, the cloud metadata address, a private LAN)
// would let whoever sets it reach services that trust the server's address, with our signature
// header attached; a redirect could do the same from an outside URL (issue 18). So targets are
// checked after DNS resolution, redirects are never followed, and an operator who runs the
// receiver next to the server says so: LEADGLOW_WEBHOOK_ALLOW_PRIVATE=1.
//
// DNS rebinding: a name can resolve to a public address for the check and to 127.0.0.1 a
// moment later for the connection. So the request never resolves again: `pinnedFetch`
// connects to the addresses the check saw (a custom `lookup` on the socket), while the URL's
// name stays the Host header and the TLS server name (SNI and certificate check).

const PRIVATE = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) PRIVATE.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) PRIVATE.addSubnet(net, bits, 'ipv6');

/** Whether `address` (IPv4 or IPv6) is loopback, private, link-local or otherwise not public. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return PRIVATE.check(address, 'ipv4');
  if (family !== 6) return true; // not an address: refuse rather than guess
  const lower = address.toLowerCase();
  // IPv4 inside IPv6 (::ffff:10.0.0.1, NAT64 64:ff9b::a00:1): judge the IPv4 address.
  const embedded = embeddedIpv4(lower);
  if (embedded !== undefined) return PRIVATE.check(embedded, 'ipv4');
  return PRIVATE.check(lower, 'ipv6');
}

function embeddedIpv4(v6: string): string | undefined {
  const dotted = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(v6);
  if (dotted) return dotted[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(v6);
  if (!hex) return undefined;
  const hi = parseInt(hex[1]!, 16);
  const lo = parseInt(hex[2]!, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** Reads LEADGLOW_WEBHOOK_ALLOW_PRIVATE (1, true or yes). */
export function allowPrivateFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return /^(1|true|yes)$/i.test(env.LEADGLOW_WEBHOOK_ALLOW_PRIVATE?.trim() ?? '');
}

/** `addresses`: what the host resolved to when checked; connect only there (absent for IP literals and when private targets are allowed). */
export type TargetCheck = { ok: true; addresses?: string[] } | { ok: false; error: string };

/**
 * Whether the server may send to `url`: http(s), and every address its host resolves to is
 * public (or private ones are allowed). Checked before each attempt, so a name that later
 * resolves inside the network is refused then.
 */
export async function checkOutboundTarget(url: string, opts: { allowPrivate: boolean; resolve?: (host: string) => Promise<string[]> }): Promise<TargetCheck> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { ok: false, error: 'not a URL' };
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return { ok: false, error: `refused scheme ${u.protocol}` };
  if (opts.allowPrivate) return { ok: true };
  const host = u.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = await (opts.resolve ?? resolveAll)(host);
    } catch (err) {
      return { ok: false, error: `cannot resolve ${host}: ${(err as { code?: string }).code ?? String(err)}` };
    }
  }
  const inside = addresses.find(isPrivateAddress);
  if (inside !== undefined || addresses.length === 0) {
    return { ok: false, error: `refused ${host}: it resolves to a private or loopback address (${inside ?? 'none'}); set LEADGLOW_WEBHOOK_ALLOW_PRIVATE=1 to allow` };
  }
  return isIP(host) ? { ok: true } : { ok: true, addresses };
}

async function resolveAll(host: string): Promise<string[]> {
  return (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
}

/** The part of fetch's answer that webhook delivery reads. */
export type OutboundResponse = { status: number; headers: { get(name: string): string | null }; arrayBuffer(): Promise<ArrayBuffer> };
export type OutboundInit = { method: string; headers: Record<string, string>; body: string; signal?: AbortSignal };

/**
 * A fetch for one outbound request that connects only to `addresses` (the ones
 * checkOutboundTarget approved) instead of resolving the name again. Without addresses (IP
 * literals, private targets allowed) the name is resolved with `resolve`, or the system's
 * resolver. Never follows redirects (node:http does not). The body is read whole.
 */
export function pinnedFetch(
  addresses: readonly string[] | undefined,
  resolve?: (host: string) => Promise<string[]>,
): (url: string, init: OutboundInit) => Promise<OutboundResponse> {
  const lookup = connectLookup(addresses, resolve);
  return (url, init) =>
    new Promise<OutboundResponse>((done, fail) => {
      const u = new URL(url);
      const send = u.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(u, { method: init.method, headers: init.headers, ...(lookup ? { lookup } : {}) }, (res) => done(responseOf(res)));
      const signal = init.signal;
      if (signal) {
        const abort = () => req.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
        if (signal.aborted) abort();
        else signal.addEventListener('abort', abort, { once: true });
        req.once('close', () => signal.removeEventListener('abort', abort));
      }
      req.once('error', fail);
      req.end(init.body);
    });
}

type Answer = { address: string; family: number };

/**
 * The socket `lookup` for a request checked by checkOutboundTarget: its approved addresses
 * pinned; without them (IP literals, private targets allowed) `resolve` when a test injects one,
 * else undefined, the system's resolver.
 */
export function connectLookup(addresses: readonly string[] | undefined, resolve?: (host: string) => Promise<string[]>): LookupFunction | undefined {
  return addresses?.length ? pinnedLookup(addresses) : resolve ? resolvingLookup(resolve) : undefined;
}

/** A socket `lookup` that answers with the pinned addresses, whatever name it is asked for. */
export function pinnedLookup(addresses: readonly string[]): LookupFunction {
  const all = addresses.map((address) => ({ address, family: isIP(address) }));
  return (_host, options, callback) => answer(all, options, callback);
}

function resolvingLookup(resolve: (host: string) => Promise<string[]>): LookupFunction {
  return (host, options, callback) => {
    resolve(host).then(
      (list) => answer(list.map((address) => ({ address, family: isIP(address) })), options, callback),
      (err: unknown) => callback(err instanceof Error ? err : new Error(String(err)), '', 0),
    );
  };
}

function answer(all: Answer[], options: Parameters<LookupFunction>[1], callback: Parameters<LookupFunction>[2]): void {
  const wanted = options.family === 4 || options.family === 6 ? all.filter((a) => a.family === options.family) : all;
  const first = wanted[0];
  if (!first) {
    callback(Object.assign(new Error(`no checked address of family ${String(options.family)}`), { code: 'ENOTFOUND' }), '', 0);
    return;
  }
  // net.connect asks for every address when it races IPv4 and IPv6 (autoSelectFamily).
  if (options.all) (callback as unknown as (err: null, list: Answer[]) => void)(null, wanted);
  else callback(null, first.address, first.family);
}

function responseOf(res: IncomingMessage): OutboundResponse {
  const body = new Promise<ArrayBuffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.once('end', () => {
      const all = Buffer.concat(chunks);
      resolve(all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer);
    });
    res.once('error', reject);
  });
  // Not read means not awaited: keep an unread body's error from becoming an unhandled rejection.
  body.catch(() => undefined);
  return {
    status: res.statusCode ?? 0,
    headers: {
      get: (name) => {
        const v = res.headers[name.toLowerCase()];
        return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
      },
    },
    arrayBuffer: () => body,
  };
}
