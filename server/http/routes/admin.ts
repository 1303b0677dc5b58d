import type { FastifyInstance } from 'fastify';
import { TrackRequest, type ImportSummary, type RescoreStatus, type DiffAnswer, type ModelList, type PublishAnswer, type TrackAnswer } from '../../../shared/contracts/admin.ts';
import type { Model } from '../../../shared/contracts/model.ts';
import { formatIssues } from '../../../shared/errors.ts';
import { parseModel } from '../../../shared/scoring/index.ts';
import type { ServerContext } from '../context.ts';
import { authorize, fail } from '../route-helpers.ts';
import { leadRows, rescoreLead, storedScores } from '../../scoring/lead-scores.ts';
import { lockModelsForPublish } from '../../scoring/live-models.ts';
import { enqueueRescore, rescoreStatus } from '../../scoring/rescore.ts';
import { diffModels, formatDiff } from '../../scoring/model-diff.ts';
import { importCsv } from '../../import/import-csv.ts';
import { VersionNote } from '../../../shared/contracts/marketing.ts';
import { publishStamp } from '../../scoring/model-versions.ts';
import { addTouchpoint, setOutcome } from '../../import/touchpoints-and-outcomes.ts';
import type { StageChange } from '../../../shared/contracts/api.ts';

// Admin API: models (list, get, validate, publish with a background rescore, diff) and
// server-side tracking of offline touchpoints and CRM outcomes.
//   GET  /v1/models                      -> { items: [{ id, version, name, status, publishedAt }] }
//   GET  /v1/models/:id?version=         -> Model (the live version by default)
//   POST /v1/models/validate   Model     -> { ok: true } | 400 { error, details }
//   POST /v1/models?note=      Model     -> { id, version, rescoring: true }   (publishes; keeps the key and note)
//   GET  /v1/models/:id/diff?from=&to=   -> { changes, summary }
//   POST /v1/track  { email, outcome? , touchpoint? } -> { ok, lead }
//   POST /v1/import/outcomes|events  text/csv        -> ImportSummary (line-numbered rejects)

const ADMIN = ['admin'] as const;
const IMPORT_LIMIT = 20 * 1024 * 1024;

// Request and answer shapes: shared/contracts/admin.ts.

