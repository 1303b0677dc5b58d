import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import { StageChange, type WebhookBody } from '../../shared/contracts/api.ts';
import { isPostgres } from '../db/locks.ts';
import type { DB } from '../db/schema.ts';
import type { Counter } from '../metrics/counter.ts';
import { backoffMs, deliverWebhook, slackText, type DeliveryResult, type FetchLike } from './webhook-send.ts';
import { singleFlight } from '../cluster/single-flight.ts';

// Stage changes to one outgoing webhook, from the outbox (outbox.ts). Every instance with a
// webhook runs this; they share the work through the table: a delivery claims its rows with
// FOR UPDATE SKIP LOCKED and a lease, makes one attempt per claim, and writes the outcome
// (delivered, retry at next_at with backoff, or given up). An instance killed mid-delivery
// leaves its lease to run out, and another instance (or this one, restarted) delivers again:
// at least once, every copy with the row's idempotency key in the body and the header.
// Nothing of this runs on the request path or inside an ingest transaction.

export type WebhookOptions = {
  url: string;
  /** Signs every body (header Leadglow-Signature); at least 16 characters. */
  secret: string;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Per attempt; the claim's lease is this plus a margin. */
  timeoutMs?: number;
  /** Deliveries in flight at once per instance. */
  concurrency?: number;
  /** How often to look for due rows besides the wake-ups (another instance's expired lease, a retry). */
  pollMs?: number;
  /** Changes older than this are not delivered any more (a webhook configured later does not replay the past). */
  maxAgeMs?: number;
};

export type WebhookDispatcher = {
  /** Deliveries in flight on this instance. */
  readonly pending: number;
  /** Looks for due rows now (after a commit wrote some, or on NOTIFY). */
  wake(): void;
  /** Stops claiming; deliveries in flight are aborted and left to be retried; waits for them. */
  close(): Promise<void>;
};

/**
 * Checks an outbound target before each request (the hardening module's check: scheme,
 * private addresses, redirects); throws with the reason when the target may not be called.
 */
export type TargetCheck = (url: string) => Promise<void> | void;

/** Reads LEADGLOW_WEBHOOK_URL, LEADGLOW_WEBHOOK_SECRET and LEADGLOW_WEBHOOK_TIMEOUT_MS; undefined when no URL is set. */
export function webhookFromEnv(env: NodeJS.ProcessEnv = process.env): WebhookOptions | undefined {
  const url = env.LEADGLOW_WEBHOOK_URL?.trim();
  if (!url) return undefined;
  const out: WebhookOptions = { url, secret: env.LEADGLOW_WEBHOOK_SECRET ?? '' };
  const timeout = Number(env.LEADGLOW_WEBHOOK_TIMEOUT_MS);
  if (env.LEADGLOW_WEBHOOK_TIMEOUT_MS && Number.isInteger(timeout) && timeout >= 100) out.timeoutMs = timeout;
  return out;
}

