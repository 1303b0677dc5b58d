import { z } from 'zod';
import { ModelChange } from './admin.ts';
import { FormIntent } from './event.ts';
import { RuleLabel, Stage } from './lead.ts';
import { Fingerprint } from './model.ts';

export { Fingerprint };

// The marketer's API: drafts and versions, tagging, reports, backtests and predictive
// scoring. Admin token unless said otherwise.
//   GET    /v1/tags?site=SITE_KEY              -> SiteTags   (public: the SDK asks, no token)
//   GET    /v1/tags.js?v=HASH                  -> the tags script (public; immutable when v is current)
//   POST   /v1/tags/health?site=SITE_KEY TagHealthReport -> 204 (public: the tags script's beacon)
//   GET    /v1/tags/health                     -> TagHealthList (shared/contracts/tag-health.ts)
//   GET    /v1/models/:id/draft                -> Model | 404 (no draft)
//   PUT    /v1/models/:id/draft       Model    -> DraftAnswer | 400 { error, details: ["interestRules.0.points: ..."] }
//   DELETE /v1/models/:id/draft                -> { ok: true }
//   POST   /v1/models/:id/draft/tags  TagRequest -> Model (the draft, made from the live version if none)
//   POST   /v1/models/:id/draft/publish  PublishRequest? -> PublishAnswer (201; rescores every lead; the key and note are kept)
//   POST   /v1/models/:id/rollback    RollbackRequest -> PublishAnswer (publishes a copy of an old version as the next one)
//   PUT    /v1/models/:id/draft/form-intents FormIntentRequest -> Model (the draft, made from the live version if none)
//   GET    /v1/models/:id/versions             -> Versions
//   GET    /v1/pages?pattern=GLOB&limit=       -> PageMatches (known page URLs a path glob matches)
//   GET    /v1/reports?model=ID&weeks=N        -> Report
//   POST   /v1/backtest               BacktestRequest -> Backtest
//   GET    /v1/predictive                      -> PredictiveStatus
//   POST   /v1/predictive/train                -> 202 PredictiveStatus (training runs in a worker)

// --- tags the SDK watches ----------------------------------------------------------------------

export const TaggedElement = z.object({
  /** The selector on its pages, hashed: what the tags script's health reports name. */
  id: z.string().min(1).max(64).optional(),
  selector: z.string().min(1).max(300),
  tag: z.string().min(1).max(40),
  /** The pages the tag counts on: a regular expression source for the path, matched ignoring case (absent: every page). */
  scope: z.string().min(1).max(1100).optional(),
  /** Who the element is, for when the selector stops fitting after a deploy. */
  fingerprint: Fingerprint.optional(),
});
export type TaggedElement = z.infer<typeof TaggedElement>;

/**
 * Element selectors of the site's live and draft models: the SDK sends a `click` when one is
 * clicked. `script`, present when there are elements, is the path (on the same server) of the
 * tags script that matches them; the snippet loads it.
 */
export const SiteTags = z.object({
  elements: z.array(TaggedElement).max(200),
  script: z.string().regex(/^\/v1\/[\w.?=&-]{1,200}$/, { error: 'expected a path on the same server, such as /v1/tags.js?v=...' }).optional(),
});
export type SiteTags = z.infer<typeof SiteTags>;

// --- drafts, tagging, versions -------------------------------------------------------------------

export const DraftAnswer = z.object({ id: z.string(), version: z.number().int() });
export type DraftAnswer = z.infer<typeof DraftAnswer>;

const PathGlob = z.string().regex(/^\/\S{0,499}$/, { error: 'expected a path glob starting with /' });
const Tag = z.string().regex(/^[a-z0-9][a-z0-9 _-]{0,39}$/i, { error: 'expected a short tag: letters, digits, space, - and _' });

