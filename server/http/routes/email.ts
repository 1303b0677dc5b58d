import { z } from 'zod';
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { EmailLinksRequest, type EmailLinksAnswer } from '../../../shared/contracts/admin.ts';
import { Event, type EventOf } from '../../../shared/contracts/event.ts';
import { formatIssues } from '../../../shared/errors.ts';
import { uuidv7 } from '../../../shared/ids.ts';
import type { ServerContext } from '../context.ts';
import { clickPath, isMachineOpen, pixelPath, resolveClick, signLinkToken, tokenFromPixelPath, verifyLinkToken, type LinkPayload } from '../../ingest/email-links.ts';
import { ADMIN, roleGroup } from '../auth.ts';
import { fail } from '../fail.ts';
import { contract, withContracts } from '../validate.ts';
import { addLeadEvent } from '../../import/touchpoints-and-outcomes.ts';
import { leadIdByEmail } from '../../read/lead-views.ts';

// Email engagement.
//   POST /v1/email-links {email, messageId, campaign?, targets[], sentAt?}  (admin)
//        -> { leadId, pixel, links: [{ target, url }] }
//   GET  /e/o/<token>.gif  -> always a 1x1 GIF; a valid token stores an email_open
//   GET  /e/c/<token>      -> valid: stores an email_click, 302 to the signed target + lg_t
//                             invalid: 400, never a redirect
// Events land on the lead's history through the writer (deduplicated by id, scored, on the
// timeline). Scanners and image proxies are stored with `machine: true`, which the engine
// does not count as interest.

/** Email events are not tied to a web site; this is their `site`. */
export const EMAIL_SITE = 'email';

// A transparent 1x1 GIF (42 bytes).
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/** Repeated hits of one link within this window store once (a reload, a client fetching twice). */
const DEDUPE_WINDOW_MS = 60_000;

const EmailLinksBody = contract(EmailLinksRequest, { error: 'invalid email-links request' });
const FileParams = contract(z.object({ file: z.string() }));
const TokenParams = contract(z.object({ token: z.string() }));

export function emailRoutes(app: FastifyInstance, ctx: ServerContext): void {
  roleGroup(app, ctx.keys, ADMIN, (admin) => {
    admin.post('/v1/email-links', { schema: { body: EmailLinksBody } }, async (req, reply) => {
      const r = req.body;
      const leadId = await leadIdByEmail(ctx.db.read, r.email);
      if (!leadId) return fail(reply, 404, 'no lead with this email address');
      const base = baseUrl(req, ctx);
      const common: LinkPayload = { leadId, messageId: r.messageId, campaign: r.campaign, sentAt: r.sentAt ?? ctx.now() };
      const answer: EmailLinksAnswer = {
        leadId,
        pixel: base + pixelPath(signLinkToken(ctx.linkSecret, common)),
        links: r.targets.map((target) => ({ target, url: base + clickPath(signLinkToken(ctx.linkSecret, { ...common, target })) })),
      };
      return answer;
    });
  });

  // Public: followed from inboxes; the signed token is the permission.
  const pub = withContracts(app);
  pub.get('/e/o/:file', { schema: { params: FileParams } }, async (req, reply) => {
    // Answered the same way whatever the token: a broken image in someone's inbox helps nobody,
    // and the answer must not tell a prober which tokens are valid.
    reply.header('cache-control', 'no-store, max-age=0').header('pragma', 'no-cache').type('image/gif');
    const token = tokenFromPixelPath(req.params.file);
    const v = token === undefined ? undefined : verifyLinkToken(ctx.linkSecret, token);
    if (v?.ok && req.method === 'GET') await record(req, ctx, 'email_open', token!, v.payload);
    return reply.send(PIXEL);
  });

  pub.get('/e/c/:token', { schema: { params: TokenParams } }, async (req, reply) => {
    const { token } = req.params;
    const now = ctx.now();
    const r = resolveClick(ctx.linkSecret, token, now);
    reply.header('cache-control', 'no-store');
    if (!r.ok) {
      const why =
        r.error === 'no_target'
          ? 'this email link has no destination'
          : r.error === 'bad_signature'
            ? 'this email link was altered or signed by another server; it cannot be followed'
            : 'this is not a valid email link (it may have been cut off by your mail program)';
      return fail(reply, 400, why);
    }
    // HEAD is what link probes (Office, some scanners) send; they get the answer, not a click.
    if (req.method === 'GET') await record(req, ctx, 'email_click', token, r.payload);
    return reply.code(302).header('location', r.location).header('referrer-policy', 'no-referrer').send();
  });
}

/** Stores the open or click on the token's lead. Never throws: the person still gets the GIF or redirect. */
async function record(req: FastifyRequest, ctx: ServerContext, type: 'email_open' | 'email_click', token: string, p: LinkPayload): Promise<void> {
  const now = ctx.now();
  const userAgent = req.headers['user-agent'];
  // The address is only looked at (Apple's relays), never stored.
  const m = isMachineOpen({ userAgent, sentAt: p.sentAt, openedAt: now, ip: req.ip });
  const bucket = now - (now % DEDUPE_WINDOW_MS);
  const digest = createHash('sha256').update(JSON.stringify([type, token, bucket, m.machine])).digest();
  const id = uuidv7(bucket, (bytes) => {
    bytes.set(digest.subarray(0, bytes.length));
    return bytes;
  });
  const common = {
    id,
    ts: now,
    site: EMAIL_SITE,
    anonymousId: `lead:${p.leadId}`.slice(0, 64),
    sessionId: `email:${p.messageId}`.slice(0, 64),
    messageId: p.messageId,
    machine: m.machine,
    ...(p.campaign !== undefined ? { campaign: p.campaign } : {}),
    ...(m.why ? { props: { machineReason: m.why } } : {}),
  };
  const raw: EventOf<'email_open'> | EventOf<'email_click'> = type === 'email_open' ? { ...common, type } : { ...common, type, target: p.target! };
  // The token's fields were checked when it was signed; the event schema is checked again here.
  const parsed = Event.safeParse(raw);
  if (!parsed.success) {
    ctx.log.warn({ issues: formatIssues(parsed.error.issues) }, `${type} not stored: invalid event`);
    return;
  }
  const event = parsed.data;
  try {
    await ctx.writer.run(async (trx, _afterCommit, stage) => {
      const r = await addLeadEvent(trx, ctx.live().models, p.leadId, event, now);
      stage(r.changes);
      return r;
    });
  } catch (err) {
    ctx.log.error({ err }, `${type} could not be stored`);
  }
}

function baseUrl(req: FastifyRequest, ctx: ServerContext): string {
  if (ctx.publicUrl) return ctx.publicUrl;
  return `${req.protocol}://${req.host}`;
}
