import { describe, expect, it } from 'vitest';
import { parseModel } from '../../../shared/scoring/validate.ts';
import { B2B_STARTER } from '../../../shared/scoring/default-model.ts';

describe('model validation', () => {
  it('lists every problem with its path, not only the first', () => {
    const broken = structuredClone(B2B_STARTER) as any;
    broken.halfLifeDays = -3;
    broken.fitRules[0].match.regex = '(unclosed';
    broken.interestRules[1].when = {};
    broken.interestRules[2].repeat = 'sometimes';
    broken.thresholds.grades = { A: 10, B: 50, C: 25 };
    const result = parseModel(broken);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const text = result.errors.join('\n');
    expect(text).toContain('halfLifeDays:');
    expect(text).toContain('fitRules[0].match.regex: expected a regular expression in RE2 syntax');
    expect(text).toContain('interestRules[1].when: expected at least one condition');
    expect(text).toContain('interestRules[2].repeat');
    expect(text).toContain('thresholds.grades: expected A > B > C');
    expect(result.errors.length).toBeGreaterThanOrEqual(5);
  });

  it('rejects duplicate rule ids and points on the wrong side', () => {
    const model = structuredClone(B2B_STARTER) as any;
    model.interestRules[1].id = model.interestRules[0].id;
    model.fitRules[0].points = -5;
    model.negativeRules[0].rule.points = 10;
    const result = parseModel(model);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toContain('interestRules[1].id: duplicate rule id "pricing-page" (first used at interestRules.0)');
    expect(result.errors).toContain('fitRules[0].points: negative points belong in negativeRules');
    expect(result.errors).toContain('negativeRules[0].rule.points: expected zero or negative points in a negative rule');
  });

  it('names unknown fields', () => {
    const result = parseModel({ ...B2B_STARTER, treshold: 5 });
    expect(result).toEqual({ ok: false, errors: ['(root): unknown field "treshold"'] });
  });
});