/** What tagging mode saves: an element (by selector) or a page (by path glob), with its points. */
export const TagRequest = z.discriminatedUnion('target', [
  z.strictObject({
    target: z.literal('element'),
    selector: z.string().min(1).max(300),
    tag: Tag,
    weight: z.number().int().min(1).max(100),
    /** Link or button text, for the rule's label and the sidebar's evidence. */
    text: z.string().max(120).optional(),
    /** The page it was tagged on, for the label. */
    url: z.string().max(2048).optional(),
    /** The pages a click counts on, a glob on the path (`/pricing`, `/blog/*`, `/*` site-wide). Absent: every page, as tags made before scopes. */
    pattern: PathGlob.optional(),
    fingerprint: Fingerprint.optional(),
  }),
  z.strictObject({
    target: z.literal('page'),
    /** A glob on the path: `/pricing`, `/case-studies/*`. */
    pattern: PathGlob,
    tag: Tag,
    weight: z.number().int().min(1).max(100),
  }),
]);
export type TagRequest = z.infer<typeof TagRequest>;

/** The longest version note the server keeps (the dashboard's field stops there too). */
export const VERSION_NOTE_MAX = 500;

/** Why a version was published, in the publisher's words: shown beside it in the version history. */
export const VersionNote = z
  .string()
  .max(VERSION_NOTE_MAX, { error: `expected at most ${VERSION_NOTE_MAX} characters` })
  .transform((s) => s.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').trim());
export type VersionNote = z.infer<typeof VersionNote>;

/** POST /v1/models/:id/draft/publish (body optional). */
export const PublishRequest = z.strictObject({ note: VersionNote.optional() });
export type PublishRequest = z.input<typeof PublishRequest>;

export const RollbackRequest = z.strictObject({ version: z.number().int().min(1), note: VersionNote.optional() });
export type RollbackRequest = z.input<typeof RollbackRequest>;

/** Who published a version: the admin key, and its name (or first address) at the time. */
export const VersionAuthor = z.object({ keyId: z.string(), name: z.string().optional() });
export type VersionAuthor = z.infer<typeof VersionAuthor>;

/** Tagging mode's word on one form: what it is for, or `null` to let the classifier decide again. */
export const FormIntentRequest = z.strictObject({
  /** As the snippet sends it: the form's id, else its name, else its CSS path. */
  formId: z.string().min(1).max(64),
  intent: FormIntent.nullable(),
});
export type FormIntentRequest = z.infer<typeof FormIntentRequest>;

export const VersionItem = z.object({
  version: z.number().int(),
  status: z.enum(['draft', 'live', 'retired']),
  createdAt: z.number(),
  publishedAt: z.number().optional(),
  /** Absent for the starter model and versions published before authors were kept. */
  publishedBy: VersionAuthor.optional(),
  note: z.string().optional(),
  /** Changes from the version before it (empty for the first). */
  changes: z.array(ModelChange),
  summary: z.string(),
});
export type VersionItem = z.infer<typeof VersionItem>;
export const Versions = z.object({ id: z.string(), items: z.array(VersionItem) });
export type Versions = z.infer<typeof Versions>;

export const PageMatches = z.object({
  pattern: z.string(),
  /** Most viewed first. */
  matches: z.array(z.object({ path: z.string(), views: z.number().int() })),
  /** Distinct known paths the pattern matches (matches may be cut to `limit`). */
  total: z.number().int(),
});
export type PageMatches = z.infer<typeof PageMatches>;

// --- reports -------------------------------------------------------------------------------------

/** Weeks start on Monday 00:00 UTC; `week` is that instant in ms. */
export const WeekCount = z.object({ week: z.number(), count: z.number().int() });
export type WeekCount = z.infer<typeof WeekCount>;

export const Band = z.object({
  label: z.string(),
  leads: z.number().int(),
  won: z.number().int(),
  lost: z.number().int(),
  /** won / (won + lost); null without outcomes. */
  conversion: z.number().nullable(),
});
export type Band = z.infer<typeof Band>;

export const Durations = z.object({ count: z.number().int(), medianDays: z.number().nullable(), p75Days: z.number().nullable() });
export type Durations = z.infer<typeof Durations>;

export const RuleContribution = z.object({
  rule: z.string(),
  label: RuleLabel,
  /** Mean points the rule gives a won lead, and a lost one. */
  wonMean: z.number(),
  lostMean: z.number(),
});
export type RuleContribution = z.infer<typeof RuleContribution>;

export const Curve = z.object({
  /** `model-id v3`, or `predictive`. */
  scorer: z.string(),
  /** null when there are not both won and lost leads. */
  auc: z.number().nullable(),
  /** From (0,0) to (1,1). */
  roc: z.array(z.object({ fpr: z.number(), tpr: z.number() })),
  /** Share of leads taken, best scored first -> conversion there / overall conversion. */
  lift: z.array(z.object({ depth: z.number(), lift: z.number() })),
});
export type Curve = z.infer<typeof Curve>;

export const Report = z.object({
  modelId: z.string(),
  modelVersion: z.number().int(),
  at: z.number(),
  leads: z.number().int(),
  won: z.number().int(),
  lost: z.number().int(),
  /** Leads first reaching MQL (or beyond) each week, under this model. */
  mqlsPerWeek: z.array(WeekCount),
  /** The same for the model's draft, when it has one. */
  draftMqlsPerWeek: z.array(WeekCount).optional(),
  /** Conversion by interest score band, and by stage. */
  bands: z.array(Band),
  stages: z.array(Band.extend({ stage: Stage })),
  timeToMql: Durations,
  timeToWon: Durations,
  topRules: z.array(RuleContribution),
  /** This model's scores against outcomes, and the predictive model's when there is one. */
  curves: z.array(Curve),
});
export type Report = z.infer<typeof Report>;

// --- backtest ------------------------------------------------------------------------------------

export const BacktestRequest = z.strictObject({
  /** A draft (unvalidated: errors come back per field), compared with the live version of its id. */
  draft: z.unknown(),
  weeks: z.number().int().min(1).max(260).default(26),
});
export type BacktestRequest = z.input<typeof BacktestRequest>;

export const BacktestSide = z.object({
  modelId: z.string(),
  version: z.number().int(),
  mqlsPerWeek: z.array(WeekCount),
  /** Leads at MQL or beyond now. */
  mqls: z.number().int(),
  /** Of leads that reached MQL and have an outcome, the share won; of won leads, the share that reached MQL. */
  precision: z.number().nullable(),
  recall: z.number().nullable(),
  auc: z.number().nullable(),
});
export type BacktestSide = z.infer<typeof BacktestSide>;

export const StageMove = z.object({
  leadId: z.string(),
  email: z.string().optional(),
  name: z.string().optional(),
  from: Stage,
  to: Stage,
  liveInterest: z.number(),
  draftInterest: z.number(),
  liveFit: z.number(),
  draftFit: z.number(),
});
export type StageMove = z.infer<typeof StageMove>;

export const Backtest = z.object({
  at: z.number(),
  leads: z.number().int(),
  live: BacktestSide,
  draft: BacktestSide,
  /** Leads whose stage now differs, biggest interest change first (cut to 500; `changed` counts all). */
  moves: z.array(StageMove),
  changed: z.number().int(),
});
export type Backtest = z.infer<typeof Backtest>;

// --- predictive ----------------------------------------------------------------------------------

export const FoldScore = z.object({ auc: z.number().nullable(), logLoss: z.number() });
export type FoldScore = z.infer<typeof FoldScore>;

/** The two model families `train` chooses between by cross-validation. */
export const ModelFamily = z.enum(['logistic', 'trees']);
export type ModelFamily = z.infer<typeof ModelFamily>;

/** One family's cross-validated figures (mean over the folds). */
export const FamilyScore = z.object({ family: ModelFamily, auc: z.number().nullable(), logLoss: z.number() });
export type FamilyScore = z.infer<typeof FamilyScore>;

/** One point of a reliability curve: leads whose calibrated out-of-fold probability fell in a band. */
export const ReliabilityBin = z.object({ predicted: z.number(), observed: z.number(), count: z.number().int() });
export type ReliabilityBin = z.infer<typeof ReliabilityBin>;

/** A column `train` left out, and why (identifier, sequence number, or too predictive to be true). */
export const ExcludedColumn = z.object({ column: z.string(), why: z.enum(['identifier', 'sequence', 'too-predictive']), auc: z.number().optional() });
export type ExcludedColumn = z.infer<typeof ExcludedColumn>;

/** A trained model's evaluation: stratified k-fold cross-validation on the training rows. */
export const Evaluation = z.object({
  auc: z.number().nullable(),
  logLoss: z.number(),
  folds: z.array(FoldScore),
  /** Plain logistic regression (one-hot, standardised, L2 as scikit-learn's default) on the same folds, for comparison. */
  baselineAuc: z.number().nullable().optional(),
  rows: z.number().int(),
  positives: z.number().int(),
  /** The family chosen, and both families' figures on the same folds (absent in models from before families). */
  family: ModelFamily.optional(),
  families: z.array(FamilyScore).optional(),
  /** Calibrated out-of-fold probabilities against what happened, in bands of about equal size. */
  reliability: z.array(ReliabilityBin).optional(),
  excluded: z.array(ExcludedColumn).optional(),
});
export type Evaluation = z.infer<typeof Evaluation>;

export const PredictiveSummary = z.object({
  id: z.string(),
  trainedAt: z.number(),
  features: z.number().int(),
  evaluation: Evaluation,
});
export type PredictiveSummary = z.infer<typeof PredictiveSummary>;

/**
 * Why a predictive run was kept or not, as data: each reader words it in their language
 * (shared/scoring/wording.ts `wordRunWhy`). AUCs are null when a side had none.
 */
export const RunWhy = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('first'), auc: z.number().nullable() }),
  z.object({
    kind: z.literal('compared'),
    accepted: z.boolean(),
    newAuc: z.number().nullable(),
    currentAuc: z.number().nullable(),
    /** How many leads both models were scored on. */
    leads: z.number().int(),
    /** `fresh`: leads decided since the current model was trained; `same`: all leads (too few fresh ones, fewer than `min` of an outcome). */
    ground: z.enum(['fresh', 'same']),
    min: z.number().int(),
  }),
  z.object({ kind: z.literal('too-few'), won: z.number().int(), lost: z.number().int(), min: z.number().int() }),
  z.object({ kind: z.literal('installed'), file: z.string(), auc: z.number().nullable() }),
  /** The worker's error message (technical, as thrown). */
  z.object({ kind: z.literal('failed'), message: z.string() }),
]);
export type RunWhy = z.infer<typeof RunWhy>;

export const PredictiveStatus = z.object({
  current: PredictiveSummary.optional(),
  /**
   * Set instead of `current` when the current run's stored model does not decode: the run and
   * why (table, column, row and the fields refused). Leads get no probability until a run replaces it.
   */
  currentUnreadable: z.object({ run: z.string(), reason: z.string() }).optional(),
  training: z.boolean(),
  /** The last run: a new model replaces the current one only if it evaluates at least as well. */
  lastRun: z
    .object({
      at: z.number(),
      accepted: z.boolean(),
      /** `why` in English, for logs and scripts; runs stored before `why` existed have only this. */
      reason: z.string(),
      why: RunWhy.optional(),
      evaluation: Evaluation.optional(),
      /** Why `evaluation` is missing although the run stored one: it does not decode. */
      evaluationUnreadable: z.string().optional(),
    })
    .optional(),
  /** Retrain interval in hours; 0 = on demand only. */
  scheduleHours: z.number(),
});
export type PredictiveStatus = z.infer<typeof PredictiveStatus>;
