import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { SiteTags } from '../../../shared/contracts/marketing.ts';
import { TagHealthReport, type TagHealthList } from '../../../shared/contracts/tag-health.ts';
import type { ServerContext } from '../context.ts';
import type { KeyRecord } from '../../auth/api-keys.ts';
import { ADMIN, roleGroup } from '../auth.ts';
import { fail } from '../fail.ts';
import { originAllowed } from '../origins.ts';
import { servedOf } from '../served-tags.ts';
import { checkPart, contract, withContracts } from '../validate.ts';
import { anyValue, requiredText } from '../query-fields.ts';
import { acceptedLines, healthOf, recordHealth } from '../../ingest/tag-health.ts';

// What the site's pages need for tags picked in the extension, and what they say back:
//   GET  /v1/tags?site=KEY          the served tags, and the tags script's path when there are any
//   GET  /v1/tags.js?v=HASH         the tags script (sdk/tags-script.ts), built beside the snippet
//   POST /v1/tags/health?site=KEY   the tags script's beacon: how each tag of a page was found
//   GET  /v1/tags/health            the lost-tag report (admin)
// Contracts: shared/contracts/marketing.ts (SiteTags), shared/contracts/tag-health.ts.

/** `?site=`: the site key (public, in the snippet); checked as a key by `siteKey`. */
const SiteQuery = contract(z.object({ site: requiredText((v) => v !== '', 'expected ?site=SITE_KEY') }));
const VersionQuery = contract(z.object({ v: anyValue() }));
const HealthBody = contract(TagHealthReport, { error: 'invalid tag health report' });

/** sdk/build.ts writes it beside the snippet (TAGS_FILE there). */
const TAGS_FILE = 'leadglow-tags.js';

export function tagRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const script = tagsScript(join(dirname(ctx.sdkFile), TAGS_FILE));
  const pub = withContracts(app);

  // Public: the SDK asks from the marketer's site which elements to report clicks on.
  pub.get('/v1/tags', { schema: { querystring: SiteQuery } }, async (req, reply) => {
    const key = await siteKey(req.query.site, req, reply, ctx);
    if (!key) return reply;
    const elements = (await servedOf(ctx)).map((t) => t.element);
    const s = elements.length ? await script.current().catch(() => undefined) : undefined;
    if (elements.length && !s) ctx.log.warn('element tags are served, but the tags script is not built: run `npm run build:sdk`');
    const answer: SiteTags = { elements, ...(s ? { script: `/v1/tags.js?v=${s.version}` } : {}) };
    return reply.header('cache-control', 'max-age=60').send(answer);
  });

  // The tags script: same origin as the snippet, so a site's CSP that allows leadglow.js allows it.
  // A versioned URL never changes content, so it is cached for a year; any other for five minutes.
  pub.get('/v1/tags.js', { schema: { querystring: VersionQuery } }, async (req, reply) => {
    const s = await script.current().catch(() => undefined);
    if (!s) return fail(reply, 503, 'the tags script is not built: run `npm run build:sdk`');
    const current = req.query.v === s.version;
    reply
      .header('etag', `"${s.version}"`)
      .header('cache-control', current ? 'public, max-age=31536000, immutable' : 'public, max-age=300')
      .header('access-control-allow-origin', '*')
      .header('x-content-type-options', 'nosniff');
    if (req.headers['if-none-match'] === `"${s.version}"`) return reply.code(304).send();
    return reply.type('text/javascript; charset=utf-8').send(s.body);
  });

  // Public: the beacon (text/plain, no preflight). Nothing about the visitor: tag ids and paths.
  // Its query and body are checked in the route (by their contracts, as a route schema would),
  // after the rate limits: a flood is refused before any of it is checked or stored.
  app.post('/v1/tags/health', async (req, reply) => {
    const now = ctx.now();
    if (ctx.limits.perAddress && !(await ctx.limits.perAddress.take(req.ip, now)).ok) return fail(reply, 429, 'too many requests from this address');
    const site = checkPart(SiteQuery, req.query);
    if (!site.ok) throw site.error;
    const key = await siteKey(site.value.site, req, reply, ctx);
    if (!key) return reply;
    if (ctx.limits.perKey && !(await ctx.limits.perKey.take(key.id, now)).ok) return fail(reply, 429, 'too many requests for this site key');
    const report = checkPart(HealthBody, req.body);
    if (!report.ok) throw report.error;
    const lines = acceptedLines(report.value, await servedOf(ctx));
    if (lines.length) await ctx.writer.run((trx) => recordHealth(trx, lines, now));
    return reply.code(204).send();
  });

  roleGroup(app, ctx.keys, ADMIN, (admin) => {
    admin.get('/v1/tags/health', async () => {
      const answer: TagHealthList = { items: await healthOf(ctx.db.read, await servedOf(ctx)) };
      return answer;
    });
  });
}

/** The site key of `?site=`, from an origin it allows (CORS answered); otherwise the error is sent. */
async function siteKey(site: string, req: FastifyRequest, reply: FastifyReply, ctx: ServerContext): Promise<KeyRecord | undefined> {
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
