import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { servedTags, type ServedTag } from '../../../shared/analytics/tags.ts';
import type { Model } from '../../../shared/contracts/model.ts';
import type { SiteTags } from '../../../shared/contracts/marketing.ts';
import { TagHealthReport, type TagHealthList } from '../../../shared/contracts/tag-health.ts';
import { formatIssues } from '../../../shared/errors.ts';
import type { ServerContext } from '../context.ts';
import type { DB } from '../../db/schema.ts';
import type { KeyRecord } from '../../auth/api-keys.ts';
import { authorize, fail } from '../route-helpers.ts';
import { acceptedLines, healthOf, recordHealth } from '../../ingest/tag-health.ts';
import { originAllowed } from './events.ts';

// What the site's pages need for tags picked in the extension, and what they say back:
//   GET  /v1/tags?site=KEY          the served tags, and the tags script's path when there are any
//   GET  /v1/tags.js?v=HASH         the tags script (sdk/tags-script.ts), built beside the snippet
//   POST /v1/tags/health?site=KEY   the tags script's beacon: how each tag of a page was found
//   GET  /v1/tags/health            the lost-tag report (admin)
// Contracts: shared/contracts/marketing.ts (SiteTags), shared/contracts/tag-health.ts.

const ADMIN = ['admin'] as const;
/** sdk/build.ts writes it beside the snippet (TAGS_FILE there). */
const TAGS_FILE = 'leadglow-tags.js';

export function tagRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const script = tagsScript(join(dirname(ctx.sdkFile), TAGS_FILE));

  // Public: the SDK asks from the marketer's site which elements to report clicks on.
  app.get('/v1/tags', async (req, reply) => {
    const key = await siteKey(req, reply, ctx);
    if (!key) return reply;
    const { elements } = await tagsOf(ctx);
    const s = elements.length ? await script.current().catch(() => undefined) : undefined;
    if (elements.length && !s) ctx.log.warn('element tags are served, but the tags script is not built: run `npm run build:sdk`');
    const answer: SiteTags = { elements, ...(s ? { script: `/v1/tags.js?v=${s.version}` } : {}) };
    return reply.header('cache-control', 'max-age=60').send(answer);
  });

  // The tags script: same origin as the snippet, so a site's CSP that allows leadglow.js allows it.
  // A versioned URL never changes content, so it is cached for a year; any other for five minutes.
  app.get('/v1/tags.js', async (req, reply) => {
    const s = await script.current().catch(() => undefined);
    if (!s) return fail(reply, 503, 'the tags script is not built: run `npm run build:sdk`');
    const current = (req.query as Record<string, unknown>).v === s.version;
    reply
      .header('etag', `"${s.version}"`)
      .header('cache-control', current ? 'public, max-age=31536000, immutable' : 'public, max-age=300')
      .header('access-control-allow-origin', '*')
      .header('x-content-type-options', 'nosniff');
    if (req.headers['if-none-match'] === `"${s.version}"`) return reply.code(304).send();
    return reply.type('text/javascript; charset=utf-8').send(s.body);
  });

  // Public: the beacon (text/plain, no preflight). Nothing about the visitor: tag ids and paths.
  app.post('/v1/tags/health', async (req, reply) => {
    const now = ctx.now();
    if (ctx.limits.perAddress && !(await ctx.limits.perAddress.take(req.ip, now)).ok) return fail(reply, 429, 'too many requests from this address');
    const key = await siteKey(req, reply, ctx);
    if (!key) return reply;
    if (ctx.limits.perKey && !(await ctx.limits.perKey.take(key.id, now)).ok) return fail(reply, 429, 'too many requests for this site key');
    const report = TagHealthReport.safeParse(req.body);
    if (!report.success) return fail(reply, 400, 'invalid tag health report', formatIssues(report.error.issues));
    const lines = acceptedLines(report.data, await servedOf(ctx));
    if (lines.length) await ctx.writer.run((trx) => recordHealth(trx, lines, now));
    return reply.code(204).send();
  });

  app.get('/v1/tags/health', async (req, reply) => {
    if (!(await authorize(req, reply, ctx.keys, ADMIN))) return reply;
    const answer: TagHealthList = { items: await healthOf(ctx.db.read, await servedOf(ctx)) };
    return answer;
  });
}

/** The site key of `?site=`, from an origin it allows (CORS answered); otherwise the error is sent. */
async function siteKey(req: FastifyRequest, reply: FastifyReply, ctx: ServerContext): Promise<KeyRecord | undefined> {
  const site = (req.query as Record<string, unknown>).site;
  if (typeof site !== 'string' || site === '') return void fail(reply, 400, 'expected ?site=SITE_KEY');
  const key = await ctx.keys.find(site);
  if (!key || key.role !== 'site') return void fail(reply, 404, 'unknown site key');
  const origin = req.headers.origin;
  if (typeof origin === 'string') {
    if (!originAllowed(key, origin)) return void fail(reply, 403, `origin ${origin.slice(0, 200)} is not allowed for this site key`);
    reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
  }
  return key;
}

/** The tags script's bytes and version (a hash of them), read again when the file changes. */
function tagsScript(file: string): { current(): Promise<{ body: Buffer; version: string }> } {
  let cached: { mtimeMs: number; body: Buffer; version: string } | undefined;
  return {
    async current() {
      const info = await stat(file);
      if (!cached || cached.mtimeMs !== info.mtimeMs) {
        const body = await readFile(file);
        cached = { mtimeMs: info.mtimeMs, body, version: createHash('sha256').update(body).digest('base64url').slice(0, 16) };
      }
      return cached;
    },
  };
}

// --- tags served -------------------------------------------------------------------------------

const TAGS_CACHE_MS = 5_000;
const tagCaches = new WeakMap<ServerContext, { at: number; live: unknown; tags: Promise<ServedTag[]> }>();

/**
 * Tags of the live models and the drafts: with drafts, a click on a just-tagged element is
 * stored, and a backtest of the draft sees it. Every page view of every site asks, so the answer
 * is kept a few seconds (and for as long as the live models and the drafts stay the same).
 */
function servedOf(ctx: ServerContext): Promise<ServedTag[]> {
  const now = ctx.now();
  const live = ctx.live();
  const cached = tagCaches.get(ctx);
  if (cached && cached.live === live && now - cached.at < TAGS_CACHE_MS) return cached.tags;
  const tags = draftModels(ctx.db.read).then((drafts) => servedTags([...live.models, ...drafts]));
  tagCaches.set(ctx, { at: now, live, tags });
  tags.catch(() => tagCaches.delete(ctx));
  return tags;
}

async function tagsOf(ctx: ServerContext): Promise<SiteTags> {
  return { elements: (await servedOf(ctx)).map((t) => t.element) };
}

/** A draft changed: the SDK's next question gets the new selectors. */
export function draftsChanged(ctx: ServerContext): void {
  tagCaches.delete(ctx);
}

async function draftModels(db: Kysely<DB>): Promise<Model[]> {
  const rows = await db.selectFrom('models').select('json').where('status', '=', 'draft').orderBy('id').execute();
  return rows.map((r) => JSON.parse(r.json) as Model);
}
