import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { PublishAnswer } from '../../../shared/contracts/admin.ts';
import { BacktestRequest, FormIntentRequest, PublishRequest, RollbackRequest, TagRequest, type Backtest, type DraftAnswer, type Report, type PageMatches, type Versions } from '../../../shared/contracts/marketing.ts';
import { Model } from '../../../shared/contracts/model.ts';
import { addTag } from '../../../shared/analytics/tags.ts';
import { setFormIntent } from '../../../shared/analytics/form-intents.ts';
import { pathOf, globMatcher } from '../../../shared/scoring/glob.ts';
import { parseModel } from '../../../shared/scoring/index.ts';
import type { ServerContext } from '../context.ts';
import type { DB } from '../../db/schema.ts';
import { decodeEvent } from '../../db/event-rows.ts';
import { loadDraft, runInWorker } from '../../read/analytics-runs.ts';
import { ADMIN, keyOf, roleGroup } from '../auth.ts';
import { fail } from '../fail.ts';
import { contract, dotted, type ContractRoutes } from '../validate.ts';
import { intField, optionalText, requiredText } from '../query-fields.ts';
import { draftsChanged } from '../served-tags.ts';
import { storedModel } from '../../db/model-rows.ts';
import { currentModel } from '../../predictive/current.ts';
import { lockModelsForPublish } from '../../scoring/live-models.ts';
import { rescoreAll } from '../../scoring/rescore-all.ts';
import { publishStamp, versionItems, type PublishStamp } from '../../scoring/model-versions.ts';

// The marketer's API: drafts, tagging, versions, page preview, reports and backtests. Paths
// and shapes: shared/contracts/marketing.ts. A draft is a row of the models table with status
// 'draft' and the version after the latest published one; there is at most one per model id.

const IdParams = contract(z.object({ id: z.string() }));
const TagBody = contract(TagRequest, { error: 'invalid tag', dotted: true });
const FormIntentBody = contract(FormIntentRequest, { error: 'invalid form intent', dotted: true });
/** The body is optional (older clients send none): {} or { note }. */
const PublishBody = contract(PublishRequest, { error: 'invalid publish request', dotted: true, absent: {} });
const RollbackBody = contract(RollbackRequest, { error: 'invalid rollback', dotted: true });
const BacktestBody = contract(BacktestRequest, { error: 'invalid backtest request', dotted: true });
/** Checked against the model id in the URL in the route. */
const DraftBody = contract(Model, { error: 'invalid draft', dotted: true });
const PagesQuery = contract(
  z.object({
    pattern: requiredText((v) => /^\/\S{0,499}$/.test(v), 'pattern: expected a path glob starting with /, such as /case-studies/*'),
    limit: intField(20, 1, 500, 'limit: expected a number from 1 to 500'),
  }),
);
const ReportQuery = contract(
  z.object({
    weeks: intField(26, 1, 260, 'weeks: expected a number from 1 to 260'),
    /** A live model's id; absent or empty: the primary one. */
    model: optionalText(),
  }),
);

export function marketingRoutes(app: FastifyInstance, ctx: ServerContext): void {
  roleGroup(app, ctx.keys, ADMIN, (admin) => marketingAdminRoutes(admin, ctx));
}

