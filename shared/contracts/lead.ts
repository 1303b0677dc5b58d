import { z } from 'zod';

export const STAGES = ['anonymous', 'known', 'engaged', 'mql', 'sales_ready', 'customer', 'disqualified'] as const;
export const Stage = z.enum(STAGES);
export type Stage = z.infer<typeof Stage>;

export const GRADES = ['A', 'B', 'C', 'D'] as const;
export const Grade = z.enum(GRADES);
export type Grade = z.infer<typeof Grade>;

export const Company = z.object({
  domain: z.string().min(1).max(253),
  name: z.string().max(300).optional(),
  industry: z.string().max(100).optional(),
  /** Employees. */
  size: z.number().int().min(0).optional(),
  /** Annual revenue in US dollars. */
  revenue: z.number().min(0).optional(),
  /** ISO 3166-1 alpha-2. */
  country: z.string().length(2).optional(),
});
export type Company = z.infer<typeof Company>;

/** What fit rules look at: who the lead is. */
export const LeadProfile = z.object({
  email: z.string().max(254).optional(),
  name: z.string().max(300).optional(),
  jobTitle: z.string().max(300).optional(),
  seniority: z.enum(['executive', 'vp', 'director', 'manager', 'individual', 'student', 'other']).optional(),
  /** ISO 3166-1 alpha-2; the person's, which may differ from the company's. */
  country: z.string().length(2).optional(),
  company: Company.optional(),
});
export type LeadProfile = z.infer<typeof LeadProfile>;

const LabelText = z.string().min(1).max(120);
/**
 * A rule's name: one string, or one per UI language (`{ en, nl, sv }`, English required), so
 * the sidebar can name the rule in the rep's language. Older models carry a plain string.
 */
export const RuleLabel = z.union([LabelText, z.strictObject({ en: LabelText, nl: LabelText.optional(), sv: LabelText.optional() })]);
export type RuleLabel = z.infer<typeof RuleLabel>;

/** The label in `lang` (`nl`, `sv-SE`, ...), else English, else the plain string. */
export function labelIn(label: RuleLabel, lang: string): string {
  if (typeof label === 'string') return label;
  const base = lang.slice(0, 2).toLowerCase();
  return (base === 'nl' ? label.nl : base === 'sv' ? label.sv : undefined) ?? label.en;
}

export const PROFILE_ATTRIBUTES = [
  'email',
  'name',
  'jobTitle',
  'seniority',
  'country',
  'company.domain',
  'company.name',
  'company.industry',
  'company.size',
  'company.revenue',
  'company.country',
] as const;
export const ProfileAttribute = z.enum(PROFILE_ATTRIBUTES);
export type ProfileAttribute = z.infer<typeof ProfileAttribute>;

/**
 * Classes of email domain. `free` is personal mail (gmail.com and some 14,000 others,
 * disposable providers included); `educational` is a school or university (.edu, ac.uk, ...);
 * `competitor` and `own` come from the model's domain lists; `business` is anything else.
 */
export const EMAIL_CLASSES = ['free', 'educational', 'competitor', 'own', 'business'] as const;
export const EmailClass = z.enum(EMAIL_CLASSES);
export type EmailClass = z.infer<typeof EmailClass>;


/**
 * What a reason or timeline item saw, as data: the extension words it in the rep's language
 * (`extension/panel/words.ts`), the server and CLI in English (`scoring/english.ts`).
 * `page` is a URL path; `title` the page's own title when the event carried one.
 */
export const Evidence = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('visited'), page: z.string(), title: z.string().optional() }),
  z.object({ kind: z.literal('engaged'), page: z.string(), seconds: z.number() }),
  z.object({ kind: z.literal('downloaded'), file: z.string() }),
  /** `intent` and `signal` are set by the server when it recognised what the form was for. */
  z.object({ kind: z.literal('submitted'), form: z.string(), intent: z.string().optional(), signal: z.object({ source: z.string(), text: z.string() }).optional(), page: z.string().optional() }),
  z.object({ kind: z.literal('clicked'), text: z.string().optional(), selector: z.string() }),
  z.object({ kind: z.literal('identified'), source: z.enum(['form', 'email_link', 'api']) }),
  z.object({ kind: z.literal('email-opened'), campaign: z.string() }),
  z.object({ kind: z.literal('email-clicked'), page: z.string(), campaign: z.string() }),
  z.object({ kind: z.literal('custom'), name: z.string(), title: z.string().optional() }),
  z.object({ kind: z.literal('attribute'), attribute: ProfileAttribute, value: z.union([z.string(), z.number()]).optional() }),
  z.object({ kind: z.literal('email-domain'), domain: z.string(), class: EmailClass }),
  z.object({ kind: z.literal('complete'), fields: z.array(ProfileAttribute) }),
  z.object({ kind: z.literal('only-visited'), pattern: z.string() }),
]);
export type Evidence = z.infer<typeof Evidence>;
export type EvidenceKind = Evidence['kind'];

/** One contribution to a score: "+18 visited /pricing (2 days ago)". `at` is ms since the epoch. */
export const Reason = z.object({
  rule: z.string(),
  label: RuleLabel,
  points: z.number(),
  evidence: Evidence,
  at: z.number().optional(),
  /** Events that earned points under this rule. */
  count: z.number().int().optional(),
});
export type Reason = z.infer<typeof Reason>;

