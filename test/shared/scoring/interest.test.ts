import { describe, expect, it } from 'vitest';
import { applyEvent, emptyState, needsRebuild, rawInterest, readInterest, stateFromHistory } from '../../../shared/scoring/interest.ts';
import type { InterestRuleInput } from '../../../shared/contracts/model.ts';
import type { Event } from '../../../shared/contracts/event.ts';
import { DAY, T0, ev, page } from './make-events.ts';
import { makeModel } from './make-model.ts';

const pricing: InterestRuleInput = { id: 'pricing', label: 'Pricing', when: { types: ['page_view'], path: '*/pricing*' }, points: 10 };
const modelWith = (rules: InterestRuleInput[], more = {}) => makeModel({ interestRules: rules, ...more });

describe('interest: matching', () => {
  it('matches by type, path glob, tag, form id, selector, custom name, file and URL regex', () => {
    const cases: [InterestRuleInput['when'], Event][] = [
      [{ path: '/pricing*' }, ev('page_view', 0, { url: 'https://a.io/pricing/teams?x=1' })],
      [{ tag: 'Pricing' }, ev('page_view', 0, { url: 'https://a.io/x', tags: ['pricing'] })],
      [{ formId: 'newsletter' }, ev('form_submit', 0, { url: 'https://a.io/', formId: 'newsletter', fields: ['email'] })],
      [{ selector: '#demo-cta' }, ev('click', 0, { url: 'https://a.io/', selector: '#demo-cta' })],
      [{ name: 'webinar' }, ev('custom', 0, { name: 'webinar' })],
      [{ file: '*.pdf' }, ev('download', 0, { url: 'https://a.io/', fileUrl: 'https://cdn.a.io/f/Guide.PDF?v=2' })],
      [{ urlRegex: 'utm_campaign=spring' }, ev('page_view', 0, { url: 'https://a.io/?utm_campaign=spring' })],
      [{ campaign: 'spring' }, ev('email_open', 0, { messageId: 'm1', campaign: 'spring' })],
    ];
    for (const [when, event] of cases) {
      const model = modelWith([{ id: 'r', label: 'r', when, points: 3 }]);
      expect(rawInterest(model, applyEvent(model, emptyState(model), event), event.ts), JSON.stringify(when)).toBe(3);
    }
  });

  it('needs every condition of a matcher', () => {
    const model = modelWith([{ id: 'r', label: 'r', when: { types: ['download'], path: '/pricing*' }, points: 3 }]);
    const state = applyEvent(model, emptyState(model), page('/pricing', 0));
    expect(rawInterest(model, state, T0)).toBe(0);
    expect(state.rules.r).toBeUndefined();
  });
});

describe('interest: repeat policies and caps', () => {
  const visits = [0, 1000, DAY / 2, DAY + 1, 3 * DAY].map((dt) => page('/pricing', dt));
  const awards = (repeat: InterestRuleInput['repeat']) => {
    const model = modelWith([{ ...pricing, repeat }], { halfLifeDays: 3650 });
    return stateFromHistory(model, visits).rules.pricing;
  };

  it('once awards the first match only; every awards each; everyDays waits out the gap', () => {
    expect(awards('once')).toMatchObject({ matches: 5, awards: 1 });
    expect(awards('every')).toMatchObject({ matches: 5, awards: 5 });
    expect(awards({ everyDays: 1 })).toMatchObject({ matches: 5, awards: 3 });
  });

  it('a cap bounds the rule’s current contribution, and room frees up as it decays', () => {
    const model = modelWith([{ ...pricing, cap: 25 }], { halfLifeDays: 10 });
    let state = emptyState(model);
    for (const e of [page('/pricing', 0), page('/pricing', 1), page('/pricing', 2)]) state = applyEvent(model, state, e);
    expect(rawInterest(model, state, T0 + 2)).toBeCloseTo(25, 6);
    // After one half-life the 25 is 12.5: a new visit may add the full 10 again.
    const later = applyEvent(model, state, page('/pricing', 10 * DAY));
    expect(rawInterest(model, later, T0 + 10 * DAY)).toBeCloseTo(22.5, 6);
  });

  it('a negative rule’s cap bounds it from below', () => {
    const model = makeModel({
      negativeRules: [{ axis: 'interest', rule: { id: 'bounce', label: 'Bounced', when: { name: 'bounce' }, points: -10, cap: 15, decays: false } }],
    });
    const state = stateFromHistory(model, [0, 1, 2].map((dt) => ev('custom', dt, { name: 'bounce' })));
    expect(state.rules.bounce?.s).toBe(-15);
  });

  it('tagged weights are used but bounded by the model', () => {
    const model = modelWith([{ id: 'tagged', label: 'Tagged', when: { tagged: true }, points: 5, maxEventWeight: 20 }]);
    const forged = applyEvent(model, emptyState(model), page('/x', 0, { weight: 100 }));
    expect(rawInterest(model, forged, T0)).toBe(20);
    const modest = applyEvent(model, emptyState(model), page('/x', 0, { weight: 7 }));
    expect(rawInterest(model, modest, T0)).toBe(7);
    const untagged = applyEvent(model, emptyState(model), page('/x', 0));
    expect(rawInterest(model, untagged, T0)).toBe(0);
  });
});

