import { z } from 'zod';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { BatchResult, RejectedEvent } from '../../../shared/contracts/batch.ts';
import { splitBatch } from '../../../shared/contracts/batch.ts';
import type { Event } from '../../../shared/contracts/event.ts';
import { DAY_MS } from '../../../shared/scoring/index.ts';
import { verifyLandingToken } from '../../ingest/email-links.ts';
import type { ServerContext } from '../context.ts';
import { bearer } from '../auth.ts';
import { fail } from '../fail.ts';
import { anySiteAllows, originAllowed } from '../origins.ts';
import { contract, withContracts } from '../validate.ts';
import { WriterClosedError } from '../../db/writer.ts';

// POST /v1/events. The site key travels in each event's `site` field (the SDK sends a
// `text/plain` body with no custom headers, so no preflight), or in `?key=` / the
// `X-Leadglow-Key` header. Every event must name that key or its site id. Stored events
// carry the site id, never the key.

const FUTURE_SLACK_MS = DAY_MS;

/** `?key=`: the site key, for senders that cannot put it in the events (any string, never refused here: checked as a key in the route). */
const KeyQuery = contract(z.object({ key: z.unknown().optional().transform((v) => (typeof v === 'string' ? v : undefined)) }));

// Public: the site key is public (it sits in the snippet), so these routes check it themselves,
// with the origins it allows, after the rate limit per address.
export function eventRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const pub = withContracts(app);
  pub.options('/v1/events', { schema: { querystring: KeyQuery } }, async (req, reply) => {
    const origin = req.headers.origin;
    const query = req.query;
    const key = query.key !== undefined ? await ctx.keys.find(query.key) : undefined;
    if (typeof origin !== 'string' || !(key ? originAllowed(key, origin) : await anySiteAllows(ctx, origin))) {
      return fail(reply, 403, 'origin not allowed for any site key');
    }
    reply
      .header('access-control-allow-origin', origin)
      .header('vary', 'Origin')
      .header('access-control-allow-methods', 'POST')
      .header('access-control-allow-headers', 'content-type, x-leadglow-key')
      .header('access-control-max-age', '86400');
    return reply.code(204).send();
  });

  // The body is a batch checked event by event (splitBatch): the good ones are stored, the others listed.
  pub.post('/v1/events', { schema: { querystring: KeyQuery } }, async (req, reply) => {
    ctx.metrics.requests.inc({ route: 'events' });
    const now = ctx.now();
    if (ctx.limits.perAddress) {
      const t = await ctx.limits.perAddress.take(req.ip, now);
      if (!t.ok) return tooMany(reply, t.retryAfterMs, 'too many requests from this address');
    }
    const split = splitBatch(req.body);
    if (!split.ok) return fail(reply, 400, 'invalid batch: expected {"events": [...], "sentAt"?: number}', split.errors);
    const raw = split.raw;
    const secret = siteSecretOf(req.query.key, req, raw);
    if (!secret) return fail(reply, 401, 'missing site key: put the site key in each event\'s "site" field (or ?key=)');
    const key = await ctx.keys.find(secret);
    if (!key || key.role !== 'site' || !key.site) return fail(reply, 401, 'unknown site key');
    const origin = req.headers.origin;
    if (typeof origin === 'string' && !originAllowed(key, origin)) {
      return fail(reply, 403, `origin ${origin.slice(0, 200)} is not allowed for this site key`);
    }
    if (typeof origin === 'string') reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
    if (ctx.limits.perKey) {
      const t = await ctx.limits.perKey.take(key.id, now);
      if (!t.ok) return tooMany(reply, t.retryAfterMs, 'too many requests for this site key');
    }
    const foreign: string[] = [];
    raw.forEach((e, i) => {
      const site = siteField(e);
      if (typeof site === 'string' && site !== secret && site !== key.site) foreign.push(`events[${i}].site: this key writes site "${key.site}" only`);
    });
    if (foreign.length) return fail(reply, 403, 'a site key can only write events for its own site', foreign.slice(0, 20));

    // Events that passed the schema, with their index in the batch.
    const rejectedAt = new Set(split.rejected.map((r) => r.index));
    const indexed: { e: Event; index: number }[] = [];
    let k = 0;
    for (let i = 0; i < raw.length && k < split.events.length; i++) if (!rejectedAt.has(i)) indexed.push({ e: split.events[k++]!, index: i });

    const rejected: RejectedEvent[] = [...split.rejected];
    const events: Event[] = [];
    const tokenLeads = new Map<string, string>();
    // Opens and clicks count only through the signed pixel and click routes, which also decide
    // `machine` (scanners, proxies): a site key is public, so anyone could forge them. An admin
    // importing history (the demo seed) adds its own token; browsers cannot (CORS allows no
    // Authorization header here).
    const adminImport = indexed.some(({ e }) => e.type === 'email_open' || e.type === 'email_click') && (await isAdmin(req, ctx));
    for (const { e, index } of indexed) {
      if ((e.type === 'email_open' || e.type === 'email_click') && !adminImport) {
        rejected.push({ index, id: e.id, errors: [`events[${index}].type: ${e.type} is recorded only by signed email links (/e/o, /e/c) or an admin import, not by a site key`] });
        continue;
      }
      if (e.ts > now + FUTURE_SLACK_MS) {
        rejected.push({ index, id: e.id, errors: [`events[${index}].ts: more than a day in the future (check the clock)`] });
        continue;
      }
      if (e.type === 'identify' && e.token !== undefined) {
        const v = verifyLandingToken(ctx.linkSecret, e.token, { now });
        if (!v.ok) {
          rejected.push({ index, id: e.id, errors: [`events[${index}].token: ${v.error === 'expired' ? 'the email-link token has expired' : 'not a valid email-link token'}`] });
          continue;
        }
        tokenLeads.set(e.id, v.payload.leadId);
      }
      // The key's site in place of what was sent: `e` is this request's own, freshly checked
      // object (splitBatch builds it), so no copy is needed and the keys keep their order.
      e.site = key.site;
      events.push(e);
    }
    rejected.sort((a, b) => a.index - b.index);
    ctx.metrics.rejected.inc(undefined, rejected.length);

    let accepted = 0;
    let duplicates = 0;
    if (events.length > 0) {
      if (ctx.writer.full) return tooMany(reply, 1000, 'the server is busy; retry shortly', 503);
      const country = countryOf(req, ctx);
      try {
        const r = await ctx.writer.submit({ events, ...(tokenLeads.size ? { tokenLeads } : {}), ...(country ? { country } : {}) });
        accepted = r.accepted;
        duplicates = r.duplicates;
      } catch (error) {
        if (error instanceof WriterClosedError) return tooMany(reply, 1000, 'the server is shutting down; retry shortly', 503);
        req.log.error({ err: error }, 'ingest transaction failed');
        return tooMany(reply, 1000, 'events could not be stored; retry', 503);
      }
      ctx.metrics.accepted.inc(undefined, accepted);
      ctx.metrics.duplicates.inc(undefined, duplicates);
    }
    const result: BatchResult = { accepted, duplicates, rejected };
    return reply.code(200).send(result);
  });
}

