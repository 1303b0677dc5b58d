import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import { LIMITS } from '../../shared/contracts/event.ts';
import { StageBus } from '../cluster/stage-bus.ts';
import type { ServerContext } from './context.ts';
import { openDatabase, type OpenDatabase } from '../db/open.ts';
import { ADMIN, authorize, bearer } from './auth.ts';
import { fail, RequestError } from './fail.ts';
import { registerValidation } from './validate.ts';
import { createIngest } from '../ingest/ingest.ts';
import { createKey as insertKey, createKeyCache, type CreateKeyInput } from '../auth/api-keys.ts';
import { METRICS_CONTENT_TYPE } from '../metrics/exposition.ts';
import { createRegistry } from '../metrics/registry.ts';
import { ALWAYS_LEADER, electLeader, type Leader } from '../cluster/leader.ts';
import { runRetention } from '../privacy/retention.ts';
import { createSharedRateLimiter } from './shared-rate-limit.ts';
import { ensurePartitions, monthsAround } from '../db/partitions.ts';
import { checkLiveModels, ensureDefaultModel, loadLiveState, MODELS_CHANNEL, modelsForStamp, type LiveState } from '../scoring/live-models.ts';
import { OUTBOX_CHANNEL } from '../db/outbox.ts';
import { OutboxFeed } from '../cluster/outbox-feed.ts';
import { startRescorer } from '../scoring/rescore.ts';
import { createRateLimiter, rateLimitFromEnv, type RateLimitOptions } from './rate-limit.ts';
import { createStreamCap } from './stream-cap.ts';
import { isSealed, seal, secretKeyFrom, unseal } from '../auth/secret-box.ts';
import { adminRoutes } from './routes/admin.ts';
import { emailRoutes } from './routes/email.ts';
import { eventRoutes } from './routes/events.ts';
import { closeStreams, leadRoutes } from './routes/leads.ts';
import { startPredictive } from '../predictive/service.ts';
import { predictiveRoutes } from './routes/predictive.ts';
import { marketingRoutes } from './routes/marketing.ts';
import { tagRoutes } from './routes/tags.ts';
import { inspectRoutes, type InspectRouteOptions } from './routes/inspect.ts';
import { checkWebhookOptions, startWebhooks, webhookFromEnv, type WebhookDispatcher, type WebhookOptions } from '../outbound/webhook-dispatch.ts';
import { Writer } from '../db/writer.ts';

export type ServerOptions = {
  port?: number;
  host?: string;
  /** SQLite data folder (default ./data, created on first start). Ignored with databaseUrl. */
  dataDir?: string;
  /** postgres://... : use PostgreSQL instead of the embedded database. */
  databaseUrl?: string;
  /** Structured request logs (pino) to stdout. */
  log?: boolean;
  /** Rate limits for POST /v1/events; false turns them off (benchmarks). Default: LEADGLOW_RATE_LIMIT, else DEFAULT_RATE_LIMITS. */
  rateLimit?: false | { perKey?: RateLimitOptions; perAddress?: RateLimitOptions };
  /** Request header holding a 2-letter country set by a trusted proxy (e.g. cf-ipcountry). */
  countryHeader?: string;
  /** Origins allowed to call the read API from web pages. */
  apiOrigins?: string[];
  /** Delete events older than this many days (checked at start and every 6 hours). */
  retentionDays?: number;
  /** Secret for email-link tokens; default: generated once and kept in the database. */
  linkSecret?: string;
  /** The SDK bundle served at /leadglow.js. */
  sdkFile?: string;
  /**
   * POST every stage change, signed, to this URL (Slack-compatible `text`). Default: from
   * LEADGLOW_WEBHOOK_URL and LEADGLOW_WEBHOOK_SECRET; false: none.
   */
  webhook?: false | WebhookOptions;
  /** Public origin for email-link URLs (pixel, click), e.g. https://lg.example.com; default: the request's host. */
  publicUrl?: string;
  /** Open event streams per token; default LEADGLOW_STREAMS_PER_TOKEN or 20. */
  streamsPerToken?: number;
  /** Time for a client to send a whole request, body included; default 60 s (slow-body senders are cut off). */
  requestTimeoutMs?: number;
  /** Time for a client to send the request headers; default 15 s. */
  headersTimeoutMs?: number;
  /** Bearer token for GET /metrics besides admin keys; default LEADGLOW_METRICS_TOKEN. */
  metricsToken?: string;
  /** The dashboard's page check (POST /v1/inspect): outbound rules, timeout and size cap; tests set them. */
  inspect?: InspectRouteOptions;
};