function marketingAdminRoutes(app: ContractRoutes, ctx: ServerContext): void {
  app.get('/v1/models/:id/draft', { schema: { params: IdParams } }, async (req, reply) => {
    const { id } = req.params;
    const draft = await loadDraft(ctx.db.read, id);
    return draft ?? fail(reply, 404, `model "${id}" has no draft`);
  });

  app.put('/v1/models/:id/draft', { schema: { params: IdParams, body: DraftBody } }, async (req, reply) => {
    const { id } = req.params;
    const model = req.body;
    if (model.id !== id) return fail(reply, 400, 'invalid draft', [`id: expected "${id}", the model in the URL`]);
    const version = await ctx.writer.run((trx) => saveDraft(trx, model, ctx.now()));
    draftsChanged(ctx);
    const answer: DraftAnswer = { id, version };
    return answer;
  });

  app.delete('/v1/models/:id/draft', { schema: { params: IdParams } }, async (req) => {
    const { id } = req.params;
    await ctx.writer.run((trx) => trx.deleteFrom('models').where('id', '=', id).where('status', '=', 'draft').execute());
    draftsChanged(ctx);
    return { ok: true };
  });

  app.post('/v1/models/:id/draft/tags', { schema: { params: IdParams, body: TagBody } }, async (req, reply) => {
    const { id } = req.params;
    const tag = req.body;
    const result = await ctx.writer.run(async (trx) => {
      const base = (await loadDraft(trx, id)) ?? (await loadLive(trx, id));
      if (!base) return { missing: true as const };
      const check = parseModel(addTag(base, tag));
      if (!check.ok) return { errors: dotted(check.errors) };
      const version = await saveDraft(trx, check.model, ctx.now());
      return { model: { ...check.model, version } };
    });
    draftsChanged(ctx);
    if ('missing' in result) return fail(reply, 404, `no model "${id}"`);
    if (result.errors) return fail(reply, 409, 'the tag would make the draft invalid', result.errors);
    return result.model;
  });

  // Tagging mode's hand-raise control: one form's intent override in the draft (issue 11).
  app.put('/v1/models/:id/draft/form-intents', { schema: { params: IdParams, body: FormIntentBody } }, async (req, reply) => {
    const { id } = req.params;
    const body = req.body;
    const result = await ctx.writer.run(async (trx) => {
      const base = (await loadDraft(trx, id)) ?? (await loadLive(trx, id));
      if (!base) return { missing: true as const };
      const check = parseModel(setFormIntent(base, body.formId, body.intent));
      if (!check.ok) return { errors: dotted(check.errors) };
      const version = await saveDraft(trx, check.model, ctx.now());
      return { model: { ...check.model, version } };
    });
    if ('missing' in result) return fail(reply, 404, `no model "${id}"`);
    if (result.errors) return fail(reply, 409, 'the form intent would make the draft invalid', result.errors);
    return result.model;
  });

  app.post('/v1/models/:id/draft/publish', { schema: { params: IdParams, body: PublishBody } }, async (req, reply) => {
    const { id } = req.params;
    const stamp = publishStamp(keyOf(req), req.body.note);
    const version = await ctx.writer.run(async (trx) => {
      const draft = await loadDraft(trx, id);
      return draft ? publish(trx, draft, ctx.now(), stamp) : undefined;
    });
    if (version === undefined) return fail(reply, 404, `model "${id}" has no draft to publish`);
    return published(reply, ctx, id, version);
  });

  app.post('/v1/models/:id/rollback', { schema: { params: IdParams, body: RollbackBody } }, async (req, reply) => {
    const key = keyOf(req);
    const { id } = req.params;
    const body = req.body;
    const version = await ctx.writer.run(async (trx) => {
      const row = await trx.selectFrom('models').select(['id', 'version', 'json']).where('id', '=', id).where('version', '=', body.version).where('status', '!=', 'draft').executeTakeFirst();
      return row ? publish(trx, storedModel(row), ctx.now(), publishStamp(key, body.note)) : undefined;
    });
    if (version === undefined) return fail(reply, 404, `model "${id}" has no published version ${body.version}`);
    return published(reply, ctx, id, version);
  });

  app.get('/v1/models/:id/versions', { schema: { params: IdParams } }, async (req, reply) => {
    const { id } = req.params;
    const rows = await ctx.db.read.selectFrom('models').selectAll().where('id', '=', id).orderBy('version').execute();
    if (rows.length === 0) return fail(reply, 404, `no model "${id}"`);
    // Newest first: the draft, then the live version, then history.
    const answer: Versions = { id, items: versionItems(id, rows) };
    return answer;
  });

  app.get('/v1/pages', { schema: { querystring: PagesQuery } }, async (req) => {
    const { pattern, limit } = req.query;
    // The engine's matcher, on the lowercased path as rules see it, so preview and scoring agree.
    const test = globMatcher(pattern);
    const views = await pageViews(ctx);
    const matches = [...views].filter(([path]) => test(path)).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const answer: PageMatches = { pattern, matches: matches.slice(0, limit).map(([path, n]) => ({ path, views: n })), total: matches.length };
    return answer;
  });

  app.get('/v1/reports', { schema: { querystring: ReportQuery } }, async (req, reply) => {
    const q = req.query;
    const weeks = q.weeks;
    const live = ctx.live();
    const model = q.model === undefined ? live.primary : live.models.find((m) => m.id === q.model);
    if (!model) return fail(reply, 404, `model: no live model "${String(q.model).slice(0, 100)}"`);
    const draft = await loadDraft(ctx.db.read, model.id);
    const now = ctx.now();
    const predictive = await currentModel(ctx.db.read, now).catch(() => undefined);
    // In a worker: the replay is seconds of CPU on a large store, and the server keeps answering.
    const { value } = await oneAtATime(ctx, () => runInWorker<Report>(ctx.db, { kind: 'report', options: { model, ...(draft ? { draft } : {}), now, weeks, ...(predictive ? { predictive } : {}) } }));
    return value;
  });

  app.post('/v1/backtest', { schema: { body: BacktestBody } }, async (req, reply) => {
    const draft = parseModel(req.body.draft);
    if (!draft.ok) return fail(reply, 400, 'invalid draft', dotted(draft.errors));
    const live = ctx.live().models.find((m) => m.id === draft.model.id);
    if (!live) return fail(reply, 400, 'invalid draft', [`id: no live model "${draft.model.id}" to compare the draft with`]);
    const { value } = await oneAtATime(ctx, () => runInWorker<Backtest>(ctx.db, { kind: 'backtest', options: { live, draft: draft.model, now: ctx.now(), weeks: req.body.weeks } }));
    return value;
  });
}

