import { createHmac, timingSafeEqual } from 'node:crypto';

// Signed tokens for email tracking. A token is `<payload>.<mac>`, both base64url: the payload
// is compact JSON, the MAC is HMAC-SHA256 over a purpose tag and the encoded payload. The
// purpose tag keeps the two token kinds apart: a landing token (`lg_t`, which identifies a
// visitor as a lead) can never be replayed as a click token (which the server redirects on),
// nor the other way round.
//
// The server only redirects to the `target` inside a token it signed, so the click endpoint
// cannot be turned into an open redirect.

export type LinkPayload = {
  leadId: string;
  messageId: string;
  campaign?: string | undefined;
  /** Where a click goes. Only http(s) URLs are signed. */
  target?: string | undefined;
  /** When the message was sent (ms), so an open seconds later can be flagged without a lookup. */
  sentAt?: number | undefined;
};

export type LandingPayload = {
  leadId: string;
  messageId?: string | undefined;
  /** Issued at (ms). Landing tokens are short-lived: they travel in a URL the visitor may share. */
  iat: number;
};

export type TokenError = 'malformed' | 'bad_signature' | 'bad_payload' | 'expired';
export type VerifyResult<P> = { ok: true; payload: P } | { ok: false; error: TokenError };

/** One secret, or several during a rotation: the first signs, any verifies. */
export type Secrets = string | readonly string[];

export const LANDING_PARAM = 'lg_t';
/** The SDK truncates `lg_t` at 300 characters (the identify event's limit); stay below it. */
export const LANDING_TOKEN_MAX = 300;
/** Landing tokens older than this are refused: long enough for a slow page load and the SDK's outbox. */
export const LANDING_MAX_AGE_MS = 24 * 60 * 60 * 1000;

const MIN_SECRET_LENGTH = 16;
const KEY_MAX = 64;
const TEXT_MAX = 300;
const URL_MAX = 2048;

type Purpose = 'link' | 'land';

export function signLinkToken(secret: Secrets, payload: LinkPayload): string {
  checkKey('leadId', payload.leadId);
  checkKey('messageId', payload.messageId);
  if (payload.campaign !== undefined && (payload.campaign.length === 0 || payload.campaign.length > TEXT_MAX)) {
    throw new RangeError(`campaign: expected 1 to ${TEXT_MAX} characters`);
  }
  if (payload.target !== undefined && !isHttpUrl(payload.target)) {
    throw new RangeError('target: expected an http(s) URL');
  }
  if (payload.sentAt !== undefined && !Number.isSafeInteger(payload.sentAt)) throw new RangeError('sentAt: expected integer ms');
  // Short keys keep tracking URLs short; the pixel URL in particular is repeated per message.
  const wire: Record<string, string | number> = { l: payload.leadId, m: payload.messageId };
  if (payload.campaign !== undefined) wire.c = payload.campaign;
  if (payload.target !== undefined) wire.u = payload.target;
  if (payload.sentAt !== undefined) wire.s = payload.sentAt;
  return sign(secret, 'link', wire);
}

export function verifyLinkToken(secret: Secrets, token: string): VerifyResult<LinkPayload> {
  const opened = open(secret, 'link', token);
  if (!opened.ok) return opened;
  const w = opened.payload;
  if (!isKey(w.l) || !isKey(w.m)) return { ok: false, error: 'bad_payload' };
  const payload: LinkPayload = { leadId: w.l, messageId: w.m };
  if (w.c !== undefined) {
    if (typeof w.c !== 'string' || w.c.length === 0 || w.c.length > TEXT_MAX) return { ok: false, error: 'bad_payload' };
    payload.campaign = w.c;
  }
  if (w.u !== undefined) {
    // Checked again on the way out: a token signed by an older, laxer version must not redirect to javascript:.
    if (typeof w.u !== 'string' || !isHttpUrl(w.u)) return { ok: false, error: 'bad_payload' };
    payload.target = w.u;
  }
  if (w.s !== undefined) {
    if (typeof w.s !== 'number' || !Number.isSafeInteger(w.s)) return { ok: false, error: 'bad_payload' };
    payload.sentAt = w.s;
  }
  return { ok: true, payload };
}

export function signLandingToken(secret: Secrets, payload: { leadId: string; messageId?: string | undefined }, now: number): string {
  checkKey('leadId', payload.leadId);
  if (payload.messageId !== undefined) checkKey('messageId', payload.messageId);
  const wire: Record<string, string | number> = { l: payload.leadId, i: now };
  if (payload.messageId !== undefined) wire.m = payload.messageId;
  const token = sign(secret, 'land', wire);
  // Unreachable with 64-character ids; guards against someone raising KEY_MAX.
  if (token.length > LANDING_TOKEN_MAX) throw new RangeError(`landing token longer than ${LANDING_TOKEN_MAX} characters`);
  return token;
}

