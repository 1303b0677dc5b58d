import { z } from 'zod';
import { EventType, FormIntent } from './event.ts';
import { EmailClass, Grade, ProfileAttribute, RuleLabel } from './lead.ts';

export { EMAIL_CLASSES, EmailClass, PROFILE_ATTRIBUTES, ProfileAttribute } from './lead.ts';
import { linearRegexError } from '../linear-regex.ts';

// A scoring model is data: marketers write it (as a form or JSON), the server versions it,
// and the engine in shared/scoring compiles and runs it. Every rule has an id that reasons cite.

const RuleId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, { error: 'expected a rule id: lowercase letters, digits, - and _' });
const Label = RuleLabel;

// Patterns run in a linear-time engine (shared/linear-regex.ts), so they must be RE2 syntax.
const regexSource = z
  .string()
  .min(1)
  .max(500)
  .superRefine((source, ctx) => {
    const why = linearRegexError(source);
    if (why) ctx.addIssue({ code: 'custom', message: why });
  });

// Globs match in linear time (shared/scoring/glob.ts); the bound keeps each part cheap.
const Glob = z.string().min(1).max(500);

/** Matches one attribute of a lead's profile. Text comparisons ignore case. */
export const AttributeMatch = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('equals'), attribute: ProfileAttribute, value: z.union([z.string(), z.number()]) }),
  z.strictObject({ op: z.literal('in'), attribute: ProfileAttribute, values: z.array(z.string()).min(1) }),
  z.strictObject({ op: z.literal('notIn'), attribute: ProfileAttribute, values: z.array(z.string()).min(1) }),
  z.strictObject({ op: z.literal('contains'), attribute: ProfileAttribute, values: z.array(z.string().min(1)).min(1) }),
  z.strictObject({ op: z.literal('pattern'), attribute: ProfileAttribute, regex: regexSource }),
  z
    .strictObject({
      op: z.literal('range'),
      attribute: ProfileAttribute,
      min: z.number().optional(),
      max: z.number().optional(),
    })
    .refine((r) => r.min !== undefined || r.max !== undefined, { error: 'expected min or max', path: ['min'] })
    .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, {
      error: 'expected min <= max',
      path: ['max'],
    }),
  z.strictObject({ op: z.literal('exists'), attribute: ProfileAttribute }),
]);
export type AttributeMatch = z.infer<typeof AttributeMatch>;

const fitRuleBase = {
  id: RuleId,
  label: Label,
  points: z.number().min(-100).max(100),
  /** A matching lead is excluded: never scored as an MQL, shown as disqualified. */
  excludes: z.boolean().optional(),
};

export const FitRule = z.discriminatedUnion('kind', [
  z.strictObject({ ...fitRuleBase, kind: z.literal('attribute'), match: AttributeMatch }),
  z.strictObject({ ...fitRuleBase, kind: z.literal('emailDomain'), class: EmailClass }),
  z.strictObject({
    ...fitRuleBase,
    kind: z.literal('complete'),
    fields: z.array(ProfileAttribute).min(1),
  }),
]);
export type FitRule = z.infer<typeof FitRule>;

/**
 * Matches an event. Every given condition must hold. `path` and `file` are globs on the
 * page's and the downloaded file's path (`*` is any run of characters); `urlRegex` is a
 * regular expression (RE2 syntax, run in linear time) on the whole page URL.
 */
/**
 * Who a tagged element is, beside its selector (tagging mode saves both): its tag name, text,
 * link, role and place among same-named siblings. The snippet checks a selector's match against
 * it and falls back to it when the selector finds nothing that fits; the engine ignores it.
 */
export const Fingerprint = z.strictObject({
  tag: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, { error: 'expected a lowercase tag name' }),
  text: z.string().max(60).optional(),
  href: z.string().max(500).optional(),
  role: z.string().max(40).optional(),
  index: z.number().int().min(0).max(10_000).optional(),
});
export type Fingerprint = z.infer<typeof Fingerprint>;

export const EventMatch = z
  .strictObject({
    types: z.array(EventType).min(1).optional(),
    path: Glob.optional(),
    urlRegex: regexSource.optional(),
    file: Glob.optional(),
    tag: z.string().min(1).max(40).optional(),
    selector: z.string().min(1).max(300).optional(),
    /** With `selector`: the element it was made for (see Fingerprint). */
    fingerprint: Fingerprint.optional(),
    formId: z.string().min(1).max(64).optional(),
    /** For `form_submit` events: what the form is for (decided at ingest, or by `formIntents`). */
    intent: z.array(FormIntent).min(1).optional(),
    /** For `custom` events: their name. */
    name: z.string().min(1).max(40).optional(),
    campaign: z.string().min(1).max(300).optional(),
    /** Only events that carry a weight tagged in page markup. */
    tagged: z.boolean().optional(),
  })
  .refine((m) => Object.keys(m).length > 0, { error: 'expected at least one condition' });
export type EventMatch = z.infer<typeof EventMatch>;

export const Repeat = z.union([
  z.literal('once'),
  z.literal('every'),
  z.strictObject({ everyDays: z.number().positive().max(3650) }),
]);
export type Repeat = z.infer<typeof Repeat>;

