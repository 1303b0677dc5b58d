import { z } from 'zod';
import { EventType } from './event.ts';
import { Evidence, Feedback, Grade, Lead, Stage, StageReason } from './lead.ts';

// The server's read API, as the extension and the CLI see it. Paths (all under the server
// origin, `Authorization: Bearer <token>`):
//   GET  /v1/me                               -> Me            (any token: tests a token)
//   GET  /v1/leads?email=a@b.com              -> LeadView      (rep)
//   GET  /v1/leads/:id                        -> LeadView      (rep)
//   GET  /v1/leads/:id/timeline?before=&limit -> TimelinePage  (rep)
//   GET  /v1/accounts/:domain                 -> Account       (rep)
//   GET  /v1/hot?model=&limit=                -> HotList       (rep)
//   POST /v1/leads/:id/feedback  FeedbackRequest -> Feedback   (rep)
//   GET  /v1/stream                           -> text/event-stream of `stage` events: StageChange (rep)
// Errors are ApiError with a 4xx/5xx status.

export const ApiError = z.object({
  error: z.string(),
  details: z.array(z.string()).optional(),
});
export type ApiError = z.infer<typeof ApiError>;

export const Role = z.enum(['site', 'rep', 'admin']);
export type Role = z.infer<typeof Role>;

/** A rep or admin token's own addresses, lowercased (as `keys.emails` stores them). */
export const KeyEmails = z.array(z.string()).max(10);
export type KeyEmails = z.infer<typeof KeyEmails>;

/** The origins a site key may send events from, lowercased (as `keys.origins` stores them). */
export const KeyOrigins = z.array(z.string());
export type KeyOrigins = z.infer<typeof KeyOrigins>;

/** The token's holder: `emails` are the rep's own addresses (never shown as a lead). */
export const Me = z.object({ role: Role, name: z.string().optional(), workspaceDomains: z.array(z.string()), emails: KeyEmails.optional() });
export type Me = z.infer<typeof Me>;

export const AccountMember = z.object({
  id: z.string(),
  name: z.string().optional(),
  email: z.string(),
  jobTitle: z.string().optional(),
  stage: Stage,
  interest: z.number(),
});
export type AccountMember = z.infer<typeof AccountMember>;

export const Account = z.object({
  domain: z.string(),
  name: z.string().optional(),
  /** Interest summed over members under the primary model. */
  interest: z.number(),
  members: z.array(AccountMember),
});
export type Account = z.infer<typeof Account>;

export const TrendPoint = z.object({ at: z.number(), interest: z.number() });

/** Everything the side panel shows for one lead. `scores[0]` is the primary (live) model. */
export const LeadView = z.object({
  lead: Lead,
  /** Interest under the primary model, one point a day for the last 30 days. */
  trend: z.array(TrendPoint),
  account: Account.optional(),
  /** When the server computed this view (ms); caches show their age from it. */
  at: z.number(),
});
export type LeadView = z.infer<typeof LeadView>;

export const TimelineItem = z.object({
  id: z.string(),
  type: EventType,
  ts: z.number(),
  /** What happened, as data; the extension words it ("visited Pricing (/pricing)"). */
  what: Evidence,
  url: z.string().optional(),
  sessionId: z.string(),
  engagedMs: z.number().optional(),
  /** An email open or click made by a machine (scanner, image proxy): shown, not scored. */
  machine: z.boolean().optional(),
  points: z.number().optional(),
});
export type TimelineItem = z.infer<typeof TimelineItem>;

export const TimelinePage = z.object({
  items: z.array(TimelineItem),
  /** Pass as `before` for the next (older) page; absent on the last page. */
  next: z.string().optional(),
});
export type TimelinePage = z.infer<typeof TimelinePage>;

export const HotLead = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().optional(),
  company: z.string().optional(),
  stage: Stage,
  fit: z.object({ score: z.number(), grade: Grade }),
  interest: z.number(),
  modelId: z.string(),
  /** Became an MQL or sales-ready in the last 7 days. */
  isNew: z.boolean(),
  /** When it last became an MQL or sales-ready (ms), if the server recorded it: the panel marks leads that did so since the rep last looked. */
  hotSince: z.number().optional(),
  lastSeen: z.number(),
});
export type HotLead = z.infer<typeof HotLead>;

export const HotList = z.object({ items: z.array(HotLead) });
export type HotList = z.infer<typeof HotList>;

export const FeedbackRequest = z.strictObject({
  verdict: Feedback.shape.verdict,
  reason: z.string().max(500).optional(),
});
export type FeedbackRequest = z.infer<typeof FeedbackRequest>;

export const StageChange = z.object({
  leadId: z.string(),
  email: z.string().optional(),
  name: z.string().optional(),
  modelId: z.string(),
  from: Stage,
  to: Stage,
  reason: StageReason,
  at: z.number(),
});
export type StageChange = z.infer<typeof StageChange>;


/**
 * What a webhook receives (POST, JSON, header `Leadglow-Signature`): Slack's `text` (also
 * Mattermost, Rocket.Chat) plus the change itself, so a program can parse it with this schema.
 */
export const WebhookBody = z.object({
  type: z.literal('lead.stage_changed'),
  text: z.string(),
  change: StageChange,
  /**
   * The same for every copy of one change (also in header Idempotency-Key): delivery is at
   * least once (a retry after a timeout, an instance that died mid-delivery), so a receiver
   * that must act once drops keys it has seen.
   */
  idempotencyKey: z.string().optional(),
});
export type WebhookBody = z.infer<typeof WebhookBody>;
