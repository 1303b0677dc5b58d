import { describe, expect, it } from 'vitest';
import { Model, type ModelInput } from '../../../shared/contracts/model.ts';
import { makeModel } from '../../shared/scoring/make-model.ts';
import { B2B_STARTER } from '../../../shared/scoring/default-model.ts';
import { diffModels, formatDiff } from '../../../server/scoring/model-diff.ts';

const starter = (): ModelInput => structuredClone(B2B_STARTER);

describe('diffModels', () => {
  it('finds nothing between a model and itself, or a new version with the same content', () => {
    const a = Model.parse(starter());
    expect(diffModels(a, a)).toEqual([]);
    expect(diffModels(a, Model.parse({ ...starter(), version: 7 }))).toEqual([]);
    expect(formatDiff([])).toBe('no changes');
  });

  it('ignores rule order', () => {
    const a = Model.parse(starter());
    const b = Model.parse({ ...starter(), fitRules: [...starter().fitRules].reverse() });
    expect(diffModels(a, b)).toEqual([]);
  });

  it('reports scalar changes by path: half-life, caps, thresholds, name', () => {
    const a = makeModel();
    const b = makeModel({
      name: 'Renamed',
      halfLifeDays: 30,
      caps: { interestMax: 500, interestFloor: 0 },
      thresholds: { grades: { A: 80, B: 50, C: 25 }, engaged: 10, mql: { interest: 70, minGrade: 'B' } },
    });
    expect(diffModels(a, b)).toEqual([
      { kind: 'value-changed', path: 'name', before: 'Test model', after: 'Renamed' },
      { kind: 'value-changed', path: 'halfLifeDays', before: 10, after: 30 },
      { kind: 'value-changed', path: 'caps.interestMax', before: 1000, after: 500 },
      { kind: 'value-changed', path: 'thresholds.grades.A', before: 75, after: 80 },
      { kind: 'value-changed', path: 'thresholds.mql.interest', before: 50, after: 70 },
      { kind: 'value-changed', path: 'thresholds.mql.minGrade', before: 'C', after: 'B' },
    ]);
  });

  it('reports an added or removed description', () => {
    const a = makeModel();
    const b = makeModel({ description: 'For the EU sales team' });
    expect(diffModels(a, b)).toEqual([{ kind: 'value-changed', path: 'description', before: undefined, after: 'For the EU sales team' }]);
    expect(diffModels(b, a)).toEqual([{ kind: 'value-changed', path: 'description', before: 'For the EU sales team', after: undefined }]);
  });

  it('reports domain lists as sets of added and removed domains', () => {
    const a = makeModel({ ownDomains: ['acme.com'], competitorDomains: ['rival.com', 'other.com'] });
    const b = makeModel({ ownDomains: ['acme.com'], competitorDomains: ['other.com', 'new.io', 'alpha.io'] });
    expect(diffModels(a, b)).toEqual([{ kind: 'domains-changed', list: 'competitorDomains', added: ['alpha.io', 'new.io'], removed: ['rival.com'] }]);
    const c = makeModel({ ownDomains: ['acme.com', 'acme.de'], competitorDomains: ['other.com', 'rival.com'] });
    expect(diffModels(a, c)).toEqual([{ kind: 'domains-changed', list: 'ownDomains', added: ['acme.de'], removed: [] }]);
  });

  it('reports rules added, removed and changed, by id, in every list', () => {
    const a = Model.parse(starter());
    const next = starter();
    // fit: change points and a match's values; remove one; add one.
    next.fitRules = next.fitRules
      .filter((r) => r.id !== 'company-revenue')
      .map((r) => (r.id === 'senior-title' ? { ...r, points: 25 } : r))
      .map((r) => (r.id === 'target-industry' && r.kind === 'attribute' && r.match.op === 'in' ? { ...r, match: { ...r.match, values: ['software'] } } : r));
    next.fitRules.push({ id: 'eu', kind: 'attribute', label: 'In the EU', points: 5, match: { op: 'in', attribute: 'country', values: ['NL'] } });
    // interest: change repeat (string to object) and a cap.
    next.interestRules = next.interestRules.map((r) => (r.id === 'product-page' ? { ...r, repeat: { everyDays: 7 }, cap: 10 } : r));
    // hand-raise: remove all.
    next.handRaise = [];
    const b = Model.parse(next);
    const changes = diffModels(a, b);

    expect(changes).toContainEqual({ kind: 'rule-changed', list: 'fitRules', id: 'senior-title', fields: [{ path: 'points', before: 30, after: 25 }] });
    expect(changes).toContainEqual({
      kind: 'rule-changed',
      list: 'fitRules',
      id: 'target-industry',
      fields: [{ path: 'match.values', before: expect.arrayContaining(['software', 'saas']), after: ['software'] }],
    });
    expect(changes).toContainEqual(expect.objectContaining({ kind: 'rule-removed', list: 'fitRules', id: 'company-revenue' }));
    expect(changes).toContainEqual(expect.objectContaining({ kind: 'rule-added', list: 'fitRules', id: 'eu' }));
    expect(changes).toContainEqual({
      kind: 'rule-changed',
      list: 'interestRules',
      id: 'product-page',
      fields: [
        { path: 'repeat', before: 'every', after: { everyDays: 7 } },
        { path: 'cap', before: 20, after: 10 },
      ],
    });
    const removedHandRaises = changes.filter((c) => c.kind === 'rule-removed' && c.list === 'handRaise');
    expect(removedHandRaises.map((c) => (c as { id: string }).id)).toEqual(a.handRaise.map((h) => h.id));
    expect(a.handRaise.length).toBeGreaterThan(0);
    // Nothing else changed.
    expect(changes).toHaveLength(5 + a.handRaise.length);
  });

  it('flattens negative rules: a points change is "points", an axis change is "axis"', () => {
    const neg = (axis: 'fit' | 'interest', points: number): ModelInput['negativeRules'][number] =>
      axis === 'fit'
        ? { axis, rule: { id: 'student', kind: 'emailDomain', label: 'Student', class: 'educational', points } }
        : { axis, rule: { id: 'student', label: 'Student', when: { path: '/edu*' }, points } };
    const a = makeModel({ negativeRules: [neg('fit', -20)] });
    expect(diffModels(a, makeModel({ negativeRules: [neg('fit', -40)] }))).toEqual([
      { kind: 'rule-changed', list: 'negativeRules', id: 'student', fields: [{ path: 'points', before: -20, after: -40 }] },
    ]);
    const moved = diffModels(a, makeModel({ negativeRules: [neg('interest', -20)] }));
    expect(moved).toHaveLength(1);
    // The rule changed shape (fit -> event rule), so it is shown whole.
    expect(moved[0]).toMatchObject({ kind: 'rule-changed', id: 'student', fields: [{ path: '(rule)' }] });
  });

  it('shows a changed match operator as one before/after, not a field-by-field mix', () => {
    const rule = (match: object) => ({ id: 'size', kind: 'attribute' as const, label: 'Size', points: 10, match });
    const a = makeModel({ fitRules: [rule({ op: 'range', attribute: 'company.size', min: 50 })] as ModelInput['fitRules'] });
    const b = makeModel({ fitRules: [rule({ op: 'exists', attribute: 'company.size' })] as ModelInput['fitRules'] });
    expect(diffModels(a, b)).toEqual([
      {
        kind: 'rule-changed',
        list: 'fitRules',
        id: 'size',
        fields: [{ path: 'match', before: { op: 'range', attribute: 'company.size', min: 50 }, after: { op: 'exists', attribute: 'company.size' } }],
      },
    ]);
  });

  it('reports a rule that moved between lists as removed from one and added to the other', () => {
    const r = { id: 'webinar', label: 'Webinar', when: { types: ['custom' as const], name: 'webinar' }, points: 10 };
    const a = makeModel({ interestRules: [r] });
    const b = makeModel({ handRaise: [{ id: 'webinar', label: 'Webinar', when: r.when }] });
    expect(diffModels(a, b).map((c) => `${c.kind} ${'list' in c ? c.list : ''}`)).toEqual(['rule-removed interestRules', 'rule-added handRaise']);
  });
});

