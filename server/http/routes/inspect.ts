import type { FastifyInstance } from 'fastify';
import { InspectRequest, type InspectReport, type KnownPages } from '../../../shared/contracts/inspect.ts';
import type { ServerContext } from '../context.ts';
import { z } from 'zod';
import { ADMIN, roleGroup } from '../auth.ts';
import { fail } from '../fail.ts';
import { contract } from '../validate.ts';
import { intField } from '../query-fields.ts';
import { inspectHtml } from '../../inspect/page-inspect.ts';
import { knownPages, pageKey, siteOrigins } from '../../inspect/known-pages.ts';
import { allowPrivateFromEnv } from '../../outbound/pinned-fetch.ts';
import { fetchPage } from '../../outbound/page-fetch.ts';

// The dashboard's page check: what `leadglow inspect` prints, for a page URL the marketer types
// or picks from the pages the server knows. Paths and shapes: shared/contracts/inspect.ts.

const PagesQuery = contract(z.object({ limit: intField(50, 1, 500, 'limit: expected a number from 1 to 500') }));
const InspectBody = contract(InspectRequest, { error: 'invalid page check' });

export type InspectRouteOptions = {
  /** Private and loopback targets for any URL; default LEADGLOW_WEBHOOK_ALLOW_PRIVATE. */
  allowPrivate?: boolean;
  timeoutMs?: number;
  maxBytes?: number;
  /** For tests: how host names resolve. */
  resolve?: (host: string) => Promise<string[]>;
};

export function inspectRoutes(app: FastifyInstance, ctx: ServerContext, opts: InspectRouteOptions = {}): void {
  // Parsing a page takes the event loop for a moment: one at a time, so impatient clicks queue.
  let queue: Promise<unknown> = Promise.resolve();

  roleGroup(app, ctx.keys, ADMIN, (admin) => {
    admin.get('/v1/inspect/pages', { schema: { querystring: PagesQuery } }, async (req) => {
      const answer: KnownPages = { pages: (await knownPages(ctx, ctx.db.read, ctx.now())).slice(0, req.query.limit) };
      return answer;
    });

    admin.post('/v1/inspect', { schema: { body: InspectBody } }, async (req, reply) => {
      const check = req.body;
      const live = ctx.live();
      const model = check.model ? live.models.find((m) => m.id === check.model) : live.primary;
      if (!model) return fail(reply, 400, 'invalid page check', [`model: no live model "${check.model}"`]);
      if (!pageKey(check.url)) return fail(reply, 400, 'invalid page check', ['url: expected an http(s) URL such as https://www.example.com/pricing']);
      // A page of the customer's own site (an origin the operator allowed for a site key) may be
      // on a private address; anything else, and any redirect off those origins, only with the
      // operator's LEADGLOW_WEBHOOK_ALLOW_PRIVATE.
      const own = await siteOrigins(ctx.db.read);
      const anyPrivate = opts.allowPrivate ?? allowPrivateFromEnv();
      const page = await fetchPage(check.url, {
        allowPrivate: (u) => anyPrivate || own.has(u.origin.toLowerCase()),
        ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
        ...(opts.maxBytes ? { maxBytes: opts.maxBytes } : {}),
        ...(opts.resolve ? { resolve: opts.resolve } : {}),
      });
      if (!page.ok) return fail(reply, 422, 'could not check the page', [`url: ${page.error}`]);
      const run = queue.then(() => inspectHtml(page.html, page.url, model));
      queue = run.catch(() => undefined);
      const report: InspectReport = await run;
      return report;
    });
  });
}
