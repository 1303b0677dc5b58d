import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Me } from '../../../shared/contracts/api.ts';
import { FeedbackRequest } from '../../../shared/contracts/api.ts';
import type { Feedback } from '../../../shared/contracts/lead.ts';
import type { ServerContext } from '../context.ts';
import { ANY_KEY, keyOf, READERS, roleGroup } from '../auth.ts';
import { fail } from '../fail.ts';
import { contract } from '../validate.ts';
import { anyValue, intField, optionalText, requiredText } from '../query-fields.ts';
import { leadRows, rescoreLead, storedScores } from '../../scoring/lead-scores.ts';
import { readOutbox, type OutboxEntry } from '../../db/outbox.ts';
import { accountOf, decodeCursor, hotList, leadIdByEmail, leadView, timeline } from '../../read/lead-views.ts';

// The read API the extension calls (shared/contracts/api.ts), for rep and admin tokens.

/** Most missed changes replayed to a reconnecting stream. */
const REPLAY_MAX = 1_000;
const EMAIL_MAX = 254;

const IdParams = contract(z.object({ id: z.string() }));
const DomainParams = contract(z.object({ domain: z.string().max(253, { error: 'domain: too long' }) }));
const EmailQuery = contract(
  z.object({
    email: requiredText((v) => v.length > 0 && v.length <= EMAIL_MAX && v.includes('@'), 'expected ?email=<address>'),
  }),
);
const TimelineQuery = contract(
  z.object({
    limit: intField(50, 1, 200, 'limit: expected an integer from 1 to 200'),
    before: z.unknown().optional().transform((v, c) => {
      if (v === undefined || v === '') return undefined;
      const cursor = typeof v === 'string' && v.length < 200 ? decodeCursor(v) : undefined;
      if (!cursor) {
        c.addIssue({ code: 'custom', message: 'before: expected the `next` value of a previous page' });
        return z.NEVER;
      }
      return cursor;
    }),
  }),
);
const HotQuery = contract(
  z.object({
    limit: intField(50, 1, 500, 'limit: expected an integer from 1 to 500'),
    model: optionalText(),
  }),
);
const FeedbackBody = contract(FeedbackRequest, { error: 'invalid feedback' });
/** `?after=`: for EventSource-less readers that cannot send Last-Event-ID; checked with it in the route. */
const StreamQuery = contract(z.object({ after: anyValue() }));

