import { z } from 'zod';

// Event contracts: what the SDK sends and the server stores. These schemas sit on the
// ingest hot path, so checks are plain length/regex checks; no `new URL()` refinements.

export const EVENT_TYPES = [
  'page_view',
  'engagement',
  'download',
  'form_submit',
  'click',
  'identify',
  'email_open',
  'email_click',
  'custom',
] as const;
export const EventType = z.enum(EVENT_TYPES);
export type EventType = z.infer<typeof EventType>;

export const LIMITS = {
  batchEvents: 100,
  batchBytes: 64 * 1024,
  url: 2048,
  text: 300,
  key: 64,
  tags: 10,
  tag: 40,
  props: 20,
  propKey: 40,
  propValue: 500,
  weight: 100,
  fields: 50,
} as const;

// PostgreSQL's text refuses NUL (it answered 503 and dropped the batch's good events, issue 18),
// and an unpaired surrogate becomes U+FFFD on the way into a column but not in the stored JSON,
// so one anonymous id would be two. Every string of an event is checked here, on both backends,
// so such an event is one rejection with its path. One scan per string, no backtracking.
const UNSTORABLE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// Almost every string has no NUL and no surrogate at all: one scan of a plain character class
// says so, and only a string with one of them pays for the lookarounds.
const SUSPECT = /[\0\uD800-\uDFFF]/;
/** Whether the database can store `s` as it is (no NUL, no unpaired surrogate). */
export const storable = (s: string): boolean => !SUSPECT.test(s) || !UNSTORABLE.test(s);
const STORABLE_ERROR = { error: 'expected text without NUL characters or unpaired surrogates' };
/** A string the database can store as it is. */
export const Str = (): z.ZodString => z.string().refine(storable, STORABLE_ERROR);

// Lowercase hex with the version nibble 1-8: accepts v4 and v7 (and v1, v6 from other clients).
export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
export const Uuid = z.string().regex(UUID_RE, { error: 'expected a UUID (v7 or v4)' });

