import { describe, expect, it } from 'vitest';
import { judgeLead, sameFit, sortedHistory } from '../../../shared/analytics/judge.ts';
import { judgedAt, replayLead, type HistoryLead } from '../../../shared/analytics/replay.ts';
import type { Model } from '../../../shared/contracts/model.ts';
import { seededRandom, shuffled } from '../../../shared/random.ts';
import { defaultModel, scoreFit } from '../../../shared/scoring/index.ts';
import { changedModel, demoLeads } from './demo-leads.ts';

// judgeLead keeps of a lead exactly what reports and backtests read of replayLead, the full
// replay: checked lead by lead on the demo seed, under two models, with `now` at the end of the
// history and in its middle (events and outcomes after `now`), with feedback on some leads and
// the events out of order on others.

const END = Date.UTC(2026, 10, 20);

function fromReplay(model: Model, lead: HistoryLead, now: number) {
  const r = replayLead(model, lead, now, judgedAt(lead, now));
  const outcome = lead.outcome && lead.outcome.at <= now;
  return {
    fit: r.fit.score,
    mqlAt: r.mqlAt,
    stage: r.stage,
    interest: r.interest,
    judgedInterest: r.judged.interest.score,
    judgedStage: r.judged.stage,
    ...(outcome ? { reasons: [...r.judged.fit.reasons, ...r.judged.interest.reasons].map((x) => ({ rule: x.rule, label: x.label, points: x.points })) } : {}),
  };
}

/** Feedback on every fifth lead (at one of its events), and every seventh lead's events shuffled. */
function varied(leads: HistoryLead[]): HistoryLead[] {
  const random = seededRandom(11);
  return leads.map((lead, i) => {
    let out = lead;
    if (i % 5 === 0 && lead.events.length > 0) {
      const at = lead.events[Math.floor(random() * lead.events.length)]!.ts;
      out = { ...out, feedback: { verdict: i % 10 === 0 ? 'accepted' : 'rejected', at } };
    }
    if (i % 7 === 0) out = { ...out, events: shuffled(out.events, random) };
    return out;
  });
}

/**
 * Interest that falls as well as rises between events: the negative rules decay, so the running
 * decayed total can be below zero (judgeLead bounds interest by 0 and that total between events):
 * it is for 163 of the demo leads at some event (counted with the fold's running totals).
 */
const fadingNegatives: Model = {
  ...changedModel,
  version: 3,
  negativeRules: defaultModel.negativeRules.map((n) => (n.axis === 'interest' && 'decays' in n.rule ? { ...n, rule: { ...n.rule, decays: true, points: -45 } } : n)),
  interestRules: [
    ...changedModel.interestRules,
    { kind: 'event', id: 'any-page-fades', label: { en: 'Any page, fading', nl: 'Elke pagina, vervagend', sv: 'Vilken sida som helst, avtagande' }, when: { types: ['page_view'] }, points: -3, repeat: 'every', decays: true },
  ],
};

describe('judgeLead', () => {
  const leads = varied(demoLeads(END));
  // A `now` with half the outcomes before it and half after.
  const outcomes = leads.flatMap((l) => (l.outcome ? [l.outcome.at] : [])).sort((a, b) => a - b);
  const middle = outcomes[Math.floor(outcomes.length / 2)]!;

  it.each([
    ['the starter model, now at the end', defaultModel, END],
    ['a changed model, now at the end', changedModel, END],
    ['the starter model, now in the middle', defaultModel, middle],
    ['a changed model, now in the middle', changedModel, middle],
    ['a model whose negative rules fade, now at the end', fadingNegatives, END],
    ['a model whose negative rules fade, now in the middle', fadingNegatives, middle],
  ] as const)('gives every demo lead what its full replay gives, under %s', (_name, model, now) => {
    let judgedBefore = 0;
    let mqls = 0;
    let withFeedback = 0;
    for (const lead of leads) {
      const h = sortedHistory(lead, now);
      const judged = judgeLead(model, h, true);
      expect(judged).toEqual(fromReplay(model, lead, now));
      // Given the lead's fit, as a report's draft or a backtest reuses it: the same answer.
      expect(judgeLead(model, h, true, scoreFit(model, lead.profile))).toEqual(judged);
      const j = judgeLead(model, h, false);
      expect(j.reasons).toBeUndefined();
      if (h.outcome) judgedBefore++;
      if (j.mqlAt !== undefined) mqls++;
      if (lead.feedback && lead.feedback.at <= now) withFeedback++;
    }
    // The cases the comparison is about are there: outcomes judged before, MQLs, feedback.
    expect(judgedBefore).toBeGreaterThan(5);
    expect(mqls).toBeGreaterThan(5);
    expect(withFeedback).toBeGreaterThan(5);
  });
});

describe('sameFit', () => {
  it('holds for models that differ only outside fit, and not for any change scoreFit reads', () => {
    expect(sameFit(defaultModel, changedModel)).toBe(true);
    expect(sameFit(defaultModel, { ...defaultModel })).toBe(true);
    const [first, ...rest] = defaultModel.fitRules;
    expect(sameFit(defaultModel, { ...defaultModel, fitRules: [{ ...first!, points: first!.points + 1 }, ...rest] })).toBe(false);
    expect(sameFit(defaultModel, { ...defaultModel, fitRules: rest })).toBe(false);
    expect(sameFit(defaultModel, { ...defaultModel, negativeRules: defaultModel.negativeRules.filter((n) => n.rule.id !== 'free-mail') })).toBe(false);
    expect(sameFit(defaultModel, { ...defaultModel, ownDomains: [...defaultModel.ownDomains, 'example.org'] })).toBe(false);
    expect(sameFit(defaultModel, { ...defaultModel, competitorDomains: [...defaultModel.competitorDomains, 'example.net'] })).toBe(false);
    expect(sameFit(defaultModel, { ...defaultModel, thresholds: { ...defaultModel.thresholds, grades: { ...defaultModel.thresholds.grades, A: defaultModel.thresholds.grades.A + 1 } } })).toBe(false);
  });
});
