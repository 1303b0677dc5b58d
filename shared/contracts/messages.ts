import { z } from 'zod';
import { Account, FeedbackRequest, HotList, LeadView, Me, StageChange, TimelinePage } from './api.ts';
import { FormIntent } from './event.ts';
import { PageMatches, TagRequest } from './marketing.ts';
import { FormIntentOverride } from './model.ts';

// The extension's internal messages (content scripts, background, panel, options), as zod schemas.
// Each side parses what it receives: a content script runs next to a page we do not trust,
// and a panel may outlive the background that answered it.

export const SiteId = z.enum(['gmail', 'outlook', 'hubspot', 'salesforce', 'pipedrive', 'generic']);
export type SiteId = z.infer<typeof SiteId>;

/** Where on the page the address was: ranks a thread's sender before its recipients. */
export const FoundRole = z.enum(['record', 'sender', 'recipient', 'mention']);
export type FoundRole = z.infer<typeof FoundRole>;

export const FoundLead = z.object({
  email: z.string().min(3).max(254),
  name: z.string().max(300).optional(),
  role: FoundRole,
});
export type FoundLead = z.infer<typeof FoundLead>;

/** Why an address on the page is not offered as a lead. */
export const DropReason = z.enum(['self', 'colleague', 'role', 'list', 'automated']);
export type DropReason = z.infer<typeof DropReason>;
export const DroppedAddress = z.object({ email: z.string().min(3).max(254), reason: DropReason });
export type DroppedAddress = z.infer<typeof DroppedAddress>;

/**
 * What a content script saw on its page. `self` are the signed-in rep's own addresses.
 * `expected`: the page is a record or an open message, so it should name a lead; with no
 * lead, the panel says the adapter found nothing and shows `region` and `dropped`.
 */
export const PageLeads = z.object({
  site: SiteId,
  url: z.string().max(4096),
  leads: z.array(FoundLead).max(100),
  self: z.array(z.string().max(254)).max(10).default([]),
  domain: z.string().max(253).optional(),
  expected: z.boolean().optional(),
  region: z.string().max(300).optional(),
  dropped: z.array(DroppedAddress).max(100).optional(),
});
export type PageLeads = z.infer<typeof PageLeads>;

// Requests (content script, panel, options -> background).
export const LeadsFound = z.object({ type: z.literal('leads-found'), page: PageLeads });
export const GetStatus = z.object({ type: z.literal('get-status') });
export const GetTab = z.object({ type: z.literal('get-tab'), tabId: z.number().int() });
export const GetLead = z.object({ type: z.literal('get-lead'), email: z.string().min(3).max(254), refresh: z.boolean().optional() });
/** `before`: the cursor of the previous page's `next`, for older items. */
export const GetTimeline = z.object({ type: z.literal('get-timeline'), leadId: z.string().min(1), before: z.string().min(1).max(200).optional() });
export const GetAccount = z.object({ type: z.literal('get-account'), domain: z.string().min(1).max(253) });
export const GetHot = z.object({ type: z.literal('get-hot') });
export const SendFeedback = z.object({ type: z.literal('send-feedback'), leadId: z.string().min(1), feedback: FeedbackRequest });
export const SaveConnection = z.object({ type: z.literal('save-connection'), serverUrl: z.string().url(), token: z.string().min(1).max(500) });
export const SetSites = z.object({ type: z.literal('set-sites'), sites: z.array(SiteId), origins: z.array(z.string().max(300)).max(50) });
export const ClearAlerts = z.object({ type: z.literal('clear-alerts') });
/** The rep's own addresses, typed in the options page: never offered as a lead. */
export const SetOwnEmails = z.object({
  type: z.literal('set-own-emails'),
  emails: z.array(z.string().regex(/^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/, 'expected an email address')).max(10),
});