export function leadRoutes(app: FastifyInstance, ctx: ServerContext): void {
  // Any token, a site key's included: the extension's "test this token".
  roleGroup(app, ctx.keys, ANY_KEY, (anyKey) => {
    anyKey.get('/v1/me', async (req) => {
      const key = keyOf(req);
      const me: Me = { role: key.role, workspaceDomains: ctx.live().primary.ownDomains, emails: key.emails };
      if (key.name) me.name = key.name;
      return me;
    });
  });

  roleGroup(app, ctx.keys, READERS, (readers) => {
    readers.get('/v1/leads', { schema: { querystring: EmailQuery } }, async (req, reply) => {
      const id = await leadIdByEmail(ctx.db.read, req.query.email);
      const view = id ? await leadView(ctx.db.read, ctx.live(), id, ctx.now()) : undefined;
      return view ?? fail(reply, 404, 'no lead with this email address');
    });

    readers.get('/v1/leads/:id', { schema: { params: IdParams } }, async (req, reply) => {
      const { id } = req.params;
      const view = id.length <= 64 ? await leadView(ctx.db.read, ctx.live(), id, ctx.now()) : undefined;
      return view ?? fail(reply, 404, 'no such lead');
    });

    readers.get('/v1/leads/:id/timeline', { schema: { params: IdParams, querystring: TimelineQuery } }, async (req, reply) => {
      const { id } = req.params;
      const { limit, before } = req.query;
      const exists = await ctx.db.read.selectFrom('leads').select('id').where('id', '=', id).executeTakeFirst();
      if (!exists) return fail(reply, 404, 'no such lead');
      const marked = new Map(ctx.live().primary.formIntents.map((o) => [o.formId, o.intent]));
      return timeline(ctx.db.read, id, before, limit, marked);
    });

    readers.get('/v1/accounts/:domain', { schema: { params: DomainParams } }, async (req, reply) => {
      const account = await accountOf(ctx.db.read, ctx.live(), req.params.domain, ctx.now());
      return account ?? fail(reply, 404, 'no account with this domain (personal email domains never form one)');
    });

    readers.get('/v1/hot', { schema: { querystring: HotQuery } }, async (req, reply) => {
      const { limit, model } = req.query;
      const list = await hotList(ctx.db.read, ctx.live(), model, limit, ctx.now());
      return list ?? fail(reply, 404, `no live model "${model}"`);
    });

    readers.post('/v1/leads/:id/feedback', { schema: { params: IdParams, body: FeedbackBody } }, async (req, reply) => {
      const key = keyOf(req);
      const { id } = req.params;
      const feedback: Feedback = { verdict: req.body.verdict, at: ctx.now(), by: key.name ?? key.role };
      if (req.body.reason) feedback.reason = req.body.reason;
      const found = await ctx.writer.run(async (trx, _afterCommit, stage) => {
        const leads = await leadRows(trx, [id]);
        const lead = leads.get(id);
        if (!lead) return false;
        const updated = { ...lead, feedback: JSON.stringify(feedback) };
        await trx.updateTable('leads').set({ feedback: updated.feedback }).where('id', '=', id).execute();
        const stored = (await storedScores(trx, [id])).get(id) ?? new Map();
        const changes = await rescoreLead(trx, { lead: updated, models: ctx.live().models, stored, newEvents: [], rebuild: false, now: feedback.at });
        stage(changes);
        return true;
      });
      return found ? feedback : fail(reply, 404, 'no such lead');
    });

  // Server-sent events: `event: stage` with a StageChange and `id:` its outbox position, and a
    // comment every so often so proxies and fetch-based readers see the stream is alive. The
    // outbox is the source (outbox.ts), so a stream on any instance sees changes made through
    // every instance; a client that reconnects with `Last-Event-ID` (or `?after=`) first gets
    // what it missed, up to REPLAY_MAX entries, then the live changes, each once.
    readers.get('/v1/stream', { schema: { querystring: StreamQuery } }, async (req, reply) => {
      const key = keyOf(req);
      const release = ctx.streams.acquire(key.id);
      if (!release) return fail(reply, 429, `at most ${ctx.streams.max} open streams per token: close one first`);
      const lastHeader = req.headers['last-event-id'];
      const lastRaw = typeof lastHeader === 'string' ? lastHeader : req.query.after;
      let resumeFrom: number | undefined;
      if (lastRaw !== undefined && lastRaw !== '') {
        if (typeof lastRaw !== 'string' || !/^\d{1,15}$/.test(lastRaw.trim())) return fail(reply, 400, 'Last-Event-ID: expected the id of an event of this stream');
        resumeFrom = Number(lastRaw.trim());
      }
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      raw.write(': connected\n\n');
      let sent = resumeFrom ?? Number.MAX_SAFE_INTEGER;
      let replaying = resumeFrom !== undefined;
      const held: OutboxEntry[] = [];
      const write = (e: OutboxEntry) => {
        if (resumeFrom !== undefined && e.id <= sent) return;
        sent = e.id;
        raw.write(`id: ${e.id}\nevent: stage\ndata: ${JSON.stringify(e.change)}\n\n`);
      };
      // Subscribed before the replay reads, so nothing falls between the two; what arrives
      // meanwhile is held and written after the replay, skipping what it already wrote.
      const unsubscribe = ctx.bus.subscribe((e) => (replaying ? held.push(e) : write(e)));
      const beat = setInterval(() => raw.write(`: heartbeat ${ctx.now()}\n\n`), heartbeatMs());
      const stop = () => {
        release();
        clearInterval(beat);
        unsubscribe();
        streams.delete(stop);
        if (!raw.writableEnded) raw.end();
      };
      streams.add(stop);
      req.raw.on('close', stop);
      closers.set(ctx, streams);
      if (resumeFrom !== undefined) {
        try {
          for (const e of await readOutbox(ctx.db.read, resumeFrom, REPLAY_MAX)) write(e);
        } catch (err) {
          ctx.log.error({ err }, 'stream replay failed');
        }
        replaying = false;
        for (const e of held.splice(0)) write(e);
      }
    });
  });
  const streams = new Set<() => void>();
}

const closers = new WeakMap<ServerContext, Set<() => void>>();

/** Ends open event streams, so a shutdown does not wait for clients to hang up. */
export function closeStreams(ctx: ServerContext): void {
  for (const stop of [...(closers.get(ctx) ?? [])]) stop();
}

function heartbeatMs(): number {
  const v = Number(process.env.LEADGLOW_HEARTBEAT_MS);
  return Number.isFinite(v) && v >= 100 ? v : 15_000;
}