export function adminRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/v1/models', async (req, reply) => {
    if (!(await authorize(req, reply, ctx.keys, ADMIN))) return reply;
    const rows = await ctx.db.read.selectFrom('models').select(['id', 'version', 'json', 'status', 'published_at']).orderBy('id').orderBy('version', 'desc').execute();
    const primaryId = ctx.live().primary.id;
    const answer: ModelList = {
      items: rows.map((r) => ({
        id: r.id,
        version: r.version,
        name: (JSON.parse(r.json) as Model).name,
        status: r.status,
        ...(r.published_at !== null ? { publishedAt: r.published_at } : {}),
        ...(r.status === 'live' && r.id === primaryId ? { primary: true } : {}),
      })),
    };
    return answer;
  });

  app.get('/v1/rescoring', async (req, reply) => {
    if (!(await authorize(req, reply, ctx.keys, ADMIN))) return reply;
    const answer: RescoreStatus = await rescoreStatus(ctx.db.read);
    return answer;
  });

  app.get('/v1/models/:id', async (req, reply) => {
    if (!(await authorize(req, reply, ctx.keys, ADMIN))) return reply;
    const { id } = req.params as { id: string };
    const v = (req.query as Record<string, unknown>).version;
    let q = ctx.db.read.selectFrom('models').select('json').where('id', '=', id);
    q = typeof v === 'string' && /^\d{1,6}$/.test(v) ? q.where('version', '=', Number(v)) : q.where('status', '=', 'live');
    const row = await q.executeTakeFirst();
    return row ? (JSON.parse(row.json) as Model) : fail(reply, 404, 'no such model or version');
  });

  app.post('/v1/models/validate', async (req, reply) => {
    if (!(await authorize(req, reply, ctx.keys, ADMIN))) return reply;
    const parsed = parseModel(req.body);
    return parsed.ok ? { ok: true } : fail(reply, 400, 'invalid model', parsed.errors);
  });

  app.get('/v1/models/:id/diff', async (req, reply) => {
    if (!(await authorize(req, reply, ctx.keys, ADMIN))) return reply;
    const { id } = req.params as { id: string };
    const q = req.query as Record<string, unknown>;
    const from = Number(q.from);
    const to = Number(q.to);
    if (!Number.isInteger(from) || !Number.isInteger(to)) return fail(reply, 400, 'expected ?from=VERSION&to=VERSION');
    const rows = await ctx.db.read.selectFrom('models').select(['version', 'json']).where('id', '=', id).where('version', 'in', [from, to]).execute();
    const a = rows.find((r) => r.version === from);
    const b = rows.find((r) => r.version === to);
    if (!a || !b) return fail(reply, 404, 'no such model version');
    const changes = diffModels(JSON.parse(a.json) as Model, JSON.parse(b.json) as Model);
    const answer: DiffAnswer = { changes, summary: formatDiff(changes) };
    return answer;
  });

  app.post('/v1/models', async (req, reply) => {
    const key = await authorize(req, reply, ctx.keys, ADMIN);
    if (!key) return reply;
    const parsed = parseModel(req.body);
    if (!parsed.ok) return fail(reply, 400, 'invalid model', parsed.errors);
    // The body is the model itself, so its note rides in the query: ?note=why.
    const note = VersionNote.optional().safeParse((req.query as Record<string, unknown>).note);
    if (!note.success) return fail(reply, 400, 'invalid note', formatIssues(note.error.issues, ['note']));
    const stamp = publishStamp(key, note.data);
    const model = parsed.model;
    const now = ctx.now();
    const result = await ctx.writer.run(async (trx) => {
      await lockModelsForPublish(trx);
      // A draft is a version in waiting: publishing around it would leave the marketer's draft behind the live model.
      const draft = await trx.selectFrom('models').select(['version', 'status']).where('id', '=', model.id).where('status', '=', 'draft').executeTakeFirst();
      if (draft) return { conflict: draft };
      const latest = await trx.selectFrom('models').select(['version', 'status']).where('id', '=', model.id).orderBy('version', 'desc').limit(1).executeTakeFirst();
      if (latest && latest.version >= model.version) return { conflict: latest };
      await trx.updateTable('models').set({ status: 'retired' }).where('id', '=', model.id).where('status', '=', 'live').execute();
      await trx.insertInto('models').values({ id: model.id, version: model.version, json: JSON.stringify(model), status: 'live', created_at: now, published_at: now, ...stamp }).execute();
      return { conflict: undefined };
    });
    const conflict = result.conflict;
    if (conflict !== undefined) {
      if (conflict.status === 'draft') return fail(reply, 409, `model "${model.id}" has a draft at version ${conflict.version}: publish it (POST /v1/models/${model.id}/draft/publish) or discard it (DELETE /v1/models/${model.id}/draft) first`);
      return fail(reply, 409, `version must be above ${conflict.version}, the latest of model "${model.id}"`);
    }
    await ctx.reloadModels();
    void rescoreAll(ctx).catch((err: unknown) => ctx.log.error({ err }, 'rescore failed'));
    const answer: PublishAnswer = { id: model.id, version: model.version, rescoring: true };
    return reply.code(201).send(answer);
  });

  // CRM exports as they are: text/csv, up to 20 MB, streamed through the writer 500 rows a transaction.
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: IMPORT_LIMIT }, (_req, body, done) => done(null, body));
  app.post('/v1/import/:kind', { bodyLimit: IMPORT_LIMIT }, async (req, reply) => {
    if (!(await authorize(req, reply, ctx.keys, ADMIN))) return reply;
    const { kind } = req.params as { kind: string };
    if (kind !== 'outcomes' && kind !== 'events') return fail(reply, 404, 'expected /v1/import/outcomes or /v1/import/events');
    if (typeof req.body !== 'string') return fail(reply, 415, 'expected a text/csv body');
    const site = typeof (req.query as Record<string, unknown>).site === 'string' ? String((req.query as Record<string, unknown>).site).slice(0, 64) : 'offline';
    const answer: ImportSummary = await importCsv(
      (job) =>
        ctx.writer.run(async (trx, _afterCommit, stage) => {
          const changes: StageChange[] = [];
          await job(trx, changes);
          stage(changes);
        }),
      ctx.live().models,
      kind,
      [req.body],
      { site },
    );
    return answer;
  });

  app.post('/v1/track', async (req, reply) => {
    if (!(await authorize(req, reply, ctx.keys, ADMIN))) return reply;
    const parsed = TrackRequest.safeParse(req.body);
    if (!parsed.success) return fail(reply, 400, 'invalid track request', formatIssues(parsed.error.issues));
    const t = parsed.data;
    const found = await ctx.writer.run(async (trx, _afterCommit, stage) => {
      const models = ctx.live().models;
      let ok = true;
      if (t.touchpoint) {
        const r = await addTouchpoint(trx, models, { email: t.email, kind: t.touchpoint.kind, at: t.touchpoint.at, ...(t.touchpoint.title ? { title: t.touchpoint.title } : {}) }, 'offline', ctx.now());
        ok &&= r.found;
        stage(r.changes);
      }
      if (t.outcome && ok) {
        const r = await setOutcome(trx, models, t.email, t.outcome, ctx.now());
        ok &&= r.found;
        stage(r.changes);
      }
      return ok;
    });
    const answer: TrackAnswer = { ok: true };
    return found ? answer : fail(reply, 404, 'no lead with this email address');
  });
}

/**
 * Rescores every lead under the live models, in the background (server/scoring/rescore.ts): a job any
 * instance works through in chunks between ingest jobs, resumable after a crash; progress at
 * GET /v1/rescoring.
 */
export async function rescoreAll(ctx: ServerContext): Promise<void> {
  await ctx.writer.run((trx) => enqueueRescore(trx, ctx.now()));
  ctx.rescorer.wake();
}
