import { describe, expect, it } from 'vitest';
import { judgedAt, replayLead, scoreBefore, typesThatCount } from '../../../shared/analytics/replay.ts';
import { defaultModel } from '../../../shared/scoring/index.ts';
import { DAY, HOUR, T0, fixtureModel, lead } from './history-fixture.ts';
import { ev, page } from '../scoring/make-events.ts';

describe('replayLead', () => {
  const model = fixtureModel();
  const history = lead('x', [
    page('/blog', -DAY),
    ev('identify', 0, { traits: { email: 'x@example.com' }, source: 'form' }),
    page('/pricing', HOUR),
    page('/pricing', 2 * HOUR),
    ev('form_submit', 2 * DAY, { url: 'https://www.example-saas.com/demo', formId: 'demo-request', fields: ['email'] }),
    page('/pricing', 20 * DAY),
  ], { outcome: { result: 'won', at: T0 + 5 * DAY } });

  it('gives each stage the moment it was first reached, judging the past with what was known then', () => {
    const r = replayLead(model, history, T0 + 10 * DAY);
    expect(r.transitions).toEqual([
      { at: T0 - DAY, stage: 'anonymous' },
      { at: T0, stage: 'known' },
      { at: T0 + HOUR, stage: 'engaged' },
      { at: T0 + 2 * HOUR, stage: 'mql' },
      { at: T0 + 2 * DAY, stage: 'sales_ready' },
      { at: T0 + 5 * DAY, stage: 'customer' },
    ]);
    expect(r.mqlAt).toBe(T0 + 2 * HOUR);
    expect(r.firstAt.sales_ready).toBe(T0 + 2 * DAY);
    expect(r.firstSeen).toBe(T0 - DAY);
    // The page view after `now` is not part of the past.
    expect(r.interest).toBe(60);
    expect(r.stage).toBe('customer');
  });

  it('judges a lead by its score just before its outcome, and agrees with scoreBefore', () => {
    const at = judgedAt(history, T0 + 10 * DAY);
    expect(at).toBe(T0 + 5 * DAY);
    const r = replayLead(model, history, T0 + 10 * DAY, at);
    expect(r.judged.stage).toBe('sales_ready');
    expect(r.judged.interest.score).toBe(60);
    expect(r.judged.fit.score).toBe(30);
    expect(r.judged).toEqual(scoreBefore(model, history, at));
    // Before the outcome and before any pricing view: nothing yet.
    expect(replayLead(model, history, T0 + 10 * DAY, T0 + HOUR / 2).judged.interest.score).toBe(0);
  });

  it('sees an MQL earlier under a lower threshold, and none under an unreachable one', () => {
    const low = fixtureModel({ thresholds: { ...model.thresholds, mql: { interest: 30, minGrade: 'C' } } });
    expect(replayLead(low, history, T0 + 10 * DAY).mqlAt).toBe(T0 + HOUR);
    const noPricing = lead('y', history.events.filter((e) => e.type !== 'form_submit'));
    const high = fixtureModel({ thresholds: { ...model.thresholds, mql: { interest: 500, minGrade: 'C' } } });
    expect(replayLead(high, noPricing, T0 + 10 * DAY).mqlAt).toBeUndefined();
  });

  it('gives the same stages and scores whether events that score nothing are there or not', () => {
    const noise = [
      ev('engagement', HOUR + 1, { url: 'https://www.example-saas.com/pricing', pageViewId: history.events[2]!.id, engagedMs: 5000 }),
      page('/about', 3 * HOUR),
      ev('email_open', 4 * HOUR, { messageId: 'm1', machine: true }),
    ];
    const quiet = replayLead(model, history, T0 + 10 * DAY, T0 + 5 * DAY);
    const noisy = replayLead(model, { ...history, events: [...history.events, ...noise] }, T0 + 10 * DAY, T0 + 5 * DAY);
    expect(noisy.transitions).toEqual(quiet.transitions);
    expect(noisy.judged).toEqual(quiet.judged);
    expect(noisy.interest).toBe(quiet.interest);
    // A machine open under a rule that scores opens still scores nothing; a human one does.
    const opens = fixtureModel({ interestRules: [{ id: 'open', label: 'Opened', when: { types: ['email_open'] }, points: 60, repeat: 'once', decays: false, kind: 'event' }] });
    const identified = [history.events[1]!];
    expect(replayLead(opens, lead('m', [...identified, ev('email_open', HOUR, { messageId: 'm', machine: true })]), T0 + DAY).mqlAt).toBeUndefined();
    expect(replayLead(opens, lead('h', [...identified, ev('email_open', HOUR, { messageId: 'm' })]), T0 + DAY).mqlAt).toBe(T0 + HOUR);
  });

  it('lets a lead without an identify event count as known from its first event', () => {
    const imported = lead('z', [page('/pricing', 0)]);
    expect(replayLead(model, imported, T0 + DAY).transitions[0]).toEqual({ at: T0, stage: 'engaged' });
    const anonymous = { ...imported, profile: {} };
    expect(replayLead(model, anonymous, T0 + DAY).stage).toBe('anonymous');
  });
});

describe('typesThatCount', () => {
  it('lists the event types a replay must read: those some rule or hand-raise can match, identify and page views', () => {
    expect(typesThatCount([fixtureModel()])).toEqual(['page_view', 'form_submit', 'identify']);
    const clicks = fixtureModel({ interestRules: [...fixtureModel().interestRules, { id: 'mail', label: 'Mail', when: { types: ['email_click'] }, points: 5, repeat: 'every', decays: true, kind: 'event' }] });
    expect(typesThatCount([fixtureModel(), clicks])).toEqual(['page_view', 'form_submit', 'identify', 'email_click']);
    // The starter model's "tagged" rule names no type: any event with a weight counts.
    expect(typesThatCount([defaultModel])).toHaveLength(9);
  });
});