export const FitScore = z.object({
  score: z.number().min(0).max(100),
  grade: Grade,
  reasons: z.array(Reason),
  excluded: z.boolean(),
});
export type FitScore = z.infer<typeof FitScore>;

export const InterestScore = z.object({
  score: z.number(),
  asOf: z.number(),
  reasons: z.array(Reason),
});
export type InterestScore = z.infer<typeof InterestScore>;

export const Feedback = z.object({
  verdict: z.enum(['accepted', 'rejected']),
  reason: z.string().max(500).optional(),
  by: z.string().max(200).optional(),
  at: z.number(),
});
export type Feedback = z.infer<typeof Feedback>;

export const Outcome = z.object({
  result: z.enum(['won', 'lost']),
  at: z.number(),
  value: z.number().optional(),
});
export type Outcome = z.infer<typeof Outcome>;

/** Why a lead is in its stage, as data (worded like Evidence). Interest figures are rounded. */
export const StageReason = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('won') }),
  /** `rule` is the exclusion rule's label, when one matched. */
  z.object({ kind: z.literal('excluded'), rule: RuleLabel.optional() }),
  z.object({ kind: z.literal('rejected'), note: z.string().optional() }),
  z.object({ kind: z.literal('anonymous') }),
  z.object({ kind: z.literal('hand-raise'), rule: RuleLabel, evidence: Evidence }),
  z.object({ kind: z.literal('accepted') }),
  z.object({ kind: z.literal('mql'), interest: z.number(), threshold: z.number(), grade: Grade }),
  z.object({ kind: z.literal('engaged'), interest: z.number(), threshold: z.number() }),
  z.object({ kind: z.literal('known') }),
]);
export type StageReason = z.infer<typeof StageReason>;

/** What would move a lead on. */
export const NextStep = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('next-identify') }),
  z.object({ kind: z.literal('next-sales-ready') }),
  z.object({ kind: z.literal('next-again') }),
  z.object({ kind: z.literal('next-mql'), threshold: z.number(), interest: z.number(), minFit: Grade, fit: Grade }),
]);
export type NextStep = z.infer<typeof NextStep>;

/** A lead's scores under one model, with everything the sidebar needs to explain them. */
export const LeadScore = z.object({
  modelId: z.string(),
  modelVersion: z.number().int(),
  fit: FitScore,
  interest: InterestScore,
  stage: Stage,
  /** Why the lead is in its stage, and what would move it on. */
  stageReason: StageReason,
  nextStep: NextStep.optional(),
  /** The model's thresholds, so a reader can place the interest on its scale. */
  thresholds: z.object({ engaged: z.number(), mql: z.number(), minGrade: Grade }).optional(),
  handRaisedAt: z.number().optional(),
});
export type LeadScore = z.infer<typeof LeadScore>;

/**
 * One factor of a prediction: its weight on the log-odds against the average lead (positive
 * raises the chance), `column` and `value` so the extension can word it in the reader's
 * language (`feature` is the English label, for the CLI and older clients).
 */
export const PredictionFactor = z.object({
  feature: z.string(),
  weight: z.number(),
  column: z.string().optional(),
  value: z.union([z.string(), z.number()]).nullable().optional(),
});
export type PredictionFactor = z.infer<typeof PredictionFactor>;

export const Prediction = z.object({
  /** Calibrated on out-of-fold scores: of leads shown 30%, about 30% were won. */
  probability: z.number().min(0).max(1),
  factors: z.array(PredictionFactor),
  modelId: z.string(),
});
export type Prediction = z.infer<typeof Prediction>;

/**
 * Why no probability is shown: too few decided leads to learn from (`won`, `lost`, and
 * `needed` of each), none trained yet, or a model that ranks no better than chance (`auc` and
 * the `needed` AUC).
 * Data, not text: the extension words it in the reader's language.
 */
export const PredictionWithheld = z.discriminatedUnion('reason', [
  z.object({ reason: z.literal('outcomes'), won: z.number().int(), lost: z.number().int(), needed: z.number().int() }),
  /** Enough decided leads, but no model trained on them yet. */
  z.object({ reason: z.literal('untrained'), won: z.number().int(), lost: z.number().int() }),
  z.object({ reason: z.literal('auc'), auc: z.number().nullable(), needed: z.number() }),
]);
export type PredictionWithheld = z.infer<typeof PredictionWithheld>;

export const Lead = z.object({
  id: z.string(),
  emails: z.array(z.string()),
  name: z.string().optional(),
  jobTitle: z.string().optional(),
  seniority: LeadProfile.shape.seniority,
  country: z.string().optional(),
  company: Company.optional(),
  scores: z.array(LeadScore),
  predicted: Prediction.optional(),
  /** Set instead of `predicted` when the predictive model has not earned a probability yet. */
  predictionWithheld: PredictionWithheld.optional(),
  feedback: Feedback.optional(),
  outcome: Outcome.optional(),
  firstSeen: z.number(),
  lastSeen: z.number(),
});
export type Lead = z.infer<typeof Lead>;