describe('formatDiff', () => {
  it('writes one readable line per change', () => {
    const a = makeModel({
      competitorDomains: ['rival.com'],
      interestRules: [{ id: 'pricing', label: 'Visited pricing', when: { path: '/pricing*' }, points: 15 }],
      fitRules: [{ id: 'vp', kind: 'attribute', label: 'VP', points: 20, match: { op: 'pattern', attribute: 'jobTitle', regex: '\\bvp\\b' } }],
    });
    const b = makeModel({
      halfLifeDays: 30,
      competitorDomains: ['new.io'],
      interestRules: [
        { id: 'pricing', label: 'Visited pricing', when: { path: '/pricing*' }, points: 25, decays: false },
        { id: 'webinar', label: 'Attended a webinar', when: { types: ['custom'], name: 'webinar' }, points: 20 },
      ],
      negativeRules: [{ axis: 'fit', rule: { id: 'gmail', kind: 'emailDomain', label: 'Personal email', class: 'free', points: -30 } }],
    });
    expect(formatDiff(diffModels(a, b))).toBe(
      [
        '~ halfLifeDays: 10 → 30',
        '~ competitorDomains: + new.io; - rival.com',
        '- fit rule "vp" (VP, +20)',
        '~ interest rule "pricing": points 15 → 25; decays true → false',
        '+ interest rule "webinar" (Attended a webinar, +20)',
        '+ negative rule "gmail" (Personal email, -30)',
      ].join('\n'),
    );
  });

  it('clips long values and names absent ones', () => {
    const long = Array.from({ length: 30 }, (_, i) => `industry-${i}`);
    const rule = (values: string[]) => ({ id: 'ind', kind: 'attribute' as const, label: 'Industry', points: 5, match: { op: 'in' as const, attribute: 'company.industry' as const, values } });
    const text = formatDiff(diffModels(makeModel({ fitRules: [rule(['a'])] }), makeModel({ fitRules: [rule(long)] })));
    expect(text).toMatch(/^~ fit rule "ind": match\.values \["a"\] → \["industry-0",.*\.\.\.$/);
    expect(text.length).toBeLessThan(140);
    expect(formatDiff([{ kind: 'value-changed', path: 'description', before: undefined, after: 'x' }])).toBe('~ description: (none) → "x"');
  });
});
