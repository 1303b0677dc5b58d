import type { Evidence, FitScore, Grade, LeadProfile, Reason } from '../contracts/lead.ts';
import type { AttributeMatch, EmailClass, Model, ProfileAttribute } from '../contracts/model.ts';
import { classifyDomain, emailDomain } from '../email.ts';
import type { LinearRegex } from '../linear-regex.ts';
import { compileModel, type CompiledFitRule, type CompiledModel } from './compile.ts';

/** Fit from who the lead is: the sum of matching rules, bounded to 0..100, with a grade. */
export function scoreFit(model: Model, profile: LeadProfile): FitScore {
  const reasons: Reason[] = [];
  const figures = walkFit(model, profile, reasons);
  reasons.sort((a, b) => Math.abs(b.points) - Math.abs(a.points));
  return { score: figures.score, grade: figures.grade, reasons, excluded: figures.excluded };
}

/** scoreFit without its reasons: the same score, grade and exclusion, for readers that store only those (rescoring). */
export type FitFigures = Omit<FitScore, 'reasons'>;

/** scoreFit's score, grade and exclusion without wording a reason or its evidence (the same walk, so the same numbers). */
export function fitFigures(model: Model, profile: LeadProfile): FitFigures {
  return walkFit(model, profile, undefined);
}

/**
 * The fit rules tested in order and their points summed in that order; with `reasons`, each
 * matching rule's reason and evidence pushed there too (matchFitRule tests through
 * fitRuleMatches, so a rule matches the same with or without them).
 */
function walkFit(model: Model, profile: LeadProfile, reasons: Reason[] | undefined): FitFigures {
  const c = compileModel(model);
  const domain = profile.email ? emailDomain(profile.email) : undefined;
  const emailClass = domain ? classOf(c, domain) : undefined;
  let total = 0;
  let excluded = false;
  for (const compiled of c.fit) {
    if (reasons) {
      const evidence = matchFitRule(compiled, profile, emailClass, domain);
      if (evidence === undefined) continue;
      reasons.push({ rule: compiled.rule.id, label: compiled.rule.label, points: compiled.rule.points, evidence });
    } else if (!fitRuleMatches(compiled, profile, emailClass, domain)) continue;
    total += compiled.rule.points;
    if (compiled.rule.excludes) excluded = true;
  }
  const score = Math.max(0, Math.min(100, total));
  return { score, grade: gradeOf(model, score), excluded };
}

const NO_REASONS: readonly Reason[] = Object.freeze([]);

/**
 * scoreFit for a reader of the stage that shows no reason: the same score, grade and exclusion
 * (fitFigures) with no reasons worded, which was most of scoreFit's work. An excluded lead keeps
 * its reasons, because the stage's reason names the rule that excluded it.
 */
export function fitForStage(model: Model, profile: LeadProfile): FitScore {
  const { score, grade, excluded } = fitFigures(model, profile);
  // A literal, not a spread of the figures: the spread cost more than the reasons it spares.
  return excluded ? scoreFit(model, profile) : { score, grade, reasons: NO_REASONS as Reason[], excluded };
}

/** Bounds the memo of domain classes: one model seeing more distinct domains starts it over. */
const DOMAIN_CLASSES_KEPT = 10_000;

function classOf(c: CompiledModel, domain: string): EmailClass {
  let cls = c.domainClasses.get(domain);
  if (cls === undefined) {
    cls = classifyDomain(domain, c.domains);
    if (c.domainClasses.size >= DOMAIN_CLASSES_KEPT) c.domainClasses.clear();
    c.domainClasses.set(domain, cls);
  }
  return cls;
}

export function gradeOf(model: Model, score: number): Grade {
  const g = model.thresholds.grades;
  return score >= g.A ? 'A' : score >= g.B ? 'B' : score >= g.C ? 'C' : 'D';
}

/** Returns the evidence when the rule matches, undefined otherwise. */
function matchFitRule(compiled: CompiledFitRule, profile: LeadProfile, emailClass: EmailClass | undefined, domain: string | undefined): Evidence | undefined {
  if (!fitRuleMatches(compiled, profile, emailClass, domain)) return undefined;
  const rule = compiled.rule;
  switch (rule.kind) {
    case 'emailDomain':
      return { kind: 'email-domain', domain: domain!, class: rule.class };
    case 'complete':
      return { kind: 'complete', fields: rule.fields };
    case 'attribute': {
      const value = attributeOf(profile, rule.match.attribute);
      return value === undefined ? { kind: 'attribute', attribute: rule.match.attribute } : { kind: 'attribute', attribute: rule.match.attribute, value };
    }
  }
}

/** Whether a fit rule matches the profile: the one test behind both scoreFit and fitFigures. */
function fitRuleMatches({ rule, regex, lowered }: CompiledFitRule, profile: LeadProfile, emailClass: EmailClass | undefined, domain: string | undefined): boolean {
  switch (rule.kind) {
    case 'emailDomain':
      return emailClass === rule.class && domain !== undefined;
    case 'complete':
      return rule.fields.every((f) => !isBlank(attributeOf(profile, f)));
    case 'attribute':
      return matchAttribute(rule.match, attributeOf(profile, rule.match.attribute), regex, lowered);
  }
}

function isBlank(v: string | number | undefined): boolean {
  return v === undefined || (typeof v === 'string' && v.trim() === '');
}

export function attributeOf(p: LeadProfile, attribute: ProfileAttribute): string | number | undefined {
  switch (attribute) {
    case 'email':
      return p.email;
    case 'name':
      return p.name;
    case 'jobTitle':
      return p.jobTitle;
    case 'seniority':
      return p.seniority;
    case 'country':
      return p.country ?? p.company?.country;
    case 'company.domain':
      return p.company?.domain;
    case 'company.name':
      return p.company?.name;
    case 'company.industry':
      return p.company?.industry;
    case 'company.size':
      return p.company?.size;
    case 'company.revenue':
      return p.company?.revenue;
    case 'company.country':
      return p.company?.country;
  }
}

function matchAttribute(m: AttributeMatch, value: string | number | undefined, regex: LinearRegex | undefined, lowered: string[] | undefined): boolean {
  if (m.op === 'exists') return !isBlank(value);
  if (value === undefined) return m.op === 'notIn' ? false : false;
  const text = String(value).toLowerCase();
  switch (m.op) {
    case 'equals':
      return text === String(m.value).toLowerCase();
    case 'in':
      return lowered!.includes(text);
    case 'notIn':
      return !lowered!.includes(text);
    case 'contains':
      return lowered!.some((v) => text.includes(v));
    case 'pattern':
      return regex!.test(String(value));
    case 'range': {
      const n = typeof value === 'number' ? value : Number(value);
      return Number.isFinite(n) && (m.min === undefined || n >= m.min) && (m.max === undefined || n <= m.max);
    }
  }
}
