import type { FastifyBaseLogger } from 'fastify';
import type { StageChange, WebhookBody } from '../shared/contracts/api.ts';
import type { StageBus } from './bus.ts';
import type { Counter } from './metrics.ts';
import { deliverWebhook, slackText, type FetchLike } from './webhooks.ts';

// Stage changes to one outgoing webhook. Subscribed to the stage bus, which publishes after
// commit; delivery runs on its own small queue, so a slow or failing receiver never holds
// an ingest request or a transaction. Retries with backoff come from deliverWebhook.

export type WebhookOptions = {
  url: string;
  /** Signs every body (header Leadglow-Signature); at least 16 characters. */
  secret: string;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  timeoutMs?: number;
  /** Deliveries in flight at once; the rest wait in order. */
  concurrency?: number;
  /** Most changes waiting; beyond it the oldest are dropped (and logged), so memory stays bounded. */
  maxQueue?: number;
};


export type WebhookDispatcher = {
  /** Changes waiting or being delivered. */
  readonly pending: number;
  /** Stops taking changes; deliveries in flight give up their retries; waits for them. */
  close(): Promise<void>;
};

/** Reads LEADGLOW_WEBHOOK_URL and LEADGLOW_WEBHOOK_SECRET; undefined when no URL is set. */
export function webhookFromEnv(env: NodeJS.ProcessEnv = process.env): WebhookOptions | undefined {
  const url = env.LEADGLOW_WEBHOOK_URL?.trim();
  if (!url) return undefined;
  return { url, secret: env.LEADGLOW_WEBHOOK_SECRET ?? '' };
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

export function startWebhooks(
  opts: WebhookOptions,
  deps: { bus: StageBus; log: FastifyBaseLogger; counter: Counter; fetch?: FetchLike },
): WebhookDispatcher {
  checkWebhookOptions(opts);
  const queue: StageChange[] = [];
  const inFlight = new Set<Promise<void>>();
  const concurrency = Math.max(1, opts.concurrency ?? 4);
  const maxQueue = Math.max(1, opts.maxQueue ?? 10_000);
  let closed = false;
  let wake: (() => void) | undefined;
  const closing = new Promise<void>((r) => (wake = r));
  const baseFetch = deps.fetch ?? (globalThis.fetch as unknown as FetchLike);

  // After close, further attempts fail at once and waits end at once, so close() is quick.
  // A delivery in flight is aborted too: a receiver that hangs must not hold the shutdown.
  const stop = new AbortController();
  const fetch: FetchLike = (url, init) =>
    closed ? Promise.reject(new Error('server shutting down')) : baseFetch(url, { ...init, signal: init.signal ? AbortSignal.any([init.signal, stop.signal]) : stop.signal });
  const sleep = (ms: number) => Promise.race([new Promise<void>((r) => setTimeout(r, ms).unref()), closing]);

  const pump = () => {
    while (!closed && inFlight.size < concurrency && queue.length > 0) {
      const change = queue.shift()!;
      const p = deliver(change).finally(() => {
        inFlight.delete(p);
        pump();
      });
      inFlight.add(p);
    }
  };

  const deliver = async (change: StageChange) => {
    const body: WebhookBody = { type: 'lead.stage_changed', text: slackText(change).text, change };
    const r = await deliverWebhook({
      url: opts.url,
      secret: opts.secret,
      body: JSON.stringify(body),
      fetch,
      sleep,
      ...(opts.maxAttempts !== undefined ? { maxAttempts: opts.maxAttempts } : {}),
      ...(opts.baseDelayMs !== undefined ? { baseDelayMs: opts.baseDelayMs } : {}),
      ...(opts.maxDelayMs !== undefined ? { maxDelayMs: opts.maxDelayMs } : {}),
      ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
    });
    deps.counter.inc({ result: r.ok ? 'delivered' : 'failed' });
    // The lead id only: the log is not a place for names and addresses.
    if (!r.ok) deps.log.warn({ leadId: change.leadId, to: change.to, attempts: r.attempts, error: r.error }, 'webhook not delivered');
  };

  const unsubscribe = deps.bus.subscribe((change) => {
    if (closed) return;
    queue.push(change);
    if (queue.length > maxQueue) {
      const dropped = queue.splice(0, queue.length - maxQueue);
      deps.counter.inc({ result: 'dropped' }, dropped.length);
      deps.log.warn({ dropped: dropped.length }, 'webhook queue full: oldest stage changes dropped');
    }
    pump();
  });

  return {
    get pending() {
      return queue.length + inFlight.size;
    },
    async close() {
      if (closed) return;
      closed = true;
      unsubscribe();
      wake?.();
      stop.abort();
      if (queue.length) {
        deps.counter.inc({ result: 'dropped' }, queue.length);
        deps.log.warn({ dropped: queue.length }, 'shutting down: queued webhooks not delivered');
        queue.length = 0;
      }
      await Promise.allSettled([...inFlight]);
    },
  };
}