// Tagging mode. The panel switches it on and off for a tab; the tagger in that tab (and only
// there: the background checks the sender) asks for the model's tags and saves new ones.
export const TaggingStart = z.object({ type: z.literal('tagging-start'), tabId: z.number().int() });
export const TaggingStop = z.object({ type: z.literal('tagging-stop'), tabId: z.number().int().optional() });
export const TaggingState = z.object({ type: z.literal('tagging-state'), tabId: z.number().int() });
export const TaggingContext = z.object({ type: z.literal('tagging-context'), url: z.string().max(4096) });
export const TaggingSave = z.object({ type: z.literal('tagging-save'), modelId: z.string().min(1).max(64), request: TagRequest });
export const TaggingPages = z.object({ type: z.literal('tagging-pages'), pattern: z.string().min(1).max(500) });
export const TaggingPublish = z.object({ type: z.literal('tagging-publish'), modelId: z.string().min(1).max(64) });
export const TaggingDashboard = z.object({ type: z.literal('tagging-dashboard') });
/** The hand-raise control: one form's intent in the draft, or `null` to let the classifier decide. */
export const TaggingFormIntent = z.object({ type: z.literal('tagging-form-intent'), modelId: z.string().min(1).max(64), formId: z.string().min(1).max(64), intent: FormIntent.nullable() });

export const Request = z.discriminatedUnion('type', [
  LeadsFound, GetStatus, GetTab, GetLead, GetTimeline, GetAccount, GetHot, SendFeedback, SaveConnection, SetSites, ClearAlerts, SetOwnEmails,
  TaggingStart, TaggingStop, TaggingState, TaggingContext, TaggingSave, TaggingPages, TaggingPublish, TaggingDashboard, TaggingFormIntent,
]);
export type Request = z.infer<typeof Request>;

// Replies. A problem is what the panel shows instead of data.
export const Problem = z.enum(['not-configured', 'unauthorized', 'unreachable', 'not-found', 'invalid']);
export type Problem = z.infer<typeof Problem>;
const Failed = z.object({ status: z.literal('problem'), problem: Problem, message: z.string().optional() });

export const Alert = z.object({ change: StageChange, seen: z.boolean() });
export type Alert = z.infer<typeof Alert>;

export const StatusReply = z.object({
  configured: z.boolean(),
  serverUrl: z.string().optional(),
  me: Me.optional(),
  ownEmails: z.array(z.string()).optional(),
  /** Last answer from the server: the panel shows "signed out" or "offline" from it. */
  connection: z.enum(['unknown', 'online', 'unauthorized', 'unreachable']),
  alerts: z.array(Alert),
  sites: z.array(SiteId),
  origins: z.array(z.string()),
});
export type StatusReply = z.infer<typeof StatusReply>;

export const TabReply = z.object({ page: PageLeads.optional() });
export type TabReply = z.infer<typeof TabReply>;

/** `offline`: served from the cache because the server could not be reached. */
export const LeadReply = z.discriminatedUnion('status', [
  z.object({ status: z.literal('ok'), view: LeadView, fetchedAt: z.number(), refreshing: z.boolean() }),
  z.object({ status: z.literal('offline'), view: LeadView, fetchedAt: z.number() }),
  Failed,
]);
export type LeadReply = z.infer<typeof LeadReply>;

export const TimelineReply = z.discriminatedUnion('status', [z.object({ status: z.literal('ok'), page: TimelinePage }), Failed]);
export type TimelineReply = z.infer<typeof TimelineReply>;
export const AccountReply = z.discriminatedUnion('status', [z.object({ status: z.literal('ok'), account: Account }), Failed]);
export type AccountReply = z.infer<typeof AccountReply>;
export const HotReply = z.discriminatedUnion('status', [z.object({ status: z.literal('ok'), hot: HotList }), Failed]);
export type HotReply = z.infer<typeof HotReply>;
export const DoneReply = z.discriminatedUnion('status', [z.object({ status: z.literal('ok') }), Failed]);
export type DoneReply = z.infer<typeof DoneReply>;
export const ConnectionReply = z.discriminatedUnion('status', [z.object({ status: z.literal('ok'), me: Me }), Failed]);
export type ConnectionReply = z.infer<typeof ConnectionReply>;

