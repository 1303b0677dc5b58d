import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import type { PublishAnswer } from '../../../shared/contracts/admin.ts';
import { BacktestRequest, FormIntentRequest, PublishRequest, RollbackRequest, TagRequest, type Backtest, type DraftAnswer, type Report, type PageMatches, type Versions } from '../../../shared/contracts/marketing.ts';
import type { Model } from '../../../shared/contracts/model.ts';
import { addTag } from '../../../shared/analytics/tags.ts';
import { setFormIntent } from '../../../shared/analytics/form-intents.ts';
import { formatIssues } from '../../../shared/errors.ts';
import { pathOf, globMatcher } from '../../../shared/scoring/glob.ts';
import { parseModel } from '../../../shared/scoring/index.ts';
import type { ServerContext } from '../context.ts';
import type { DB } from '../../db/schema.ts';
import { loadDraft, runInWorker } from '../../read/analytics-runs.ts';
import { authorize, fail, intParam } from '../route-helpers.ts';
import { currentModel } from '../../predictive/current.ts';
import { lockModelsForPublish } from '../../scoring/live-models.ts';
import { rescoreAll } from './admin.ts';
import { draftsChanged, tagRoutes } from './tags.ts';
import { publishStamp, versionItems, type PublishStamp } from '../../scoring/model-versions.ts';

// The marketer's API: drafts, tagging, versions, page preview, reports and backtests. Paths
// and shapes: shared/contracts/marketing.ts. A draft is a row of the models table with status
// 'draft' and the version after the latest published one; there is at most one per model id.

const ADMIN = ['admin'] as const;

