import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

// Where the server may send requests of its own (webhooks). An admin sets the webhook URL, but
// a URL that points inside the network (loopback, the cloud metadata address, a private LAN)
// would let whoever sets it reach services that trust the server's address, with our signature
// header attached; a redirect could do the same from an outside URL (issue 18). So targets are
// checked after DNS resolution, redirects are never followed, and an operator who runs the
// receiver next to the server says so: LEADGLOW_WEBHOOK_ALLOW_PRIVATE=1.

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

export type TargetCheck = { ok: true } | { ok: false; error: string };

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
  return { ok: true };
}

async function resolveAll(host: string): Promise<string[]> {
  return (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
}
