import { z } from 'zod';
import { HttpUrl, LIMITS, Timestamp } from './event.ts';
import { Outcome } from './lead.ts';

// The admin API (Bearer admin token): models, offline tracking and email links. One schema
// per shape crossing the boundary; the server parses requests with them, clients can parse
// answers with them.

// --- models ----------------------------------------------------------------------------------

export const ModelStatus = z.enum(['draft', 'live', 'retired']);
export type ModelStatus = z.infer<typeof ModelStatus>;

/** GET /v1/models -> { items: ModelListItem[] } */
export const ModelListItem = z.object({
  id: z.string(),
  version: z.number().int(),
  name: z.string(),
  status: ModelStatus,
  publishedAt: z.number().optional(),
  /** The live version of the primary model: the hot list's default, and what tagging mode edits. */
  primary: z.boolean().optional(),
});
export type ModelListItem = z.infer<typeof ModelListItem>;

export const ModelList = z.object({ items: z.array(ModelListItem) });
export type ModelList = z.infer<typeof ModelList>;

/** POST /v1/models (201): the version is live; every lead is rescored in the background. */
export const PublishAnswer = z.object({ id: z.string(), version: z.number().int(), rescoring: z.literal(true) });
export type PublishAnswer = z.infer<typeof PublishAnswer>;

/** GET /v1/rescoring: the latest rescoring after a publish (none yet: `running: false`, no counts). */
export const RescoreStatus = z.object({
  running: z.boolean(),
  done: z.number().int().optional(),
  total: z.number().int().optional(),
  startedAt: z.number().optional(),
  finishedAt: z.number().optional(),
});
export type RescoreStatus = z.infer<typeof RescoreStatus>;

export const RULE_LISTS = ['fitRules', 'interestRules', 'negativeRules', 'handRaise'] as const;
export const RuleList = z.enum(RULE_LISTS);
export type RuleList = z.infer<typeof RuleList>;

export const FieldChange = z.object({ path: z.string(), before: z.unknown(), after: z.unknown() });
export type FieldChange = z.infer<typeof FieldChange>;

export const ModelChange = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('rule-added'), list: RuleList, id: z.string(), rule: z.unknown() }),
  z.object({ kind: z.literal('rule-removed'), list: RuleList, id: z.string(), rule: z.unknown() }),
  z.object({ kind: z.literal('rule-changed'), list: RuleList, id: z.string(), fields: z.array(FieldChange) }),
  z.object({ kind: z.literal('value-changed'), path: z.string(), before: z.unknown(), after: z.unknown() }),
  z.object({ kind: z.literal('domains-changed'), list: z.enum(['ownDomains', 'competitorDomains']), added: z.array(z.string()), removed: z.array(z.string()) }),
]);
export type ModelChange = z.infer<typeof ModelChange>;

/** GET /v1/models/:id/diff?from=&to= */
export const DiffAnswer = z.object({ changes: z.array(ModelChange), summary: z.string() });
export type DiffAnswer = z.infer<typeof DiffAnswer>;

// --- offline tracking ------------------------------------------------------------------------

export const TOUCHPOINT_KINDS = ['webinar', 'trade_fair', 'call', 'meeting', 'other'] as const;
export const TouchpointKind = z.enum(TOUCHPOINT_KINDS);
export type TouchpointKind = z.infer<typeof TouchpointKind>;

/** POST /v1/track -> { ok: true } | 404 (no lead with this email). */
export const TrackRequest = z
  .strictObject({
    email: z.email().max(254),
    outcome: Outcome.optional(),
    touchpoint: z.strictObject({ kind: TouchpointKind, at: Timestamp, title: z.string().max(LIMITS.text).optional() }).optional(),
  })
  .refine((t) => t.outcome || t.touchpoint, { error: 'expected outcome or touchpoint', path: ['outcome'] });
export type TrackRequest = z.infer<typeof TrackRequest>;

export const TrackAnswer = z.object({ ok: z.literal(true) });
export type TrackAnswer = z.infer<typeof TrackAnswer>;

// --- CSV import ------------------------------------------------------------------------------

/**
 * POST /v1/import/outcomes | /v1/import/events, body `text/csv` (the `leadglow import` formats:
 * `email,result,date,value` and `email,kind,date,title`). Rows for unknown emails are skipped
 * and counted; bad rows are listed with their line and do not stop the others.
 */
export const CsvReject = z.object({ line: z.number().int(), errors: z.array(z.string()) });
export type CsvReject = z.infer<typeof CsvReject>;
export const ImportSummary = z.object({
  imported: z.number().int(),
  skipped: z.number().int(),
  duplicates: z.number().int(),
  rejects: z.array(CsvReject),
});
export type ImportSummary = z.infer<typeof ImportSummary>;

// --- email links -----------------------------------------------------------------------------

/**
 * POST /v1/email-links: tracking URLs for one message to one lead. The lead must exist (a
 * known email); `sentAt` (default: now) lets the server flag opens seconds after sending.
 */
export const EmailLinksRequest = z.strictObject({
  email: z.email().max(254),
  messageId: z.string().min(1).max(LIMITS.key),
  campaign: z.string().min(1).max(LIMITS.text).optional(),
  targets: z.array(HttpUrl).max(50).default([]),
  sentAt: Timestamp.optional(),
});
export type EmailLinksRequest = z.input<typeof EmailLinksRequest>;

export const EmailLinksAnswer = z.object({
  leadId: z.string(),
  /** Absolute URL of the 1x1 tracking pixel (put it in an <img>). */
  pixel: z.string(),
  /** One signed redirect per target, in the order given. */
  links: z.array(z.object({ target: z.string(), url: z.string() })),
});
export type EmailLinksAnswer = z.infer<typeof EmailLinksAnswer>;