export function checkWebhookOptions(o: WebhookOptions): void {
  let u: URL;
  try {
    u = new URL(o.url);
  } catch {
    throw new Error(`webhook URL is not a URL: ${o.url.slice(0, 200)}`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('webhook URL: expected http(s)');
  // Unsigned webhooks cannot be told from forged ones by the receiver.
  if (o.secret.length < 16) throw new Error('a webhook needs a secret of at least 16 characters (LEADGLOW_WEBHOOK_SECRET)');
}

type Claimed = { id: number; key: string; change: string; attempts: number; at: number };

export function startWebhooks(
  opts: WebhookOptions,
  deps: { db: Kysely<DB>; instanceId?: string; log: FastifyBaseLogger; counter: Counter; fetch?: FetchLike; now?: () => number; checkTarget?: TargetCheck },
): WebhookDispatcher {
  checkWebhookOptions(opts);
  const { db } = deps;
  const now = deps.now ?? Date.now;
  const concurrency = Math.max(1, opts.concurrency ?? 4);
  const maxAttempts = Math.max(1, opts.maxAttempts ?? 8);
  const base = opts.baseDelayMs ?? 1000;
  const maxDelay = opts.maxDelayMs ?? 15 * 60_000;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  // Long enough that a slow but live instance settles before anyone else takes the row.
  const leaseMs = timeoutMs + 5_000;
  const maxAgeMs = opts.maxAgeMs ?? 24 * 3600_000;
  const pg = isPostgres(db);
  const inFlight = new Set<Promise<void>>();
  let closed = false;
  const timers = new Set<NodeJS.Timeout>();

  // After close, a delivery in flight is aborted: a receiver that hangs must not hold the shutdown.
  const stop = new AbortController();
  const baseFetch = deps.fetch ?? (globalThis.fetch as unknown as FetchLike);
  const fetch: FetchLike = (url, init) =>
    closed ? Promise.reject(new Error('server shutting down')) : baseFetch(url, { ...init, signal: init.signal ? AbortSignal.any([init.signal, stop.signal]) : stop.signal });

  /** Takes up to `n` due rows for this instance, each for one attempt, until the lease ends. */
  const claim = async (n: number): Promise<Claimed[]> => {
    const t = now();
    let due = db
      .selectFrom('outbox')
      .select('id')
      .where('delivered_at', 'is', null)
      .where('failed_at', 'is', null)
      .where('next_at', '<=', t)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', t)]))
      .orderBy('id')
      .limit(n);
    // Two instances claiming at once take different rows instead of waiting for each other.
    if (pg) due = due.forUpdate().skipLocked();
    const rows = await db
      .updateTable('outbox')
      .set((eb) => ({ lease_until: t + leaseMs, claimed_by: deps.instanceId ?? null, attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', due)
      .returning(['id', 'key', 'change', 'attempts', 'at'])
      .execute();
    return rows.map((r) => ({ ...r, id: Number(r.id), attempts: Number(r.attempts) })).sort((a, b) => a.id - b.id);
  };

  /** The one HTTP call of a delivery: the target check, then one signed attempt. */
  const send = async (body: string, key: string, attempt: number): Promise<DeliveryResult> => {
    try {
      await deps.checkTarget?.(opts.url);
    } catch (err) {
      return { ok: false, attempts: 1, error: `target refused: ${err instanceof Error ? err.message : String(err)}`, log: [] };
    }
    return deliverWebhook({ url: opts.url, secret: opts.secret, body, fetch, maxAttempts: 1, timeoutMs, firstAttempt: attempt, headers: { 'idempotency-key': key } });
  };

  const settle = async (id: number, set: { delivered_at?: number; failed_at?: number; next_at?: number; last_error: string | null }) => {
    await db.updateTable('outbox').set({ ...set, lease_until: null }).where('id', '=', id).execute();
  };

  const deliver = async (row: Claimed) => {
    const parsed = StageChange.safeParse(JSON.parse(row.change));
    if (!parsed.success) return settle(row.id, { failed_at: now(), last_error: 'stored change does not parse' });
    if (now() - row.at > maxAgeMs) return settle(row.id, { failed_at: now(), last_error: 'too old to deliver' });
    const change = parsed.data;
    const body: WebhookBody = { type: 'lead.stage_changed', text: slackText(change).text, change, idempotencyKey: row.key };
    const r = await send(JSON.stringify(body), row.key, row.attempts);
    if (closed && !r.ok) {
      // Aborted by the shutdown, not refused by the receiver: due again at once, for any instance.
      return settle(row.id, { next_at: now(), last_error: 'interrupted by shutdown' });
    }
    if (r.ok) {
      deps.counter.inc({ result: 'delivered' });
      return settle(row.id, { delivered_at: now(), last_error: null });
    }
    const retryable = r.status === undefined || r.status === 429 || r.status >= 500;
    if (!retryable || row.attempts >= maxAttempts) {
      deps.counter.inc({ result: 'failed' });
      // The lead id only: the log is not a place for names and addresses.
      deps.log.warn({ leadId: change.leadId, to: change.to, attempts: row.attempts, error: r.error }, 'webhook not delivered');
      return settle(row.id, { failed_at: now(), last_error: (r.error ?? 'failed').slice(0, 500) });
    }
    deps.counter.inc({ result: 'retry' });
    const delay = Math.min(maxDelay, backoffMs(row.attempts, base));
    const timer = setTimeout(() => {
      timers.delete(timer);
      wake();
    }, delay + 5);
    timer.unref();
    timers.add(timer);
    return settle(row.id, { next_at: now() + delay, last_error: (r.error ?? 'failed').slice(0, 500) });
  };

  const round = async () => {
    while (!closed && inFlight.size < concurrency) {
      const rows = await claim(concurrency - inFlight.size);
      if (rows.length === 0) return;
      for (const row of rows) {
        const p: Promise<void> = deliver(row)
          .catch((err: unknown) => deps.log.error({ err }, 'webhook delivery bookkeeping failed'))
          .finally(() => {
            inFlight.delete(p);
            wake();
          });
        inFlight.add(p);
      }
    }
  };

  const flight = singleFlight(round, (err: unknown) => deps.log.error({ err }, 'webhook claim failed'), () => closed);
  const wake = flight.wake;


  const poll = setInterval(wake, opts.pollMs ?? 1_000);
  poll.unref();
  wake();

  return {
    get pending() {
      return inFlight.size;
    },
    wake,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(poll);
      timers.forEach((t) => clearTimeout(t));
      stop.abort();
      await flight.running;
      await Promise.allSettled([...inFlight]);
    },
  };
}