async function isAdmin(req: FastifyRequest, ctx: ServerContext): Promise<boolean> {
  const token = bearer(req);
  return token !== undefined && (await ctx.keys.find(token))?.role === 'admin';
}

/** The site key: `?key=`, else the `X-Leadglow-Key` header, else the first event's `site`. */
function siteSecretOf(q: string | undefined, req: FastifyRequest, raw: readonly unknown[]): string | undefined {
  if (q) return q;
  const h = req.headers['x-leadglow-key'];
  if (typeof h === 'string' && h) return h;
  for (const e of raw) {
    const site = siteField(e);
    if (typeof site === 'string' && site) return site;
  }
  return undefined;
}

/** An event's `site` as sent, before the event is checked (a refused event still names its site). */
function siteField(e: unknown): unknown {
  return typeof e === 'object' && e !== null && 'site' in e ? e.site : undefined;
}

function countryOf(req: FastifyRequest, ctx: ServerContext): string | undefined {
  if (!ctx.countryHeader) return undefined;
  const v = req.headers[ctx.countryHeader];
  return typeof v === 'string' && /^[A-Za-z]{2}$/.test(v) ? v.toUpperCase() : undefined;
}

function tooMany(reply: FastifyReply, retryAfterMs: number, message: string, status = 429): FastifyReply {
  reply.header('retry-after', String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
  return fail(reply, status, message);
}
