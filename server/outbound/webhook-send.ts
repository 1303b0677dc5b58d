import { createHmac, timingSafeEqual } from 'node:crypto';
import { english, wordStageReason } from '../../shared/scoring/wording.ts';
import type { StageChange } from '../../shared/contracts/api.ts';
import type { Stage } from '../../shared/contracts/lead.ts';
import { allowPrivateFromEnv, checkOutboundTarget, pinnedFetch } from './pinned-fetch.ts';

// Outgoing webhooks: signed like Stripe's, so receivers can reuse what they know, and
// retried with backoff, so a receiver's deploy does not lose a sales-ready notification.

export const SIGNATURE_HEADER = 'Leadglow-Signature';

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. The timestamp is signed with the
 * body so a captured request cannot be replayed later with a fresh header.
 */
export function signBody(secret: string, body: string, timestampSec: number): string {
  if (!Number.isSafeInteger(timestampSec)) throw new RangeError('timestamp: expected integer unix seconds');
  return `t=${timestampSec},v1=${hmacHex(secret, timestampSec, body)}`;
}

/**
 * The receiver's side, for tests and for anyone writing a consumer in Node. Accepts any of
 * several `v1` values (a sender mid-rotation may send one per secret).
 */
export function verifySignature(
  secret: string,
  body: string,
  header: string,
  opts: { nowSec: number; toleranceSec?: number },
): { ok: true } | { ok: false; error: 'malformed' | 'stale' | 'mismatch' } {
  let t: number | undefined;
  const sigs: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const k = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (k === 't' && /^\d{1,12}$/.test(v)) t = Number(v);
    else if (k === 'v1' && /^[0-9a-f]{64}$/.test(v)) sigs.push(v);
  }
  if (t === undefined || sigs.length === 0) return { ok: false, error: 'malformed' };
  if (Math.abs(opts.nowSec - t) > (opts.toleranceSec ?? 300)) return { ok: false, error: 'stale' };
  const expected = Buffer.from(hmacHex(secret, t, body), 'hex');
  const match = sigs.some((s) => timingSafeEqual(Buffer.from(s, 'hex'), expected));
  return match ? { ok: true } : { ok: false, error: 'mismatch' };
}

function hmacHex(secret: string, t: number, body: string): string {
  return createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
}

// --- Slack ---------------------------------------------------------------------------------

const STAGE_LABELS: Record<Stage, string> = {
  anonymous: 'Anonymous',
  known: 'Known',
  engaged: 'Engaged',
  mql: 'MQL',
  sales_ready: 'Sales-ready',
  customer: 'Customer',
  disqualified: 'Disqualified',
};

const STAGE_ICONS: Partial<Record<Stage, string>> = {
  sales_ready: ':fire:',
  mql: ':star:',
  customer: ':tada:',
  disqualified: ':no_entry_sign:',
};

/**
 * Slack's `{ text }` message (also understood by Mattermost, Rocket.Chat and Discord's
 * Slack-compatible endpoint). Names and reasons come from web forms, so they are escaped:
 * otherwise `<!channel>` in a name would ping a whole channel.
 */
export function slackText(change: StageChange, opts: { leadUrl?: string } = {}): { text: string } {
  const who = change.name ? `${slackEscape(change.name)}${change.email ? ` (${slackEscape(change.email)})` : ''}` : slackEscape(change.email ?? change.leadId);
  const icon = STAGE_ICONS[change.to];
  const subject = opts.leadUrl ? `<${slackEscapeUrl(opts.leadUrl)}|${who}>` : who;
  const head = `${icon ? `${icon} ` : ''}*${subject}* is now *${STAGE_LABELS[change.to]}* (was ${STAGE_LABELS[change.from]})`;
  const when = new Date(change.at).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return { text: `${head}\n${slackEscape(wordStageReason(change.reason, english))} · model ${slackEscape(change.modelId)} · ${when}` };
}

/** Slack mrkdwn needs exactly these three escaped; everything else is literal. */
export function slackEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function slackEscapeUrl(url: string): string {
  // `|` and `>` end the link's URL part in Slack's syntax.
  return slackEscape(url).replace(/\|/g, '%7C');
}

// --- delivery ------------------------------------------------------------------------------

export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: string; signal?: AbortSignal; redirect?: 'manual' }) => Promise<{
  status: number;
  headers: { get(name: string): string | null };
  arrayBuffer(): Promise<ArrayBuffer>;
}>;

