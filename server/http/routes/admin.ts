import { z } from 'zod';
import { TrackRequest, type ImportSummary, type RescoreStatus, type DiffAnswer, type ModelList, type PublishAnswer, type TrackAnswer } from '../../../shared/contracts/admin.ts';
import { Model } from '../../../shared/contracts/model.ts';
import { VersionNote } from '../../../shared/contracts/marketing.ts';
import type { StageChange } from '../../../shared/contracts/api.ts';
import type { ServerContext } from '../context.ts';
import { ADMIN, keyOf, roleGroup } from '../auth.ts';
import { fail } from '../fail.ts';
import { contract } from '../validate.ts';
import { anyValue } from '../query-fields.ts';
import { storedModel } from '../../db/model-rows.ts';
import { lockModelsForPublish } from '../../scoring/live-models.ts';
import { rescoreStatus } from '../../scoring/rescore.ts';
import { rescoreAll } from '../../scoring/rescore-all.ts';
import { diffModels, formatDiff } from '../../scoring/model-diff.ts';
import { importCsv } from '../../import/import-csv.ts';
import { publishStamp } from '../../scoring/model-versions.ts';
import { addTouchpoint, setOutcome } from '../../import/touchpoints-and-outcomes.ts';
import type { FastifyInstance } from 'fastify';

// Admin API: models (list, get, validate, publish with a background rescore, diff) and
// server-side tracking of offline touchpoints and CRM outcomes.
//   GET  /v1/models                      -> { items: [{ id, version, name, status, publishedAt }] }
//   GET  /v1/models/:id?version=         -> Model (the live version by default)
//   POST /v1/models/validate   Model     -> { ok: true } | 400 { error, details }
//   POST /v1/models?note=      Model     -> { id, version, rescoring: true }   (publishes; keeps the key and note)
//   GET  /v1/models/:id/diff?from=&to=   -> { changes, summary }
//   POST /v1/track  { email, outcome? , touchpoint? } -> { ok, lead }
//   POST /v1/import/outcomes|events  text/csv        -> ImportSummary (line-numbered rejects)
// Request and answer shapes: shared/contracts/admin.ts.

const IMPORT_LIMIT = 20 * 1024 * 1024;

const IdParams = contract(z.object({ id: z.string() }));
const ModelBody = contract(Model, { error: 'invalid model' });
/** Any other `version` (or none) means the live one. */
const VersionQuery = contract(z.object({ version: z.unknown().optional().transform((v) => (typeof v === 'string' && /^\d{1,6}$/.test(v) ? Number(v) : undefined)) }));
const DiffQuery = contract(
  z.object({ from: anyValue(), to: anyValue() }).transform((q, c) => {
    const from = Number(q.from);
    const to = Number(q.to);
    if (!Number.isInteger(from) || !Number.isInteger(to)) {
      c.addIssue({ code: 'custom', message: 'expected ?from=VERSION&to=VERSION' });
      return z.NEVER;
    }
    return { from, to };
  }),
);
/** The body is the model itself, so its note rides in the query: ?note=why. */
const NoteQuery = contract(z.object({ note: VersionNote.optional() }), { error: 'invalid note' });
const ImportParams = contract(z.object({ kind: z.string() }));
/** Rows' `site` (at most 64 characters); `offline` when not given. */
const ImportQuery = contract(z.object({ site: z.unknown().optional().transform((v) => (typeof v === 'string' ? v.slice(0, 64) : 'offline')) }));

export function adminRoutes(app: FastifyInstance, ctx: ServerContext): void {
  roleGroup(app, ctx.keys, ADMIN, (admin) => {
    admin.get('/v1/models', async () => {
      const rows = await ctx.db.read.selectFrom('models').select(['id', 'version', 'json', 'status', 'published_at']).orderBy('id').orderBy('version', 'desc').execute();
      const primaryId = ctx.live().primary.id;
      const answer: ModelList = {
        items: rows.map((r) => ({
          id: r.id,
          version: r.version,
          name: storedModel(r).name,
          status: r.status,
          ...(r.published_at !== null ? { publishedAt: r.published_at } : {}),
          ...(r.status === 'live' && r.id === primaryId ? { primary: true } : {}),
        })),
      };
      return answer;
    });

    admin.get('/v1/rescoring', async () => {
      const answer: RescoreStatus = await rescoreStatus(ctx.db.read);
      return answer;
    });

    admin.get('/v1/models/:id', { schema: { params: IdParams, querystring: VersionQuery } }, async (req, reply) => {
      const { id } = req.params;
      const { version } = req.query;
      let q = ctx.db.read.selectFrom('models').select(['id', 'version', 'json']).where('id', '=', id);
      q = version !== undefined ? q.where('version', '=', version) : q.where('status', '=', 'live');
      const row = await q.executeTakeFirst();
      return row ? storedModel(row) : fail(reply, 404, 'no such model or version');
    });

    admin.post('/v1/models/validate', { schema: { body: ModelBody } }, async () => ({ ok: true }));

    admin.get('/v1/models/:id/diff', { schema: { params: IdParams, querystring: DiffQuery } }, async (req, reply) => {
      const { id } = req.params;
      const { from, to } = req.query;
      const rows = await ctx.db.read.selectFrom('models').select(['id', 'version', 'json']).where('id', '=', id).where('version', 'in', [from, to]).execute();
      const a = rows.find((r) => r.version === from);
      const b = rows.find((r) => r.version === to);
      if (!a || !b) return fail(reply, 404, 'no such model version');
      const changes = diffModels(storedModel(a), storedModel(b));
      const answer: DiffAnswer = { changes, summary: formatDiff(changes) };
      return answer;
    });

    admin.post('/v1/models', { schema: { body: ModelBody, querystring: NoteQuery } }, async (req, reply) => {
      const stamp = publishStamp(keyOf(req), req.query.note);
      const model = req.body;
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
    admin.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: IMPORT_LIMIT }, (_req, body, done) => done(null, body));
    admin.post('/v1/import/:kind', { bodyLimit: IMPORT_LIMIT, schema: { params: ImportParams, querystring: ImportQuery } }, async (req, reply) => {
      const { kind } = req.params;
      if (kind !== 'outcomes' && kind !== 'events') return fail(reply, 404, 'expected /v1/import/outcomes or /v1/import/events');
      // The CSV parser gives a string; JSON gives anything else.
      if (typeof req.body !== 'string') return fail(reply, 415, 'expected a text/csv body');
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
        { site: req.query.site },
      );
      return answer;
    });

    admin.post('/v1/track', { schema: { body: contract(TrackRequest, { error: 'invalid track request' }) } }, async (req, reply) => {
      const t = req.body;
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
  });
}