export function marketingRoutes(app: FastifyInstance, ctx: ServerContext): void {
  tagRoutes(app, ctx);

  app.get('/v1/models/:id/draft', async (req, reply) => {
    if (!(await authorize(req, reply, ctx.keys, ADMIN))) return reply;
    const { id } = req.params as { id: string };
    const draft = await loadDraft(ctx.db.read, id);
    return draft ?? fail(reply, 404, `model "${id}" has no draft`);
  });

  app.put('/v1/models/:id/draft', async (req, reply) => {
    if (!(await authorize(req, reply, ctx.keys, ADMIN))) return reply;
    const { id } = req.params as { id: string };
    const parsed = checkModel(req.body, id);
    if (!parsed.ok) return fail(reply, 400, 'invalid draft', parsed.errors);
    const version = await ctx.writer.run((trx) => saveDraft(trx, parsed.model, ctx.now()));
    draftsChanged(ctx);
    const answer: DraftAnswer = { id, version };
    return answer;
  });

  app.delete('/v1/models/:id/draft', async (req, reply) => {
    if (!(await authorize(req, reply, ctx.keys, ADMIN))) return reply;
    const { id } = req.params as { id: string };
    await ctx.writer.run((trx) => trx.deleteFrom('models').where('id', '=', id).where('status', '=', 'draft').execute());
    draftsChanged(ctx);
    return { ok: true };
  });

  app.post('/v1/models/:id/draft/tags', async (req, reply) => {
    if (!(await authorize(req, reply, ctx.keys, ADMIN))) return reply;
    const { id } = req.params as { id: string };
    const tag = TagRequest.safeParse(req.body);
    if (!tag.success) return fail(reply, 400, 'invalid tag', dotted(formatIssues(tag.error.issues)));
    const result = await ctx.writer.run(async (trx) => {
      const base = (await loadDraft(trx, id)) ?? (await loadLive(trx, id));
      if (!base) return { missing: true as const };
      const check = parseModel(addTag(base, tag.data));
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
  app.put('/v1/models/:id/draft/form-intents', async (req, reply) => {
    if (!(await authorize(req, reply, ctx.keys, ADMIN))) return reply;
    const { id } = req.params as { id: string };
    const body = FormIntentRequest.safeParse(req.body);
    if (!body.success) return fail(reply, 400, 'invalid form intent', dotted(formatIssues(body.error.issues)));
    const result = await ctx.writer.run(async (trx) => {
      const base = (await loadDraft(trx, id)) ?? (await loadLive(trx, id));
      if (!base) return { missing: true as const };
      const check = parseModel(setFormIntent(base, body.data.formId, body.data.intent));
      if (!check.ok) return { errors: dotted(check.errors) };
      const version = await saveDraft(trx, check.model, ctx.now());
      return { model: { ...check.model, version } };
    });
    if ('missing' in result) return fail(reply, 404, `no model "${id}"`);
    if (result.errors) return fail(reply, 409, 'the form intent would make the draft invalid', result.errors);
    return result.model;
  });

  app.post('/v1/models/:id/draft/publish', async (req, reply) => {
    const key = await authorize(req, reply, ctx.keys, ADMIN);
    if (!key) return reply;
    const { id } = req.params as { id: string };
    // The body is optional (older clients send none): {} or { note }.
    const body = PublishRequest.safeParse(req.body ?? {});
    if (!body.success) return fail(reply, 400, 'invalid publish request', dotted(formatIssues(body.error.issues)));
    const stamp = publishStamp(key, body.data.note);
    const version = await ctx.writer.run(async (trx) => {
      const draft = await loadDraft(trx, id);
      return draft ? publish(trx, draft, ctx.now(), stamp) : undefined;
    });
    if (version === undefined) return fail(reply, 404, `model "${id}" has no draft to publish`);
    return published(reply, ctx, id, version);
  });

  app.post('/v1/models/:id/rollback', async (req, reply) => {
    const key = await authorize(req, reply, ctx.keys, ADMIN);
    if (!key) return reply;
    const { id } = req.params as { id: string };
    const body = RollbackRequest.safeParse(req.body);
    if (!body.success) return fail(reply, 400, 'invalid rollback', dotted(formatIssues(body.error.issues)));
    const version = await ctx.writer.run(async (trx) => {
      const row = await trx.selectFrom('models').select('json').where('id', '=', id).where('version', '=', body.data.version).where('status', '!=', 'draft').executeTakeFirst();
      return row ? publish(trx, JSON.parse(row.json) as Model, ctx.now(), publishStamp(key, body.data.note)) : undefined;
    });
    if (version === undefined) return fail(reply, 404, `model "${id}" has no published version ${body.data.version}`);
    return published(reply, ctx, id, version);
  });

  app.get('/v1/models/:id/versions', async (req, reply) => {
    if (!(await authorize(req, reply, ctx.keys, ADMIN))) return reply;
    const { id } = req.params as { id: string };
    const rows = await ctx.db.read.selectFrom('models').selectAll().where('id', '=', id).orderBy('version').execute();
    if (rows.length === 0) return fail(reply, 404, `no model "${id}"`);
    // Newest first: the draft, then the live version, then history.
    const answer: Versions = { id, items: versionItems(id, rows) };
    return answer;
  });

  app.get('/v1/pages', async (req, reply) => {
    if (!(await authorize(req, reply, ctx.keys, ADMIN))) return reply;
    const q = req.query as Record<string, unknown>;
    const pattern = q.pattern;
    if (typeof pattern !== 'string' || !/^\/\S{0,499}$/.test(pattern)) return fail(reply, 400, 'pattern: expected a path glob starting with /, such as /case-studies/*');
    const limit = intParam(q.limit, 20, 1, 500);
    if (limit === undefined) return fail(reply, 400, 'limit: expected a number from 1 to 500');
    // The engine's matcher, on the lowercased path as rules see it, so preview and scoring agree.
    const test = globMatcher(pattern);
    const views = await pageViews(ctx);
    const matches = [...views].filter(([path]) => test(path)).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const answer: PageMatches = { pattern, matches: matches.slice(0, limit).map(([path, n]) => ({ path, views: n })), total: matches.length };
    return answer;
  });

  app.get('/v1/reports', async (req, reply) => {
    if (!(await authorize(req, reply, ctx.keys, ADMIN))) return reply;
    const q = req.query as Record<string, unknown>;
    const weeks = intParam(q.weeks, 26, 1, 260);
    if (weeks === undefined) return fail(reply, 400, 'weeks: expected a number from 1 to 260');
    const live = ctx.live();
    const model = typeof q.model === 'string' && q.model !== '' ? live.models.find((m) => m.id === q.model) : live.primary;
    if (!model) return fail(reply, 404, `model: no live model "${String(q.model).slice(0, 100)}"`);
    const draft = await loadDraft(ctx.db.read, model.id);
    const now = ctx.now();
    const predictive = await currentModel(ctx.db.read, now).catch(() => undefined);
    // In a worker: the replay is seconds of CPU on a large store, and the server keeps answering.
    const { value } = await oneAtATime(ctx, () => runInWorker<Report>(ctx.db.read, { kind: 'report', options: { model, ...(draft ? { draft } : {}), now, weeks, ...(predictive ? { predictive } : {}) } }));
    return value;
  });

  app.post('/v1/backtest', async (req, reply) => {
    if (!(await authorize(req, reply, ctx.keys, ADMIN))) return reply;
    const body = BacktestRequest.safeParse(req.body);
    if (!body.success) return fail(reply, 400, 'invalid backtest request', dotted(formatIssues(body.error.issues)));
    const draft = parseModel(body.data.draft);
    if (!draft.ok) return fail(reply, 400, 'invalid draft', dotted(draft.errors));
    const live = ctx.live().models.find((m) => m.id === draft.model.id);
    if (!live) return fail(reply, 400, 'invalid draft', [`id: no live model "${draft.model.id}" to compare the draft with`]);
    const { value } = await oneAtATime(ctx, () => runInWorker<Backtest>(ctx.db.read, { kind: 'backtest', options: { live, draft: draft.model, now: ctx.now(), weeks: body.data.weeks } }));
    return value;
  });
}

/** Validates a model for the model id in the URL; problems as `interestRules.0.points: ...`. */
function checkModel(input: unknown, id: string): { ok: true; model: Model } | { ok: false; errors: string[] } {
  const parsed = parseModel(input);
  if (!parsed.ok) return { ok: false, errors: dotted(parsed.errors) };
  if (parsed.model.id !== id) return { ok: false, errors: [`id: expected "${id}", the model in the URL`] };
  return parsed;
}

/** `interestRules[0].points: x` -> `interestRules.0.points: x`, the contract's form for field paths. */
function dotted(lines: readonly string[]): string[] {
  return lines.map((line) => {
    const at = line.indexOf(': ');
    return at < 0 ? line : line.slice(0, at).replace(/\[(\d+)\]/g, '.$1') + line.slice(at);
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
  const row = await db.selectFrom('models').select('json').where('id', '=', id).where('status', '=', 'live').executeTakeFirst();
  return row ? (JSON.parse(row.json) as Model) : undefined;
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
  const draft = await trx.selectFrom('models').select('json').where('id', '=', model.id).where('status', '=', 'draft').executeTakeFirst();
  await trx.deleteFrom('models').where('id', '=', model.id).where('status', '=', 'draft').execute();
  await trx.updateTable('models').set({ status: 'retired' }).where('id', '=', model.id).where('status', '=', 'live').execute();
  await trx.insertInto('models').values({ id: model.id, version, json: JSON.stringify({ ...model, version }), status: 'live', created_at: now, published_at: now, ...stamp }).execute();
  if (draft && (JSON.parse(draft.json) as Model).version !== model.version) {
    await trx.insertInto('models').values({ id: model.id, version: version + 1, json: JSON.stringify({ ...(JSON.parse(draft.json) as Model), version: version + 1 }), status: 'draft', created_at: now, published_at: null }).execute();
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
    const rows = await db.selectFrom('events').select(['id', 'body']).where('type', '=', 'page_view').where('id', '>', after).orderBy('id').limit(5_000).execute();
    for (const r of rows) {
      const url = (JSON.parse(r.body) as { url?: string }).url;
      if (url === undefined) continue;
      const path = pathOf(url).toLowerCase();
      views.set(path, (views.get(path) ?? 0) + 1);
    }
    if (rows.length < 5_000) return views;
    after = rows[rows.length - 1]!.id;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