describe('interest: decay, floor and total cap', () => {
  it('fades with the model half-life; steady rules do not', () => {
    const model = makeModel({
      halfLifeDays: 10,
      interestRules: [pricing],
      negativeRules: [{ axis: 'interest', rule: { id: 'unsub', label: 'Unsubscribed', when: { name: 'unsubscribe' }, points: -4, decays: false } }],
    });
    const state = stateFromHistory(model, [page('/pricing', 0), ev('custom', 0, { name: 'unsubscribe' })]);
    expect(rawInterest(model, state, T0)).toBe(6);
    expect(rawInterest(model, state, T0 + 10 * DAY)).toBe(1);
    expect(rawInterest(model, state, T0 + 20 * DAY)).toBe(-1.5);
  });

  it('never reads below the floor nor above the cap', () => {
    const model = makeModel({
      caps: { interestMax: 15, interestFloor: -5 },
      interestRules: [pricing],
      negativeRules: [{ axis: 'interest', rule: { id: 'unsub', label: 'Unsub', when: { name: 'unsubscribe' }, points: -50, decays: false } }],
    });
    const high = stateFromHistory(model, [page('/pricing', 0), page('/pricing', 1)]);
    expect(readInterest(model, high, T0 + 1).score).toBe(15);
    const low = stateFromHistory(model, [ev('custom', 0, { name: 'unsubscribe' })]);
    expect(readInterest(model, low, T0).score).toBe(-5);
  });

  it('ignores machine email opens and clicks', () => {
    const model = modelWith([{ id: 'open', label: 'Open', when: { types: ['email_open'] }, points: 2 }]);
    const state = stateFromHistory(model, [ev('email_open', 0, { messageId: 'm', machine: true }), ev('email_open', 5000, { messageId: 'm' })]);
    expect(rawInterest(model, state, T0 + 5000)).toBe(2);
  });
});

describe('interest: careers-only visitors', () => {
  const model = makeModel({
    interestRules: [{ id: 'any', label: 'Any page', when: { types: ['page_view'] }, points: 1, decays: false }],
    negativeRules: [{ axis: 'interest', rule: { id: 'careers', kind: 'onlyVisited', label: 'Careers only', path: '*/careers*', points: -20 } }],
  });

  it('penalises while every page view is a careers page, and lifts it for good after another page', () => {
    const jobSeeker = stateFromHistory(model, [page('/careers', 0), page('/careers/engineer', 1)]);
    expect(rawInterest(model, jobSeeker, T0)).toBe(2 - 20);
    expect(readInterest(model, jobSeeker, T0).reasons.find((r) => r.rule === 'careers')?.points).toBe(-20);
    const buyer = stateFromHistory(model, [page('/careers', 0), page('/pricing', 1), page('/careers', 2)]);
    expect(rawInterest(model, buyer, T0)).toBe(3);
    expect(buyer.only.careers).toBe(false);
  });
});

