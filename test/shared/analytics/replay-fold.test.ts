import { describe, expect, it } from 'vitest';
import { changesState, judgedAt, replayLead, type HistoryLead, type StageAt } from '../../../shared/analytics/replay.ts';
import { MQL_OR_BEYOND } from '../../../shared/analytics/replay.ts';
import type { Stage } from '../../../shared/contracts/lead.ts';
import type { Model } from '../../../shared/contracts/model.ts';
import type { ScoreState } from '../../../shared/contracts/score-state.ts';
import { applyEvents, compareEvents, compileModel, defaultModel, emptyState, interestAt, readScore, scoreFit, stageOf } from '../../../shared/scoring/index.ts';
import { changedModel, demoLeads } from './demo-leads.ts';

// Replays fold each history once with the fold kept open (OpenFold), instead of building a
// whole state per step with applyEvents. This checks the replay against that step-by-step way
// (written out below as it was), lead by lead, on the demo seed's histories and outcomes, under
// the starter model and a changed one. Reports and backtests read nothing else of a lead.

function stepByStep(model: Model, lead: HistoryLead, now: number, judgeAt: number) {
  const fit = scoreFit(model, lead.profile);
  const all = lead.events.filter((e) => e.ts <= now).sort(compareEvents);
  const identify = all.find((e) => e.type === 'identify');
  const identifiedAt = !lead.profile.email ? undefined : identify ? identify.ts : -Infinity;
  const c = compileModel(model);
  const events = all.filter((e, k) => k === 0 || e.type === 'identify' || changesState(c, e));
  const checkpoints = [lead.outcome?.at, lead.feedback?.at, now].filter((t): t is number => t !== undefined && t <= now).sort((a, b) => a - b);
  let state = emptyState(model);
  const transitions: StageAt[] = [];
  const firstAt: Partial<Record<Stage, number>> = {};
  let mqlAt: number | undefined;
  let stage: Stage | undefined;
  let interest = 0;
  const visit = (at: number) => {
    interest = interestAt(model, state, at);
    const next = stageOf(model, {
      identified: identifiedAt !== undefined && identifiedAt <= at,
      fit,
      interest,
      handRaise: state.handRaise,
      feedback: lead.feedback && lead.feedback.at <= at ? lead.feedback : undefined,
      outcome: lead.outcome && lead.outcome.at <= at ? lead.outcome : undefined,
    }).stage;
    if (next === stage) return;
    stage = next;
    transitions.push({ at, stage });
    firstAt[stage] ??= at;
    if (mqlAt === undefined && MQL_OR_BEYOND.has(stage)) mqlAt = at;
  };
  let i = 0;
  let k = 0;
  let judgedState: ScoreState | undefined;
  while (i < events.length || k < checkpoints.length) {
    const at = Math.min(events[i]?.ts ?? Infinity, checkpoints[k] ?? Infinity);
    if (judgedState === undefined && at > judgeAt) judgedState = state;
    let j = i;
    while (j < events.length && events[j]!.ts === at) j++;
    if (j > i) state = applyEvents(model, state, events.slice(i, j));
    i = j;
    while (k < checkpoints.length && checkpoints[k] === at) k++;
    visit(at);
  }
  const judged = readScore(model, { profile: lead.profile, feedback: lead.feedback && lead.feedback.at <= judgeAt ? lead.feedback : undefined }, judgedState ?? state, judgeAt);
  return { fit, transitions, firstAt, mqlAt, firstSeen: all[0]?.ts, stage: stage ?? 'anonymous', interest, state, judged };
}

const NOW = Date.UTC(2026, 10, 20);

describe('replay with the fold kept open', () => {
  const leads = demoLeads(NOW);

  it.each([
    ['the starter model', defaultModel],
    ['a changed model', changedModel],
  ] as const)('gives every demo lead the replay of folding step by step, under %s', (_name, model) => {
    expect(leads.length).toBeGreaterThan(150);
    expect(leads.filter((l) => l.outcome).length).toBeGreaterThan(10);
    let mqls = 0;
    for (const lead of leads) {
      const at = judgedAt(lead, NOW);
      const r = replayLead(model, lead, NOW, at);
      expect(r).toEqual(stepByStep(model, lead, NOW, at));
      if (r.mqlAt !== undefined) mqls++;
    }
    expect(mqls).toBeGreaterThan(5);
  });

});
