import { describe, expect, it } from 'vitest';
import { fitForStage, scoreFit } from '../../../shared/scoring/fit.ts';
import type { FitRule } from '../../../shared/contracts/model.ts';
import type { LeadProfile } from '../../../shared/contracts/lead.ts';
import { makeModel } from './make-model.ts';

const jane: LeadProfile = {
  email: 'jane@acme-robotics.com',
  name: 'Jane Doe',
  jobTitle: 'VP of Marketing',
  seniority: 'vp',
  country: 'NL',
  company: { domain: 'acme-robotics.com', name: 'Acme Robotics', industry: 'Manufacturing', size: 420, revenue: 52_000_000 },
};

const fitWith = (rules: FitRule[], profile: LeadProfile = jane, more = {}) => scoreFit(makeModel({ fitRules: rules, ...more }), profile);
const rule = (id: string, match: object, points = 10): FitRule => ({ id, label: id, kind: 'attribute', points, match } as FitRule);

describe('fit rules', () => {
  it('equals, in, notIn and contains ignore case', () => {
    expect(fitWith([rule('a', { op: 'equals', attribute: 'company.industry', value: 'manufacturing' })]).score).toBe(10);
    expect(fitWith([rule('a', { op: 'in', attribute: 'country', values: ['se', 'nl'] })]).score).toBe(10);
    expect(fitWith([rule('a', { op: 'in', attribute: 'country', values: ['SE'] })]).score).toBe(0);
    expect(fitWith([rule('a', { op: 'notIn', attribute: 'country', values: ['SE'] })]).score).toBe(10);
    expect(fitWith([rule('a', { op: 'contains', attribute: 'jobTitle', values: ['marketing'] })]).score).toBe(10);
  });

  it('pattern and numeric range', () => {
    expect(fitWith([rule('a', { op: 'pattern', attribute: 'jobTitle', regex: '\\bvp\\b' })]).score).toBe(10);
    expect(fitWith([rule('a', { op: 'pattern', attribute: 'jobTitle', regex: '^cto$' })]).score).toBe(0);
    expect(fitWith([rule('a', { op: 'range', attribute: 'company.size', min: 50, max: 500 })]).score).toBe(10);
    expect(fitWith([rule('a', { op: 'range', attribute: 'company.size', min: 500 })]).score).toBe(0);
    expect(fitWith([rule('a', { op: 'range', attribute: 'company.revenue', max: 1e6 })]).score).toBe(0);
  });

  it('a missing attribute never matches, except notIn does not either and exists says no', () => {
    const bare: LeadProfile = { email: 'x@acme.io' };
    expect(fitWith([rule('a', { op: 'notIn', attribute: 'country', values: ['US'] })], bare).score).toBe(0);
    expect(fitWith([rule('a', { op: 'exists', attribute: 'jobTitle' })], bare).score).toBe(0);
    expect(fitWith([rule('a', { op: 'exists', attribute: 'jobTitle' })]).score).toBe(10);
  });

  it('classifies email domains: free, educational, business, own and competitor', () => {
    const classes = (email: string) =>
      scoreFit(
        makeModel({
          ownDomains: ['leadglow.dev'],
          competitorDomains: ['rivalcrm.com'],
          fitRules: (['free', 'educational', 'business', 'own', 'competitor'] as const).map((c) => ({ id: c, label: c, kind: 'emailDomain', class: c, points: 1 })),
        }),
        { email },
      ).reasons.map((r) => r.rule);
    expect(classes('someone@gmail.com')).toEqual(['free']);
    expect(classes('a.student@ox.ac.uk')).toEqual(['educational']);
    expect(classes('prof@stanford.edu')).toEqual(['educational']);
    expect(classes('jane@acme-robotics.com')).toEqual(['business']);
    expect(classes('me@eu.leadglow.dev')).toEqual(['own']);
    expect(classes('spy@rivalcrm.com')).toEqual(['competitor']);
  });

  it('classifies a domain under each model’s own lists, also after it was seen under another model', () => {
    const fitRules: FitRule[] = [{ id: 'own', label: 'own', kind: 'emailDomain', class: 'own', points: 1 }, { id: 'biz', label: 'biz', kind: 'emailDomain', class: 'business', points: 2 }];
    const ours = makeModel({ ownDomains: ['acme.io'], fitRules });
    const theirs = makeModel({ fitRules });
    for (let i = 0; i < 2; i++) {
      expect(scoreFit(ours, { email: 'a@acme.io' }).reasons.map((r) => r.rule)).toEqual(['own']);
      expect(scoreFit(theirs, { email: 'b@acme.io' }).reasons.map((r) => r.rule)).toEqual(['biz']);
    }
  });

  it('keeps the matched value as data, numbers as numbers', () => {
    const range = (value: number) =>
      fitWith([rule('a', { op: 'range', attribute: 'company.size', min: -1e18 })], { company: { domain: 'a.io', size: value } }).reasons[0]?.evidence;
    for (const n of [0, 7, 1234567.891, -4200]) expect(range(n)).toEqual({ kind: 'attribute', attribute: 'company.size', value: n });
  });

  it('completeness needs every listed field', () => {
    const complete: FitRule = { id: 'c', label: 'complete', kind: 'complete', fields: ['email', 'name'], points: 5 };
    expect(fitWith([complete]).score).toBe(5);
    expect(fitWith([complete], { email: 'x@acme.io', name: '  ' }).score).toBe(0);
  });

  it('sums, bounds to 0..100 and grades', () => {
    const many = [rule('a', { op: 'exists', attribute: 'email' }, 60), rule('b', { op: 'exists', attribute: 'name' }, 60)];
    expect(fitWith(many).score).toBe(100);
    expect(fitWith(many).grade).toBe('A');
    expect(fitWith([rule('a', { op: 'exists', attribute: 'email' }, 55)]).grade).toBe('B');
    expect(fitWith([rule('a', { op: 'exists', attribute: 'email' }, 25)]).grade).toBe('C');
    expect(fitWith([rule('a', { op: 'exists', attribute: 'email' }, 24)]).grade).toBe('D');
    const negative = scoreFit(
      makeModel({ negativeRules: [{ axis: 'fit', rule: { id: 'n', label: 'free mail', kind: 'emailDomain', class: 'free', points: -40 } }] }),
      { email: 'a@gmail.com' },
    );
    expect(negative.score).toBe(0);
    expect(negative.reasons).toEqual([{ rule: 'n', label: 'free mail', points: -40, evidence: { kind: 'email-domain', domain: 'gmail.com', class: 'free' } }]);
  });

  it('exclusion marks the lead and says why', () => {
    const fit = scoreFit(
      makeModel({
        competitorDomains: ['rivalcrm.com'],
        negativeRules: [{ axis: 'fit', rule: { id: 'comp', label: 'Competitor', kind: 'emailDomain', class: 'competitor', points: -100, excludes: true } }],
      }),
      { email: 'spy@rivalcrm.com' },
    );
    expect(fit.excluded).toBe(true);
    expect(fit.reasons[0]?.rule).toBe('comp');
  });

  it('gives reasons with evidence, largest first', () => {
    const fit = fitWith([rule('small', { op: 'exists', attribute: 'name' }, 5), rule('title', { op: 'contains', attribute: 'jobTitle', values: ['vp'] }, 30)]);
    expect(fit.reasons.map((r) => [r.rule, r.points, r.evidence])).toEqual([
      ['title', 30, { kind: 'attribute', attribute: 'jobTitle', value: 'VP of Marketing' }],
      ['small', 5, { kind: 'attribute', attribute: 'name', value: 'Jane Doe' }],
    ]);
  });

  it('fitForStage gives scoreFit without its reasons, and with them for an excluded lead', () => {
    const model = makeModel({
      fitRules: [rule('vp', { op: 'pattern', attribute: 'jobTitle', regex: '\\bvp\\b' }, 20), rule('nl', { op: 'in', attribute: 'country', values: ['nl'] }, 15)],
    });
    const full = scoreFit(model, jane);
    const lean = fitForStage(model, jane);
    expect(full.score).toBe(35);
    expect({ score: lean.score, grade: lean.grade, excluded: lean.excluded }).toEqual({ score: full.score, grade: full.grade, excluded: full.excluded });
    expect(lean.reasons).toEqual([]);
    const excluding = makeModel({
      competitorDomains: ['rivalcrm.com'],
      negativeRules: [{ axis: 'fit', rule: { id: 'comp', label: 'Competitor', kind: 'emailDomain', class: 'competitor', points: -100, excludes: true } }],
    });
    const spy: LeadProfile = { email: 'spy@rivalcrm.com' };
    expect(fitForStage(excluding, spy)).toEqual(scoreFit(excluding, spy));
    expect(fitForStage(excluding, spy).reasons.map((r) => r.rule)).toEqual(['comp']);
  });
});