export function verifyLandingToken(
  secret: Secrets,
  token: string,
  opts: { now: number; maxAgeMs?: number },
): VerifyResult<LandingPayload> {
  const opened = open(secret, 'land', token);
  if (!opened.ok) return opened;
  const w = opened.payload;
  if (!isKey(w.l) || typeof w.i !== 'number' || !Number.isSafeInteger(w.i)) return { ok: false, error: 'bad_payload' };
  if (w.m !== undefined && !isKey(w.m)) return { ok: false, error: 'bad_payload' };
  const maxAge = opts.maxAgeMs ?? LANDING_MAX_AGE_MS;
  // A token from the future (beyond a minute of clock skew) is as suspect as an old one.
  if (opts.now - w.i > maxAge || w.i - opts.now > 60_000) return { ok: false, error: 'expired' };
  const payload: LandingPayload = { leadId: w.l, iat: w.i };
  if (w.m !== undefined) payload.messageId = w.m;
  return { ok: true, payload };
}

/** The tracking pixel's path, relative to the server origin. */
export function pixelPath(token: string): string {
  return `/e/o/${token}.gif`;
}

/** The click redirect's path, relative to the server origin. */
export function clickPath(token: string): string {
  return `/e/c/${token}`;
}

/** The token in a pixel path's last segment (`<token>.gif`), or undefined. */
export function tokenFromPixelPath(segment: string): string | undefined {
  return segment.endsWith('.gif') ? segment.slice(0, -4) : undefined;
}

/**
 * The redirect target with `lg_t=<token>` set (replacing any `lg_t` already there). The
 * fragment stays last, where browsers expect it.
 */
export function withLandingToken(target: string, landingToken: string): string {
  const u = new URL(target);
  u.searchParams.set(LANDING_PARAM, landingToken);
  return u.href;
}

/**
 * What the click endpoint needs: the verified target with a fresh landing token, or an
 * error. Never a URL that did not come out of a verified token.
 */
export function resolveClick(
  secret: Secrets,
  token: string,
  now: number,
): { ok: true; payload: LinkPayload & { target: string }; location: string } | { ok: false; error: TokenError | 'no_target' } {
  const v = verifyLinkToken(secret, token);
  if (!v.ok) return v;
  const target = v.payload.target;
  if (target === undefined) return { ok: false, error: 'no_target' };
  const landing = signLandingToken(secret, { leadId: v.payload.leadId, messageId: v.payload.messageId }, now);
  return { ok: true, payload: { ...v.payload, target }, location: withLandingToken(target, landing) };
}

// --- machine opens ---------------------------------------------------------------------------

type MachineAgent = { pattern: RegExp; why: string };

/**
 * User agents that fetch images or follow links without a person behind them. A hit from
 * one of these says nothing about the lead's interest. One list, so additions are reviewed
 * in one place; each entry says why it is here.
 */
export const MACHINE_AGENTS: readonly MachineAgent[] = [
  // Gmail fetches images through its proxy and caches them: the fetch may be a prefetch,
  // and later opens by the person are never seen, so the hit cannot be attributed.
  { pattern: /GoogleImageProxy/i, why: 'Gmail image proxy' },
  // Yahoo and AOL mail rewrite images through their proxy the same way.
  { pattern: /YahooMailProxy/i, why: 'Yahoo Mail image proxy' },
  // Gateway scanners: fetch every link and image in inbound mail before delivery.
  { pattern: /Barracuda/i, why: 'Barracuda email security scanner' },
  { pattern: /Mimecast/i, why: 'Mimecast email security scanner' },
  { pattern: /Proofpoint|URLDefense/i, why: 'Proofpoint URL Defense scanner' },
  // Microsoft Defender for Office 365 Safe Links detonates links; historically as BingPreview.
  { pattern: /SafeLinks|Microsoft Defender|Defender for Office|BingPreview/i, why: 'Microsoft Defender Safe Links scanner' },
  // Office apps probe a link (WebDAV OPTIONS/HEAD) before opening it in a browser.
  { pattern: /Microsoft Office Protocol Discovery/i, why: 'Microsoft Office link probe' },
  { pattern: /Symantec|MessageLabs/i, why: 'Symantec / Broadcom email security scanner' },
  { pattern: /Trend ?Micro/i, why: 'Trend Micro email security scanner' },
  { pattern: /FireEye|Trellix/i, why: 'Trellix (FireEye) email security scanner' },
  { pattern: /Cisco.?(Secure|IronPort)|IronPort/i, why: 'Cisco Secure Email scanner' },
  { pattern: /Sophos/i, why: 'Sophos email security scanner' },
  { pattern: /Forcepoint/i, why: 'Forcepoint email security scanner' },
  { pattern: /Zscaler/i, why: 'Zscaler proxy scanner' },
  { pattern: /Avanan|Check ?Point/i, why: 'Check Point (Avanan) email security scanner' },
  // Link unfurlers in chat tools: a forwarded link previewed in Slack or Teams is not a visit.
  { pattern: /Slackbot|SkypeUriPreview|Discordbot|TelegramBot|WhatsApp|facebookexternalhit|LinkedInBot|Twitterbot/i, why: 'link preview bot' },
  // Headless browsers and HTTP libraries: people read mail in mail clients.
  { pattern: /HeadlessChrome|PhantomJS|python-requests|python-urllib|aiohttp|curl\/|Wget|Go-http-client|okhttp|Java\/|libwww-perl|axios|node-fetch|undici/i, why: 'automated HTTP client' },
  // The generic tail: anything that calls itself a bot, crawler, spider or scanner.
  { pattern: /\b(bot|crawler|spider|scanner)\b/i, why: 'self-declared bot' },
];