export type DeliveryOptions = {
  url: string;
  secret: string;
  /** The JSON text to send; signed byte for byte. */
  body: string;
  fetch?: FetchLike;
  maxAttempts?: number;
  /** First retry waits about this long; each further retry doubles it. */
  baseDelayMs?: number;
  /** No single wait is longer, including a receiver's Retry-After. */
  maxDelayMs?: number;
  /** Per attempt; a hung receiver must not hold a delivery forever. */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** In [0, 1); injected so tests can fix the jitter. */
  random?: () => number;
  /** ms since the epoch, for the signature's timestamp. */
  now?: () => number;
  headers?: Record<string, string>;
  /** Send to loopback and private addresses too; default LEADGLOW_WEBHOOK_ALLOW_PRIVATE (server/outbound/pinned-fetch.ts). */
  allowPrivate?: boolean;
  /** Resolves a host name to addresses, once per attempt: for the target check, and for the connection only when nothing was pinned; injected by tests. */
  resolve?: (host: string) => Promise<string[]>;
  /** Number of the first attempt (header Leadglow-Attempt), when earlier ones were made elsewhere. */
  firstAttempt?: number;
};

export type DeliveryAttempt = { status?: number; error?: string; delayMs?: number };

export type DeliveryResult = {
  ok: boolean;
  attempts: number;
  /** The last response's status; absent when the last attempt got no response. */
  status?: number;
  error?: string;
  log: DeliveryAttempt[];
};

/**
 * POSTs `body` to `url`, retrying network errors, timeouts, 429 and 5xx with exponential
 * backoff and jitter; any other 4xx is the receiver saying no, and retrying will not change
 * its mind. Never throws.
 */
export async function deliverWebhook(opts: DeliveryOptions): Promise<DeliveryResult> {
  const maxAttempts = Math.max(1, opts.maxAttempts ?? 5);
  const base = opts.baseDelayMs ?? 1000;
  const maxDelay = opts.maxDelayMs ?? 60_000;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = opts.random ?? Math.random;
  const now = opts.now ?? Date.now;
  const allowPrivate = opts.allowPrivate ?? allowPrivateFromEnv();
  const log: DeliveryAttempt[] = [];

  for (let attempt = 1; ; attempt++) {
    const entry: DeliveryAttempt = {};
    log.push(entry);
    let retryAfterMs: number | undefined;
    // Checked per attempt: the name may resolve elsewhere by the time of a retry.
    const target = await checkOutboundTarget(opts.url, { allowPrivate, ...(opts.resolve ? { resolve: opts.resolve } : {}) });
    if (!target.ok) {
      entry.error = target.error;
      return { ok: false, attempts: attempt, error: target.error, log };
    }
    // Connect to the addresses just checked: resolving again could answer 127.0.0.1 (DNS rebinding).
    const doFetch = opts.fetch ?? pinnedFetch(target.addresses, opts.resolve);
    try {
      // Signed per attempt: a retry an hour later must carry a current timestamp.
      const signature = signBody(opts.secret, opts.body, Math.floor(now() / 1000));
      const res = await doFetch(opts.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Leadglow-Webhook/1',
          ...lowerKeys(opts.headers),
          [SIGNATURE_HEADER.toLowerCase()]: signature,
          'leadglow-attempt': String(attempt + (opts.firstAttempt ?? 1) - 1),
        },
        body: opts.body,
        signal: AbortSignal.timeout(timeoutMs),
        // A redirect is not followed: it could lead the signed request anywhere, loopback included.
        redirect: 'manual',
      });
      entry.status = res.status;
      retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), now());
      // Drain the body so the connection goes back to the pool; the content does not matter.
      await res.arrayBuffer().catch(() => undefined);
      if (res.status >= 200 && res.status < 300) return { ok: true, attempts: attempt, status: res.status, log };
      if (res.status >= 300 && res.status < 400) return { ok: false, attempts: attempt, status: res.status, error: `HTTP ${res.status}: redirects are not followed; configure the final URL`, log };
      if (!isRetryable(res.status)) return { ok: false, attempts: attempt, status: res.status, error: `HTTP ${res.status}`, log };
    } catch (err) {
      entry.error = describe(err);
    }
    if (attempt >= maxAttempts) {
      const result: DeliveryResult = { ok: false, attempts: attempt, log, error: entry.error ?? `HTTP ${entry.status}` };
      if (entry.status !== undefined) result.status = entry.status;
      return result;
    }
    const delay = Math.min(maxDelay, Math.max(backoffMs(attempt, base, random), retryAfterMs ?? 0));
    entry.delayMs = delay;
    await sleep(delay);
  }
}

/**
 * "Equal jitter": half the exponential delay is fixed, half random. Fully random delays can
 * retry almost at once; no jitter at all makes every failed webhook retry in lockstep.
 */
export function backoffMs(attempt: number, baseDelayMs: number, random: () => number = Math.random): number {
  const exp = baseDelayMs * 2 ** (attempt - 1);
  return Math.round(exp / 2 + (exp / 2) * random());
}

// Lower-cased so a caller's `leadglow-signature` cannot sit beside ours and be joined into one header.
function lowerKeys(h: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h ?? {})) out[k.toLowerCase()] = v;
  return out;
}

function isRetryable(status: number): boolean {
  return status === 429 || status >= 500;
}

/** Seconds or an HTTP date; anything else is ignored. */
function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError') return 'timeout';
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? err.message;
  }
  return String(err);
}