/** `needs-access`: the browser has not granted this extension the tab's site; the panel asks for it. */
export const TaggingStartReply = z.discriminatedUnion('status', [
  z.object({ status: z.literal('ok') }),
  z.object({ status: z.literal('needs-access') }),
  Failed,
]);
export type TaggingStartReply = z.infer<typeof TaggingStartReply>;
export const TaggingStateReply = z.object({ on: z.boolean() });
export type TaggingStateReply = z.infer<typeof TaggingStateReply>;

/** An existing tag the tagger shows as a badge: a model rule's selector or path, or page markup. */
export const KnownTag = z.object({
  source: z.enum(['live', 'draft']),
  ruleId: z.string(),
  label: z.string(),
  points: z.number(),
  selector: z.string().optional(),
  path: z.string().optional(),
});
export type KnownTag = z.infer<typeof KnownTag>;
export const TaggingModel = z.object({ id: z.string(), name: z.string(), version: z.number().int(), draftVersion: z.number().int().optional() });
export type TaggingModel = z.infer<typeof TaggingModel>;
export const TaggingContextReply = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('ok'),
    model: TaggingModel,
    tags: z.array(KnownTag),
    /** The marketer's form intents in the draft (else the live version), for the hand-raise control. */
    formIntents: z.array(FormIntentOverride).optional(),
    /** The intents that make a form sent on this page a hand-raise under that model's rules. */
    handRaiseIntents: z.array(FormIntent).optional(),
  }),
  Failed,
]);
export type TaggingContextReply = z.infer<typeof TaggingContextReply>;
export const TaggingSaveReply = z.discriminatedUnion('status', [
  z.object({ status: z.literal('ok'), model: TaggingModel, ruleId: z.string().optional() }),
  Failed.extend({ details: z.array(z.string()).optional() }),
]);
export type TaggingSaveReply = z.infer<typeof TaggingSaveReply>;
export const TaggingFormIntentReply = z.discriminatedUnion('status', [
  z.object({ status: z.literal('ok'), model: TaggingModel, formIntents: z.array(FormIntentOverride) }),
  Failed.extend({ details: z.array(z.string()).optional() }),
]);
export type TaggingFormIntentReply = z.infer<typeof TaggingFormIntentReply>;
export const TaggingPagesReply = z.discriminatedUnion('status', [z.object({ status: z.literal('ok'), pages: PageMatches }), Failed]);
export type TaggingPagesReply = z.infer<typeof TaggingPagesReply>;
export const TaggingPublishReply = z.discriminatedUnion('status', [z.object({ status: z.literal('ok'), version: z.number().int() }), Failed]);
export type TaggingPublishReply = z.infer<typeof TaggingPublishReply>;

/** Background -> a tagger: leave tagging mode (the panel switched it off). */
export const TaggingOff = z.object({ type: z.literal('tagging-off') });

/** Background -> open panels: something they show has changed; they ask again. */
export const Changed = z.object({
  type: z.literal('changed'),
  what: z.enum(['tab', 'lead', 'status', 'tagging']),
  tabId: z.number().int().optional(),
  email: z.string().optional(),
});
export type Changed = z.infer<typeof Changed>;

/** The reply schema for each request, so a sender can validate what comes back. */
export const REPLIES = {
  'leads-found': DoneReply,
  'get-status': StatusReply,
  'get-tab': TabReply,
  'get-lead': LeadReply,
  'get-timeline': TimelineReply,
  'get-account': AccountReply,
  'get-hot': HotReply,
  'send-feedback': DoneReply,
  'save-connection': ConnectionReply,
  'set-sites': DoneReply,
  'clear-alerts': DoneReply,
  'set-own-emails': DoneReply,
  'tagging-start': TaggingStartReply,
  'tagging-stop': DoneReply,
  'tagging-state': TaggingStateReply,
  'tagging-context': TaggingContextReply,
  'tagging-save': TaggingSaveReply,
  'tagging-pages': TaggingPagesReply,
  'tagging-publish': TaggingPublishReply,
  'tagging-dashboard': DoneReply,
  'tagging-form-intent': TaggingFormIntentReply,
} as const satisfies Record<Request['type'], z.ZodType>;
export type ReplyTo<T extends Request['type']> = z.infer<(typeof REPLIES)[T]>;