/**
 * Apple Mail Privacy Protection loads every image of every message through Apple's relays,
 * whether or not the person reads it, with an ordinary browser user agent. Apple owns
 * 17.0.0.0/8, so an open from there is a prefetch. The IP is only looked at here, never stored.
 */
function isApplePrivacyRelay(ip: string): boolean {
  const v4 = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  return /^17\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

export const MACHINE_OPEN_WINDOW_S = 10;

/**
 * Whether an open (or a click: scanners click too) was made by a machine. Works for both
 * email_open and email_click; the result becomes the event's `machine` flag.
 */
export function isMachineOpen(input: {
  userAgent: string | undefined;
  /** ms; unknown when the token was signed without it. */
  sentAt: number | undefined;
  /** ms */
  openedAt: number;
  ip?: string | undefined;
  windowSeconds?: number;
}): { machine: boolean; why?: string } {
  const ua = (input.userAgent ?? '').trim();
  if (ua === '') return { machine: true, why: 'no user agent' };
  for (const agent of MACHINE_AGENTS) {
    if (agent.pattern.test(ua)) return { machine: true, why: agent.why };
  }
  if (input.ip !== undefined && isApplePrivacyRelay(input.ip)) return { machine: true, why: 'Apple Mail Privacy Protection' };
  if (input.sentAt !== undefined) {
    const windowMs = (input.windowSeconds ?? MACHINE_OPEN_WINDOW_S) * 1000;
    // Gateways scan on delivery, before any person could have read the message. An open
    // "before" sending is clock skew between senders and us; treat it as just as early.
    const delta = input.openedAt - input.sentAt;
    if (delta < windowMs) return { machine: true, why: `opened ${Math.max(0, Math.round(delta / 1000))}s after sending` };
  }
  return { machine: false };
}

// --- internals -------------------------------------------------------------------------------

function sign(secret: Secrets, purpose: Purpose, wire: Record<string, unknown>): string {
  const body = Buffer.from(JSON.stringify(wire), 'utf8').toString('base64url');
  return `${body}.${mac(firstSecret(secret), purpose, body).toString('base64url')}`;
}

function open(secret: Secrets, purpose: Purpose, token: string): VerifyResult<Record<string, unknown>> {
  if (typeof token !== 'string' || token.length > 4096) return { ok: false, error: 'malformed' };
  const dot = token.indexOf('.');
  if (dot <= 0 || dot !== token.lastIndexOf('.')) return { ok: false, error: 'malformed' };
  const body = token.slice(0, dot);
  const sigText = token.slice(dot + 1);
  if (!BASE64URL.test(body) || !BASE64URL.test(sigText)) return { ok: false, error: 'malformed' };
  const given = Buffer.from(sigText, 'base64url');
  // Re-encoding must give the same text: otherwise trailing bits could vary and many
  // strings would carry one valid signature.
  if (given.toString('base64url') !== sigText) return { ok: false, error: 'malformed' };
  const secrets = typeof secret === 'string' ? [secret] : secret;
  let valid = false;
  for (const s of secrets) {
    checkSecret(s);
    const expected = mac(s, purpose, body);
    // Lengths are public (always 32 bytes); the comparison itself must not leak a prefix.
    if (given.length === expected.length && timingSafeEqual(given, expected)) valid = true;
  }
  if (!valid) return { ok: false, error: 'bad_signature' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, error: 'bad_payload' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, error: 'bad_payload' };
  return { ok: true, payload: parsed as Record<string, unknown> };
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

function mac(secret: string, purpose: Purpose, body: string): Buffer {
  return createHmac('sha256', secret).update(`lg1.${purpose}.${body}`).digest();
}

function firstSecret(secret: Secrets): string {
  const s = typeof secret === 'string' ? secret : secret[0];
  if (s === undefined) throw new RangeError('expected at least one secret');
  checkSecret(s);
  return s;
}

function checkSecret(s: string): void {
  // An empty or short secret is a configuration error, not something to sign with.
  if (s.length < MIN_SECRET_LENGTH) throw new RangeError(`expected a secret of at least ${MIN_SECRET_LENGTH} characters`);
}

function isKey(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= KEY_MAX;
}

function checkKey(name: string, v: string): void {
  if (!isKey(v)) throw new RangeError(`${name}: expected 1 to ${KEY_MAX} characters`);
}

function isHttpUrl(s: string): boolean {
  if (s.length > URL_MAX) return false;
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}
