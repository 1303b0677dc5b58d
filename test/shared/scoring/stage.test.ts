import { describe, expect, it } from 'vitest';
import { stageOf, stageOnly, type StageInput } from '../../../shared/scoring/stage.ts';
import { GRADES, STAGES } from '../../../shared/contracts/lead.ts';
import type { FitScore } from '../../../shared/contracts/lead.ts';
import { english, wordNextStep, wordStageReason } from '../../../shared/scoring/wording.ts';
import { makeModel } from './make-model.ts';

const model = makeModel(); // engaged at 10; MQL at interest 50 with fit C or better
const fit = (grade: FitScore['grade'], excluded = false): FitScore => ({ score: 0, grade, reasons: excluded ? [{ rule: 'comp', label: 'Competitor', points: -100, evidence: { kind: 'email-domain', domain: 'rival.com', class: 'competitor' } }] : [], excluded });
const base: StageInput = { identified: true, fit: fit('B'), interest: 0, handRaise: undefined };
const raise = (at: number) => ({ at, rule: 'demo', label: 'Requested a demo', evidence: { kind: 'submitted' as const, form: 'demo-request' } });
const stage = (over: Partial<StageInput>) => stageOf(model, { ...base, ...over }).stage;

describe('stages', () => {
  it('anonymous until identified, then known, engaged and MQL as interest grows', () => {
    expect(stage({ identified: false, interest: 80 })).toBe('anonymous');
    expect(stage({ interest: 5 })).toBe('known');
    expect(stage({ interest: 10 })).toBe('engaged');
    expect(stage({ interest: 50 })).toBe('mql');
  });

  it('needs the minimum fit grade for MQL', () => {
    expect(stage({ interest: 90, fit: fit('C') })).toBe('mql');
    expect(stage({ interest: 90, fit: fit('D') })).toBe('engaged');
  });

  it('a hand-raise makes a lead sales-ready whatever its score', () => {
    expect(stage({ interest: 0, fit: fit('D'), handRaise: raise(1) })).toBe('sales_ready');
    expect(wordStageReason(stageOf(model, { ...base, handRaise: raise(1) }).reason, english)).toBe('Requested a demo: submitted form demo-request');
  });

  it('an excluded lead is never an MQL nor sales-ready', () => {
    expect(stage({ interest: 99, fit: fit('A', true), handRaise: raise(1) })).toBe('disqualified');
    expect(wordStageReason(stageOf(model, { ...base, fit: fit('A', true) }).reason, english)).toBe('excluded: Competitor');
  });

  it('a won deal makes a customer; a lost deal or a rejection resets hand-raises before it', () => {
    expect(stage({ outcome: { result: 'won', at: 5 } })).toBe('customer');
    expect(stage({ handRaise: raise(1), outcome: { result: 'lost', at: 5 }, interest: 12 })).toBe('engaged');
    expect(stage({ handRaise: raise(9), outcome: { result: 'lost', at: 5 } })).toBe('sales_ready');
    expect(stage({ handRaise: raise(1), feedback: { verdict: 'rejected', at: 5, reason: 'no budget' } })).toBe('disqualified');
    expect(wordStageReason(stageOf(model, { ...base, feedback: { verdict: 'rejected', at: 5, reason: 'no budget' } }).reason, english)).toBe('rejected by sales: no budget');
    expect(stage({ handRaise: raise(9), feedback: { verdict: 'rejected', at: 5 } })).toBe('sales_ready');
    expect(stage({ feedback: { verdict: 'accepted', at: 5 } })).toBe('sales_ready');
  });

  it('says what would move the lead on, as data', () => {
    expect(stageOf(model, { ...base, interest: 12.4 }).nextStep).toEqual({ kind: 'next-mql', threshold: 50, interest: 12, minFit: 'C', fit: 'B' });
    expect(stageOf(model, { ...base, interest: 60 }).reason).toEqual({ kind: 'mql', interest: 60, threshold: 50, grade: 'B' });
    expect(wordNextStep(stageOf(model, { ...base, interest: 12.4 }).nextStep!, english)).toBe('MQL at interest 50 (now 12) with fit C or better (now B)');
    expect(wordNextStep(stageOf(model, { ...base, interest: 60 }).nextStep!, english)).toBe('a demo or contact request makes the lead sales-ready');
  });
});

describe('stageOnly', () => {
  // Every combination of what stageOf reads, with interest on and around both thresholds.
  const interests = [-5, 0, 9.99, 10, 10.01, 30, 49.99, 50, 50.01, 120];
  const inputs: StageInput[] = [];
  for (const identified of [false, true])
    for (const grade of GRADES)
      for (const excluded of [false, true])
        for (const handRaise of [undefined, raise(5), raise(20)])
          for (const feedback of [undefined, { verdict: 'accepted' as const, at: 10 }, { verdict: 'rejected' as const, at: 10, reason: 'not now' }])
            for (const outcome of [undefined, { result: 'won' as const, at: 15 }, { result: 'lost' as const, at: 15 }])
              for (const interest of interests) inputs.push({ identified, fit: fit(grade, excluded), interest, handRaise, feedback, outcome });

  it('is stageOf’s stage for every kind of input', () => {
    const seen = new Set<string>();
    for (const input of inputs) {
      const s = stageOnly(model, input);
      expect(s).toBe(stageOf(model, input).stage);
      seen.add(s);
    }
    expect([...seen].sort()).toEqual([...STAGES].sort());
  });

  it('is the same at every interest between two at which it is the same (judgeLead relies on it)', () => {
    for (let k = 0; k < inputs.length; k += interests.length) {
      const stages = interests.map((interest) => stageOnly(model, { ...inputs[k]!, interest }));
      for (let lo = 0; lo < stages.length; lo++)
        for (let hi = lo + 1; hi < stages.length; hi++) if (stages[lo] === stages[hi]) expect(stages.slice(lo, hi + 1).every((s) => s === stages[lo])).toBe(true);
    }
  });
});
