import { z } from 'zod';
import { FormIntent, IntentSignal } from './event.ts';

// What Leadglow will see on a page: `leadglow inspect` prints it, the dashboard shows it.
// Admin token.
//   POST /v1/inspect          InspectRequest -> InspectReport | 400 (bad URL) | 422 (refused or unreachable page)
//   GET  /v1/inspect/pages?limit=            -> KnownPages (pages the server has seen, most viewed first)

/** A page to inspect: a URL, fetched by the server through its outbound checks. */
export const InspectRequest = z.strictObject({
  url: z
    .string()
    .max(2048)
    .regex(/^https?:\/\/[^\s/?#]+/i, { error: 'expected an http(s) URL such as https://www.example.com/pricing' }),
  /** Whose hand-raise rules and form overrides judge the forms; absent: the primary live model. */
  model: z.string().min(1).max(64).optional(),
});
export type InspectRequest = z.infer<typeof InspectRequest>;

/** The signals a form's submission carries, tidied as the server stores them. */
export const FormSignalsRead = z.object({
  formName: z.string().optional(),
  formClass: z.string().optional(),
  action: z.string().optional(),
  autocomplete: z.array(z.string()).optional(),
  kinds: z.array(z.string()).optional(),
  button: z.string().optional(),
  heading: z.string().optional(),
});
export type FormSignalsRead = z.infer<typeof FormSignalsRead>;

export const InspectedForm = z.object({
  /** What the snippet sends as formId: the id, else the name, else a CSS path. */
  id: z.string(),
  fields: z.array(z.string()),
  intent: FormIntent,
  /** The words that decided the intent (`override`: the model's formIntents). */
  signal: IntentSignal.optional(),
  /** Whether the model's hand-raise rules count a submission of it. */
  handRaise: z.boolean(),
  read: FormSignalsRead,
});
export type InspectedForm = z.infer<typeof InspectedForm>;

export const InspectReport = z.object({
  url: z.string(),
  title: z.string().optional(),
  /** In document order. */
  forms: z.array(InspectedForm),
  downloads: z.array(z.string()),
  /** `<meta name="leadglow:weight">` and `<meta name="leadglow:tags">`. */
  meta: z.object({ weight: z.number().optional(), tags: z.array(z.string()).optional() }),
  /** Elements tagged in markup (data-leadglow-weight, data-leadglow-tag). */
  tags: z.array(z.object({ selector: z.string(), text: z.string(), weight: z.number().optional(), tag: z.string().optional() })),
});
export type InspectReport = z.infer<typeof InspectReport>;

export const KnownPages = z.object({
  /** Page addresses (no query or fragment) the snippet has reported, most viewed first. */
  pages: z.array(z.object({ url: z.string(), views: z.number().int() })),
});
export type KnownPages = z.infer<typeof KnownPages>;