describe('interest: reasons and order', () => {
  it('lists each rule with its decayed points, last evidence, time and count', () => {
    const model = modelWith([pricing, { id: 'dl', label: 'Download', when: { types: ['download'] }, points: 8 }], { halfLifeDays: 10 });
    const state = stateFromHistory(model, [
      page('/pricing', 0, { title: 'Pricing' }),
      page('/pricing', DAY),
      ev('download', 2 * DAY, { url: 'https://a.io/', fileUrl: 'https://a.io/files/whitepaper%20Q3.pdf' }),
    ]);
    const { reasons } = readInterest(model, state, T0 + 12 * DAY);
    expect(reasons.map((r) => r.rule)).toEqual(['pricing', 'dl']);
    expect(reasons[1]).toMatchObject({ evidence: { kind: 'downloaded', file: 'whitepaper Q3.pdf' }, at: T0 + 2 * DAY, count: 1 });
    expect(reasons[1]!.points).toBeCloseTo(4, 10);
    expect(reasons[0]!.points).toBeCloseTo(10 * 2 ** -1.2 + 10 * 2 ** -1.1, 10);
    expect(reasons[0]!.evidence).toEqual({ kind: 'visited', page: '/pricing' });
  });

  it('flags events older than the last applied one for a rebuild', () => {
    const model = modelWith([pricing]);
    const state = applyEvent(model, emptyState(model), page('/pricing', DAY));
    expect(needsRebuild(state, page('/pricing', 0))).toBe(true);
    expect(needsRebuild(state, page('/pricing', 2 * DAY))).toBe(false);
    expect(needsRebuild(emptyState(model), page('/pricing', 0))).toBe(false);
  });

  it('never changes the state it was given', () => {
    const model = modelWith([pricing]);
    const before = applyEvent(model, emptyState(model), page('/pricing', 0));
    const snapshot = JSON.stringify(before);
    applyEvent(model, before, page('/pricing', DAY));
    expect(JSON.stringify(before)).toBe(snapshot);
  });

  it('never changes a given state, deeply, when rules, only-visited flags and hand-raises all change', () => {
    const model = makeModel({
      interestRules: [pricing, { id: 'any', label: 'Any', when: { types: ['page_view'] }, points: 1 }],
      negativeRules: [{ axis: 'interest', rule: { id: 'careers', kind: 'onlyVisited', label: 'Careers only', path: '*/careers*', points: -20 } }],
      handRaise: [{ id: 'demo', label: 'Demo', when: { formId: 'demo' } }],
    });
    const given = deepFreeze(stateFromHistory(model, [page('/careers', 0), page('/pricing', 1)]));
    const snapshot = JSON.stringify(given);
    // Frozen objects throw on writes in strict mode (ES modules), so any write into `given` fails here.
    const later = applyEvent(model, given, ev('form_submit', 2, { url: 'https://a.io/', formId: 'demo', fields: [] }));
    const more = applyEvent(model, deepFreeze(later), page('/pricing', 3));
    expect(JSON.stringify(given)).toBe(snapshot);
    expect(more.handRaise?.rule).toBe('demo');
    expect(more.rules.pricing?.matches).toBe(2);
  });

  it('keeps each model’s fold apart when calls for several models interleave', () => {
    const a = modelWith([pricing]);
    const b = modelWith([{ id: 'any', label: 'Any', when: { types: ['page_view'] }, points: 2 }]);
    const events = [page('/pricing', 0), page('/blog/x', 1), page('/pricing', 2)];
    let sa = emptyState(a);
    let sb = emptyState(b);
    for (const e of events) {
      sa = applyEvent(a, sa, e);
      sb = applyEvent(b, sb, e);
    }
    expect(sa).toEqual(stateFromHistory(a, events));
    expect(sb).toEqual(stateFromHistory(b, events));
    expect(Object.keys(sa.rules)).toEqual(['pricing']);
  });

  it('stores rule states in order of first match, as the stored JSON always had them', () => {
    const model = modelWith([pricing, { id: 'any', label: 'Any', when: { types: ['page_view'] }, points: 1 }, { id: 'dl', label: 'Download', when: { types: ['download'] }, points: 8 }]);
    const dl = ev('download', 0, { url: 'https://a.io/', fileUrl: 'https://a.io/f.pdf' });
    const state = applyEvent(model, applyEvent(model, emptyState(model), dl), page('/pricing', 1));
    expect(Object.keys(state.rules)).toEqual(['dl', 'pricing', 'any']);
  });
});

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