async function published(reply: FastifyReply, ctx: ServerContext, id: string, version: number): Promise<FastifyReply> {
  await ctx.reloadModels();
  draftsChanged(ctx);
  void rescoreAll(ctx).catch((err: unknown) => ctx.log.error({ err }, 'rescore failed'));
  const answer: PublishAnswer = { id, version, rescoring: true };
  return reply.code(201).send(answer);
}

// --- storage ------------------------------------------------------------------------------------

async function latestPublished(db: Kysely<DB>, id: string): Promise<number> {
  const row = await db.selectFrom('models').select('version').where('id', '=', id).where('status', '!=', 'draft').orderBy('version', 'desc').limit(1).executeTakeFirst();
  return row?.version ?? 0;
}

async function loadLive(db: Kysely<DB>, id: string): Promise<Model | undefined> {
  const row = await db.selectFrom('models').select(['id', 'version', 'json']).where('id', '=', id).where('status', '=', 'live').executeTakeFirst();
  return row ? storedModel(row) : undefined;
}

/** Replaces the model's draft; its version is the one after the latest published. */
async function saveDraft(trx: Kysely<DB>, model: Model, now: number): Promise<number> {
  const version = (await latestPublished(trx, model.id)) + 1;
  await trx.deleteFrom('models').where('id', '=', model.id).where('status', '=', 'draft').execute();
  await trx.insertInto('models').values({ id: model.id, version, json: JSON.stringify({ ...model, version }), status: 'draft', created_at: now, published_at: null }).execute();
  return version;
}

/**
 * Makes `model` the live version after the latest published one, retiring the old live one.
 * A draft that is not the one published moves up a version, so it stays "the next one".
 */
async function publish(trx: Kysely<DB>, model: Model, now: number, stamp: PublishStamp): Promise<number> {
  await lockModelsForPublish(trx);
  const version = (await latestPublished(trx, model.id)) + 1;
  const draftRow = await trx.selectFrom('models').select(['id', 'version', 'json']).where('id', '=', model.id).where('status', '=', 'draft').executeTakeFirst();
  const draft = draftRow ? storedModel(draftRow) : undefined;
  await trx.deleteFrom('models').where('id', '=', model.id).where('status', '=', 'draft').execute();
  await trx.updateTable('models').set({ status: 'retired' }).where('id', '=', model.id).where('status', '=', 'live').execute();
  await trx.insertInto('models').values({ id: model.id, version, json: JSON.stringify({ ...model, version }), status: 'live', created_at: now, published_at: now, ...stamp }).execute();
  if (draft && draft.version !== model.version) {
    await trx.insertInto('models').values({ id: model.id, version: version + 1, json: JSON.stringify({ ...draft, version: version + 1 }), status: 'draft', created_at: now, published_at: null }).execute();
  }
  return version;
}

// --- long runs ---------------------------------------------------------------------------------------

const longRuns = new WeakMap<ServerContext, Promise<unknown>>();

/**
 * Reports and backtests take seconds of CPU each: run them one after another, so a few
 * impatient clicks cannot take both cores from ingest.
 */
function oneAtATime<T>(ctx: ServerContext, run: () => Promise<T>): Promise<T> {
  const previous = longRuns.get(ctx) ?? Promise.resolve();
  const next = previous.then(run, run);
  longRuns.set(ctx, next.catch(() => undefined));
  return next;
}

// --- page views -----------------------------------------------------------------------------------

const PAGE_CACHE_MS = 60_000;
const pageCaches = new WeakMap<ServerContext, { at: number; views: Promise<Map<string, number>> }>();

/**
 * Views per lowercased path over every stored page view, read in pages of 5,000 with a yield
 * between them; kept for a minute, since a marketer typing a pattern asks again at each key.
 */
function pageViews(ctx: ServerContext): Promise<Map<string, number>> {
  const now = ctx.now();
  const cached = pageCaches.get(ctx);
  if (cached && now - cached.at < PAGE_CACHE_MS) return cached.views;
  const views = countPageViews(ctx.db.read);
  pageCaches.set(ctx, { at: now, views });
  views.catch(() => pageCaches.delete(ctx));
  return views;
}

async function countPageViews(db: Kysely<DB>): Promise<Map<string, number>> {
  const views = new Map<string, number>();
  let after = '';
  for (;;) {
    const rows = await db.selectFrom('events').select(['id', 'site', 'anonymous_id', 'ts', 'type', 'body']).where('type', '=', 'page_view').where('id', '>', after).orderBy('id').limit(5_000).execute();
    for (const r of rows) {
      // Through the contract, as the engine reads them: a row it refuses is no view here either.
      const e = decodeEvent(r);
      if (e?.type !== 'page_view') continue;
      const path = pathOf(e.url).toLowerCase();
      views.set(path, (views.get(path) ?? 0) + 1);
    }
    if (rows.length < 5_000) return views;
    after = rows[rows.length - 1]!.id;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