const interestRuleBase = {
  id: RuleId,
  label: Label,
  when: EventMatch,
  points: z.number().min(-100).max(100),
  repeat: Repeat.default('every'),
  /** Bound on this rule's current (decayed) contribution, in points. */
  cap: z.number().positive().max(1000).optional(),
  /** Use the weight tagged in page markup instead of `points`, bounded to ±maxEventWeight. */
  maxEventWeight: z.number().positive().max(100).optional(),
  /** Contributions of this rule fade with the model's half-life (default) or stay. */
  decays: z.boolean().default(true),
};

export const InterestRule = z.strictObject({ ...interestRuleBase, kind: z.literal('event').default('event') });
export type InterestRule = z.infer<typeof InterestRule>;
export type InterestRuleInput = z.input<typeof InterestRule>;

/**
 * Penalises a visitor whose every page view so far matched `path` (the careers-page-only
 * job seeker). Lifted as soon as they view any other page.
 */
export const OnlyVisitedRule = z.strictObject({
  id: RuleId,
  label: Label,
  kind: z.literal('onlyVisited'),
  path: Glob,
  points: z.number().min(-100).max(0),
});
export type OnlyVisitedRule = z.infer<typeof OnlyVisitedRule>;

const Domain = z
  .string()
  .regex(/^(?=.{1,253}$)[a-z0-9-]+(\.[a-z0-9-]+)+$/, { error: 'expected a lowercase domain such as example.com' });

/**
 * A marketer's word on one form, set in tagging mode where the classifier got it wrong: it wins
 * over the intent decided at ingest for every submission of that form (matched by form id,
 * which is the CSS path for a form without id or name).
 */
export const FormIntentOverride = z.strictObject({
  formId: z.string().min(1).max(64),
  intent: FormIntent,
});
export type FormIntentOverride = z.infer<typeof FormIntentOverride>;

export const HandRaise = z.strictObject({
  id: RuleId,
  label: Label,
  when: EventMatch,
});
export type HandRaise = z.infer<typeof HandRaise>;

const ModelShape = z.strictObject({
  id: RuleId,
  name: z.string().min(1).max(120),
  version: z.number().int().min(1),
  description: z.string().max(2000).optional(),
  halfLifeDays: z.number().positive().max(3650),
  fitRules: z.array(FitRule).max(200),
  interestRules: z.array(InterestRule).max(200),
  negativeRules: z
    .array(
      z.discriminatedUnion('axis', [
        z.strictObject({ axis: z.literal('fit'), rule: FitRule }),
        z.strictObject({ axis: z.literal('interest'), rule: z.union([InterestRule, OnlyVisitedRule]) }),
      ]),
    )
    .max(200),
  ownDomains: z.array(Domain).max(100).default([]),
  competitorDomains: z.array(Domain).max(1000).default([]),
  caps: z
    .strictObject({
      /** The interest score shown never exceeds this... */
      interestMax: z.number().positive().max(10_000),
      /** ...nor falls below this. */
      interestFloor: z.number().min(-10_000).max(0),
    })
    .refine((c) => c.interestFloor < c.interestMax, { error: 'expected interestFloor below interestMax' }),
  thresholds: z.strictObject({
    /** Fit score at or above which each grade is given; below C is D. */
    grades: z
      .strictObject({ A: z.number().min(0).max(100), B: z.number().min(0).max(100), C: z.number().min(0).max(100) })
      .refine((g) => g.A > g.B && g.B > g.C, { error: 'expected A > B > C' }),
    engaged: z.number().min(0),
    mql: z.strictObject({ interest: z.number().positive(), minGrade: Grade }),
  }),
  handRaise: z.array(HandRaise).max(50),
  formIntents: z.array(FormIntentOverride).max(500).default([]),
});

/** A scoring model as stored and published. */
export const Model = ModelShape.superRefine((model, ctx) => {
  const seen = new Map<string, string>();
  const check = (id: string, path: (string | number)[]) => {
    const first = seen.get(id);
    if (first) ctx.addIssue({ code: 'custom', path: [...path, 'id'], message: `duplicate rule id "${id}" (first used at ${first})` });
    else seen.set(id, path.join('.'));
  };
  model.fitRules.forEach((r, i) => {
    check(r.id, ['fitRules', i]);
    if (r.points < 0) ctx.addIssue({ code: 'custom', path: ['fitRules', i, 'points'], message: 'negative points belong in negativeRules' });
  });
  model.interestRules.forEach((r, i) => {
    check(r.id, ['interestRules', i]);
    if (r.points < 0) ctx.addIssue({ code: 'custom', path: ['interestRules', i, 'points'], message: 'negative points belong in negativeRules' });
  });
  model.negativeRules.forEach((n, i) => {
    check(n.rule.id, ['negativeRules', i, 'rule']);
    if (n.rule.points > 0) ctx.addIssue({ code: 'custom', path: ['negativeRules', i, 'rule', 'points'], message: 'expected zero or negative points in a negative rule' });
  });
  model.handRaise.forEach((h, i) => check(h.id, ['handRaise', i]));
});
export type Model = z.infer<typeof Model>;
export type ModelInput = z.input<typeof Model>;