export const URL_RE = /^https?:\/\/[^\s/?#]+[^\s]*$/;
export const HttpUrl = Str()
  .max(LIMITS.url, { error: `expected a URL of at most ${LIMITS.url} characters` })
  .regex(URL_RE, { error: 'expected a URL' });

const Key = Str().min(1).max(LIMITS.key);
const Text = Str().max(LIMITS.text);

// Timestamps are integer milliseconds since the epoch: compact on the wire and cheap to check.
// Bounds: 2000-01-01 to 2100-01-01 catch seconds-for-milliseconds and garbage.
export const TS_MIN = 946_684_800_000;
export const TS_MAX = 4_102_444_800_000;
export const Timestamp = z
  .number()
  .int()
  .min(TS_MIN, { error: 'expected milliseconds since the epoch (after 2000)' })
  .max(TS_MAX, { error: 'expected milliseconds since the epoch (before 2100)' });

export const Utm = z.strictObject({
  source: Text.optional(),
  medium: Text.optional(),
  campaign: Text.optional(),
  term: Text.optional(),
  content: Text.optional(),
});
export type Utm = z.infer<typeof Utm>;

const PropValue = z.union([Str().max(LIMITS.propValue), z.number(), z.boolean(), z.null()]);
export const Props = z
  .record(Str().min(1).max(LIMITS.propKey), PropValue)
  .refine((p) => Object.keys(p).length <= LIMITS.props, {
    error: `expected at most ${LIMITS.props} properties`,
  });
export type Props = z.infer<typeof Props>;

const base = {
  id: Uuid,
  ts: Timestamp,
  site: Key,
  anonymousId: Key,
  sessionId: Key,
  url: HttpUrl.optional(),
  title: Text.optional(),
  referrer: z.union([HttpUrl, z.literal('')]).optional(),
  utm: Utm.optional(),
  // A weight tagged in page markup. Browsers can forge it; the model bounds it.
  weight: z.number().min(-LIMITS.weight).max(LIMITS.weight).optional(),
  tags: z.array(Str().min(1).max(LIMITS.tag)).max(LIMITS.tags).optional(),
  props: Props.optional(),
};

export const PageViewEvent = z.strictObject({ ...base, type: z.literal('page_view'), url: HttpUrl });

/** The most visible time one engagement event may report: a day. */
export const ENGAGED_MS_MAX = 86_400_000;

// Visible time on a page, sent when the page is hidden; refers to its page_view.
export const EngagementEvent = z.strictObject({
  ...base,
  type: z.literal('engagement'),
  url: HttpUrl,
  pageViewId: Uuid,
  engagedMs: z.number().int().min(0).max(ENGAGED_MS_MAX),
});

export const DownloadEvent = z.strictObject({
  ...base,
  type: z.literal('download'),
  url: HttpUrl,
  fileUrl: HttpUrl,
  linkText: Text.optional(),
});

/**
 * What a form is for. The server decides it at ingest from the form's own words (see
 * shared/intent/); the first five are a hand-raise in the starter model.
 */
export const FORM_INTENTS = ['demo', 'contact', 'quote', 'trial', 'pricing', 'newsletter', 'download', 'event', 'job', 'login', 'search', 'other'] as const;
export const FormIntent = z.enum(FORM_INTENTS);
export type FormIntent = z.infer<typeof FormIntent>;
export const HAND_RAISE_INTENTS = ['demo', 'contact', 'quote', 'trial', 'pricing'] as const satisfies readonly FormIntent[];

/** Where the deciding words were found: a marketer's override, the form's attributes, its submit button... */
export const INTENT_SOURCES = ['override', 'form', 'button', 'field', 'heading', 'title', 'path'] as const;
export const IntentSource = z.enum(INTENT_SOURCES);
export type IntentSource = z.infer<typeof IntentSource>;
export const IntentSignal = z.strictObject({ source: IntentSource, text: Text });
export type IntentSignal = z.infer<typeof IntentSignal>;

/**
 * Page text cut here rather than in the snippet: every byte of the snippet ships to every
 * visitor, and a hostile page's 10 kB class attribute should shorten, not lose, the event.
 */
const Clipped = (n: number) =>
  Str()
    .nullish()
    .transform((s) => s?.replace(/\s+/g, ' ').trim().slice(0, n) || undefined);
const ClippedList = z
  .array(Str())
  .transform((a) => [...new Set(a.map((s) => s.trim().slice(0, LIMITS.propKey)).filter(Boolean))].slice(0, LIMITS.fields));
/** A form action's path: the origin and the query (which can carry tokens) are dropped. */
const ActionPath = Str()
  .nullish()
  .transform((s) => s?.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*|[?#].*$/gis, '').slice(0, LIMITS.text) || undefined);

export const FormSubmitEvent = z.strictObject({
  ...base,
  type: z.literal('form_submit'),
  url: HttpUrl,
  // Cut here rather than in the snippet (the form's id, or its CSS path when it has none).
  formId: Str().min(1).transform((s) => s.slice(0, LIMITS.key)),
  fields: ClippedList,
  // The form's cheap signals, read by the SDK (shared/intent/extract.ts) for the classifier.
  formName: Clipped(LIMITS.key).optional(),
  formClass: Clipped(LIMITS.text).optional(),
  /** The path of the form's action URL. */
  action: ActionPath.optional(),
  /** Autocomplete tokens of its fields ("email", "organization", "current-password"). */
  autocomplete: ClippedList.optional(),
  /** Notable input types present: password, search, file. */
  kinds: ClippedList.optional(),
  /** The submit button's text (or value, aria-label). */
  button: Clipped(LIMITS.text).optional(),
  /** The nearest heading before or inside the form. */
  heading: Clipped(LIMITS.text).optional(),
  /** Set by the server at ingest; whatever a browser sent here is overwritten. */
  intent: FormIntent.optional(),
  intentSignal: IntentSignal.optional(),
});

export const ClickEvent = z.strictObject({
  ...base,
  type: z.literal('click'),
  url: HttpUrl,
  selector: Str().min(1).max(LIMITS.text),
  text: Text.optional(),
});

export const Traits = z.strictObject({
  email: z.email({ error: 'expected an email address' }).max(254).refine(storable, STORABLE_ERROR).optional(),
  name: Text.optional(),
  company: Text.optional(),
  jobTitle: Text.optional(),
});
export type Traits = z.infer<typeof Traits>;

// `token` is the signed `lg_t` value from an email link; the server resolves it to a lead.
export const IdentifyEvent = z.strictObject({
  ...base,
  type: z.literal('identify'),
  traits: Traits,
  source: z.enum(['form', 'email_link', 'api']),
  token: Str().min(1).max(LIMITS.text).optional(),
  /**
   * From a form: its identity-like fields as ["type autocomplete name", value]. The server sorts
   * them into `traits` at ingest (shared/intent/extract.ts personTraits) and drops them.
   */
  person: z.array(z.tuple([Str().max(LIMITS.text), Str().max(254)])).max(LIMITS.fields).optional(),
}).refine((e) => e.traits.email !== undefined || e.token !== undefined, {
  error: 'expected traits.email or an email-link token',
  path: ['traits', 'email'],
});

export const EmailOpenEvent = z.strictObject({
  ...base,
  type: z.literal('email_open'),
  messageId: Key,
  campaign: Text.optional(),
  // Set by the server for security scanners, image proxies and opens seconds after sending.
  machine: z.boolean().optional(),
});

export const EmailClickEvent = z.strictObject({
  ...base,
  type: z.literal('email_click'),
  messageId: Key,
  campaign: Text.optional(),
  target: HttpUrl,
  machine: z.boolean().optional(),
});

export const CustomEvent = z.strictObject({
  ...base,
  type: z.literal('custom'),
  name: Str().min(1).max(LIMITS.propKey),
});

export const Event = z.discriminatedUnion('type', [
  PageViewEvent,
  EngagementEvent,
  DownloadEvent,
  FormSubmitEvent,
  ClickEvent,
  IdentifyEvent,
  EmailOpenEvent,
  EmailClickEvent,
  CustomEvent,
]);
export type Event = z.infer<typeof Event>;

/**
 * An email open or click made by a machine (security scanner, image proxy, an open seconds after
 * sending): the server sets `machine` at ingest. Shown on the timeline, never scored or counted.
 */
export function isMachineMade(e: Event): boolean {
  return (e.type === 'email_open' || e.type === 'email_click') && e.machine === true;
}
export type EventOf<T extends EventType> = Extract<Event, { type: T }>;