export type RunningServer = {
  url: string;
  close(): Promise<void>;
  /** Creates a key and returns its secret (shown once; stored hashed). */
  createKey(input: { role: 'site' | 'rep' | 'admin'; site?: string; origins?: string[]; name?: string; emails?: string[] }): Promise<string>;
  db: OpenDatabase;
  app: FastifyInstance;
};

export const DEFAULT_RATE_LIMITS = {
  perKey: { capacity: 2_000, refillPerSecond: 1_000 },
  perAddress: { capacity: 300, refillPerSecond: 100 },
} satisfies Record<string, RateLimitOptions>;

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const webhook = options.webhook === false ? undefined : (options.webhook ?? webhookFromEnv());
  // A misconfigured webhook fails the start, not silently every delivery.
  if (webhook) checkWebhookOptions(webhook);
  const db = await openDatabase({ dataDir: options.dataDir ?? process.env.LEADGLOW_DATA ?? './data', ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}) });
  try {
    return await start(db, { ...options, webhook: webhook ?? false });
  } catch (error) {
    await db.close();
    throw error;
  }
}

async function start(db: OpenDatabase, options: ServerOptions & { webhook: false | WebhookOptions }): Promise<RunningServer> {
  const webhook = options.webhook || undefined;
  await ensureDefaultModel(db.write);
  // Replaced whole (never mutated) when another instance's publish is seen: see models.ts.
  let state: LiveState = await loadLiveState(db.write);
  const linkSecret = options.linkSecret ?? (await storedSecret(db, secretKeyFrom(process.env, options.dataDir ?? process.env.LEADGLOW_DATA ?? './data').key));

  const requestTimeout = options.requestTimeoutMs ?? 60_000;
  const app = Fastify({
    logger: options.log
      ? {
          level: process.env.LOG_LEVEL ?? 'info',
          // No addresses and no query strings (?email=) in logs.
          serializers: { req: (req: { method: string; url: string }) => ({ method: req.method, path: req.url.split('?')[0] }) },
        }
      : false,
    bodyLimit: LIMITS.batchBytes,
    // Email-link tokens travel as one path segment (/e/c/<token>); the router's default of 100 is too short.
    routerOptions: { maxParamLength: 4200 },
    // Addresses are used for rate limiting in memory only; never logged or stored.
    trustProxy: process.env.LEADGLOW_TRUST_PROXY === '1',
    // A body sent one byte every few seconds held a connection forever (issue 18). This bounds
    // receiving a request; answers (the event stream) are not bounded by it.
    requestTimeout,
    // Node's bound on receiving the headers (slowloris), at most requestTimeout; Node checks
    // both every connectionsCheckingInterval (30 s by default, too coarse for short bounds).
    http: { headersTimeout: Math.min(options.headersTimeoutMs ?? 15_000, requestTimeout), connectionsCheckingInterval: Math.min(5_000, Math.ceil(requestTimeout / 4)) },
  });

  const instanceId = randomBytes(6).toString('hex');
  const registry = createRegistry();
  const bus = new StageBus();
  const metrics = {
    registry,
    accepted: registry.counter({ name: 'leadglow_events_accepted_total', help: 'Events stored.' }),
    rejected: registry.counter({ name: 'leadglow_events_rejected_total', help: 'Events refused by validation.' }),
    duplicates: registry.counter({ name: 'leadglow_events_deduplicated_total', help: 'Events already stored (same id).' }),
    requests: registry.counter({ name: 'leadglow_ingest_requests_total', help: 'Ingest requests.', labelNames: ['route'] }),
    depth: registry.gauge({ name: 'leadglow_write_queue_depth', help: 'Write jobs waiting for a commit.', collect: (g) => g.set(writer.depth) }),
    commit: registry.histogram({
      name: 'leadglow_write_commit_seconds',
      help: 'Time to run and commit one group transaction.',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    }),
  };
  const ingest = createIngest({
    models: () => state.live,
    checkModels: async (trx, stamp) => {
      state = await modelsForStamp(trx, state, stamp);
    },
    now: () => Date.now(),
  });
  let webhooks: WebhookDispatcher | undefined;
  const feed = new OutboxFeed(db.read, bus, (err) => app.log.error({ err }, 'reading the outbox failed'));
  await feed.start();
  const writer = new Writer(db.write, ingest, {
    separateJobs: db.backend === 'postgres',
    // The model version check: another instance may have published since our last write. An
    // ingest group on PostgreSQL checks in its first statement instead (ingest/store-events.ts).
    begin: async (trx, ingestOnly) => {
      if (ingestOnly && db.backend === 'postgres') return;
      state = await checkLiveModels(trx, state);
    },
    onOutbox: () => {
      feed.wake();
      webhooks?.wake();
    },
    onCommit: (ms) => metrics.commit.observe(ms / 1000),
    onError: (error) => app.log.error({ err: error }, 'write transaction failed'),
  });
  const rateLimit = options.rateLimit ?? rateLimitFromEnv();
  const rl = rateLimit === false ? undefined : { ...DEFAULT_RATE_LIMITS, ...rateLimit };
  const leader: Leader = db.backend === 'postgres' && options.databaseUrl ? electLeader(options.databaseUrl, { onError: (err) => app.log.warn({ err }, 'leader election') }) : ALWAYS_LEADER;
  // On PostgreSQL other instances may be taking from the same buckets: the buckets live there.
  const limiter = (scope: 'key' | 'address', o: RateLimitOptions) =>
    db.backend === 'postgres' ? createSharedRateLimiter(db.write, scope, o, { secret: linkSecret, onError: (err) => app.log.warn({ err }, 'shared rate limit unavailable; letting the request through') }) : createRateLimiter(o);
  const rescorer = startRescorer({ db: db.write, writer, models: () => state.live.models, now: () => Date.now(), instanceId, log: app.log });
  const ctx: ServerContext = {
    db,
    writer,
    keys: createKeyCache(db.read),
    bus,
    live: () => state.live,
    reloadModels: async () => {
      state = await loadLiveState(db.write);
    },
    isLeader: () => leader.isLeader(),
    instanceId,
    rescorer,
    linkSecret,
    limits: {
      perKey: rl ? limiter('key', rl.perKey) : undefined,
      perAddress: rl ? limiter('address', rl.perAddress) : undefined,
    },
    streams: createStreamCap(options.streamsPerToken),
    countryHeader: options.countryHeader?.toLowerCase(),
    apiOrigins: (options.apiOrigins ?? []).map((o) => o.toLowerCase()),
    sdkFile: options.sdkFile ?? resolve('dist/sdk/leadglow.js'),
    publicUrl: options.publicUrl?.replace(/\/+$/, ''),
    log: app.log,
    metrics,
    now: () => Date.now(),
  };

  // Before the routes: their groups inherit the parser, the error answers, CORS and validation.
  registerBodyParser(app);
  registerErrors(app);
  registerApiCors(app, ctx);
  registerValidation(app);
  eventRoutes(app, ctx);
  leadRoutes(app, ctx);
  adminRoutes(app, ctx);
  emailRoutes(app, ctx);
  marketingRoutes(app, ctx);
  tagRoutes(app, ctx);
  inspectRoutes(app, ctx, options.inspect);
  miscRoutes(app, ctx, options.metricsToken ?? process.env.LEADGLOW_METRICS_TOKEN);
  const predictive = startPredictive(ctx);
  predictiveRoutes(app, ctx, predictive);

  webhooks = webhook
    ? startWebhooks(webhook, {
        db: db.write,
        instanceId,
        log: app.log,
        counter: registry.counter({ name: 'leadglow_webhooks_total', help: 'Stage-change webhooks by result.', labelNames: ['result'] }),
      })
    : undefined;

  // Other instances' commits: NOTIFY wakes the outbox readers and reloads published models.
  const stopListening = db.listen?.(
    [OUTBOX_CHANNEL, MODELS_CHANNEL],
    (channel) => {
      if (channel !== MODELS_CHANNEL) {
        feed.wake();
        webhooks?.wake();
      }
      if (channel !== OUTBOX_CHANNEL) void ctx.reloadModels().catch((err: unknown) => app.log.error({ err }, 'reloading models failed'));
    },
    (err) => app.log.warn({ err }, 'notification connection lost; reconnecting'),
  );

  await leader.ready;
  let retentionTimer: NodeJS.Timeout | undefined;
  // On the leader only: one instance creates months and deletes, the others would only wait
  // for its locks. One run at a time (a slow run outlasting the timer is skipped, not doubled).
  let maintaining = false;
  const maintain = async () => {
    if (!leader.isLeader() || maintaining) return;
    maintaining = true;
    try {
      // PostgreSQL: this month and the next three exist before their events arrive (db/partitions.ts).
      if (db.backend === 'postgres') await ensurePartitions(db.write, monthsAround(Date.now(), 0, 3));
      const days = options.retentionDays;
      if (days && days > 0) {
        const r = await runRetention({ db: db.write, writer, days, models: () => state.live.models });
        if (r.events > 0) app.log.info(r, 'retention applied');
      }
    } catch (err) {
      app.log.error({ err }, 'retention or partition upkeep failed');
    } finally {
      maintaining = false;
    }
  };
  if (db.backend === 'postgres' || (options.retentionDays && options.retentionDays > 0)) {
    void maintain();
    retentionTimer = setInterval(() => void maintain(), 6 * 3600_000);
    // A new leader (the old one stopped) need not wait six hours.
    if (db.backend === 'postgres') setTimeout(() => void maintain(), 15_000).unref();
    retentionTimer.unref();
  }

  await app.listen({ port: options.port ?? 8787, host: options.host ?? '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host && options.host !== '0.0.0.0' && options.host !== '::' ? options.host : '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    db,
    app,
    createKey: (input: CreateKeyInput) => insertKey(db.write, input),
    close() {
      closing ??= (async () => {
        if (retentionTimer) clearInterval(retentionTimer);
        await stopListening?.();
        await leader.close();
        // Before the writer closes: a run finishing now still records itself.
        await predictive.close();
        closeStreams(ctx);
        await rescorer.close();
        // Stop accepting; requests in flight finish (their writes are queued), then the
        // queue is flushed and the database closed.
        const closed = app.close();
        await closed;
        await writer.close();
        // After the writer: its last commits may still publish stage changes.
        await webhooks?.close();
        await feed.close();
        await db.close();
      })();
      return closing;
    },
  };
}

/** The email-link secret, kept in the database sealed (secret-box.ts); a clear one from before is sealed now. */
async function storedSecret(db: OpenDatabase, key: Buffer): Promise<string> {
  const LABEL = 'link_secret';
  const row = await db.write.selectFrom('settings').select('value').where('key', '=', LABEL).executeTakeFirst();
  if (row && isSealed(row.value)) return unseal(key, row.value, LABEL);
  if (row) {
    await db.write.updateTable('settings').set({ value: seal(key, row.value, LABEL) }).where('key', '=', LABEL).where('value', '=', row.value).execute();
    return row.value;
  }
  const secret = process.env.LEADGLOW_SECRET ?? randomBytes(32).toString('base64url');
  await db.write.insertInto('settings').values({ key: LABEL, value: seal(key, secret, LABEL) }).onConflict((oc) => oc.column('key').doNothing()).execute();
  // Another server may have stored its secret first: use that one.
  const stored = (await db.write.selectFrom('settings').select('value').where('key', '=', LABEL).executeTakeFirstOrThrow()).value;
  return isSealed(stored) ? unseal(key, stored, LABEL) : stored;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** JSON in `application/json` or `text/plain` (the SDK's, which needs no preflight). */
function registerBodyParser(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(['application/json', 'text/plain'], { parseAs: 'buffer' }, (_req, body: Buffer, done) => {
    let text: string;
    try {
      text = UTF8.decode(body);
    } catch {
      done(new RequestError(400, 'body is not valid UTF-8'), undefined);
      return;
    }
    if (text.trim() === '') {
      done(new RequestError(400, 'empty body: expected JSON'), undefined);
      return;
    }
    try {
      // JSON.parse makes `__proto__` an ordinary own key, which the strict schemas then refuse.
      done(null, JSON.parse(text));
    } catch (error) {
      done(new RequestError(400, `body is not valid JSON: ${error instanceof Error ? error.message.slice(0, 200) : 'parse error'}`), undefined);
    }
  });
}

function registerErrors(app: FastifyInstance): void {
  app.setNotFoundHandler((req, reply) => fail(reply, 404, `no route ${req.method} ${req.url.split('?')[0]!.slice(0, 200)}`));
  app.setErrorHandler((error: FastifyError | RequestError, req, reply) => {
    // Refusals raised by the body parser and the routes' validation (validate.ts), in their words.
    if (error instanceof RequestError) return fail(reply, error.statusCode, error.message.slice(0, 500), error.details);
    const code = 'code' in error ? error.code : undefined;
    if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return fail(reply, 413, `body larger than ${LIMITS.batchBytes} bytes: send at most ${LIMITS.batchEvents} events and 64 KB per request`);
    }
    if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return fail(reply, 415, 'unsupported content type: send application/json or text/plain JSON');
    if (code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH') return fail(reply, 400, 'content length does not match the body');
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return fail(reply, status, error.message.slice(0, 500));
    req.log.error({ err: error }, 'request failed');
    return fail(reply, 500, 'internal error');
  });
}

/** CORS for the read and admin API, for configured origins only. */
function registerApiCors(app: FastifyInstance, ctx: ServerContext): void {
  app.addHook('onRequest', async (req, reply) => {
    const origin = req.headers.origin;
    if (typeof origin !== 'string' || req.url.startsWith('/v1/events') || !ctx.apiOrigins.includes(origin.toLowerCase())) return;
    reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
    if (req.method === 'OPTIONS') {
      reply
        .header('access-control-allow-methods', 'GET, POST, PUT, DELETE')
        .header('access-control-allow-headers', 'authorization, content-type')
        .header('access-control-max-age', '86400');
      return reply.code(204).send();
    }
  });
}

/** Whether the request's bearer token is `token`, compared in constant time. */
function bearerEquals(req: FastifyRequest, token: string): boolean {
  const given = Buffer.from(bearer(req) ?? '');
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

function miscRoutes(app: FastifyInstance, ctx: ServerContext, metricsToken: string | undefined): void {
  app.get('/healthz', async () => ({ ok: true, backend: ctx.db.backend, queue: ctx.writer.depth, instance: ctx.instanceId, leader: ctx.isLeader() }));

  // Metrics tell queue depths, key activity and webhook failures: an admin key, or a token of
  // its own for a scraper (Prometheus `authorization: { credentials: ... }`), which can do
  // nothing else. A group of one, with its own hook.
  app.register(async (scrapers) => {
    scrapers.addHook('onRequest', async (req, reply) => {
      if (metricsToken && bearerEquals(req, metricsToken)) return;
      if (!(await authorize(req, reply, ctx.keys, ADMIN))) return reply;
    });
    scrapers.get('/metrics', async (_req, reply) => reply.type(METRICS_CONTENT_TYPE).send(ctx.metrics.registry.render()));
  });

  let sdk: { mtimeMs: number; body: Buffer; etag: string } | undefined;
  app.get('/leadglow.js', async (req, reply) => {
    let info;
    try {
      info = await stat(ctx.sdkFile);
    } catch {
      return fail(reply, 503, 'the SDK bundle is not built: run `npm run build:sdk`');
    }
    if (!sdk || sdk.mtimeMs !== info.mtimeMs) {
      const body = await readFile(ctx.sdkFile);
      sdk = { mtimeMs: info.mtimeMs, body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
    }
    reply.header('etag', sdk.etag).header('cache-control', 'public, max-age=300, stale-while-revalidate=86400').header('access-control-allow-origin', '*');
    if (req.headers['if-none-match'] === sdk.etag) return reply.code(304).send();
    return reply.type('text/javascript; charset=utf-8').send(sdk.body);
  });
}
