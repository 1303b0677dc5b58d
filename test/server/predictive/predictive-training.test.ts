import { WORDS } from '../../../shared/scoring/languages.ts';
import { english, wordRunWhy } from '../../../shared/scoring/wording.ts';
import { isMainThread } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { trainInWorker } from '../../../server/predictive/run.ts';
import { runRecord, retrainHours } from '../../../server/predictive/service.ts';
import { trainFromLeads, type TrainingInput } from '../../../server/predictive/training.ts';
import { PredictiveStatus } from '../../../shared/contracts/marketing.ts';
import { get, testServer } from '../harness.ts';
import { seedLeads, rawLeads } from './predictive-leads.ts';

const NOW = Date.UTC(2025, 5, 1);

function input(leads: TrainingInput['leads'], current: string | null = null, id = 'run-1'): TrainingInput {
  return { id, now: NOW, leads, current, folds: 5, seed: 0 };
}

describe('training on leads with outcomes', () => {
  const leads = rawLeads(seedLeads(80, 1, NOW), NOW);

  it('trains a first model from behaviour and keeps it', () => {
    const r = trainFromLeads(input(leads));
    if (!r.ok) throw new Error(wordRunWhy(r.why, english));
    expect(r.accepted).toBe(true);
    expect(r.model.evaluation.rows).toBe(80);
    expect(r.model.evaluation.positives).toBe(40);
    expect(r.model.evaluation.auc!).toBeGreaterThan(0.7);
    expect(r.model.names).toContain('count_tag_pricing');
  });

  it('keeps the current model when the new one evaluates worse, and replaces it when it is no worse', () => {
    const first = trainFromLeads(input(leads));
    if (!first.ok) throw new Error(wordRunWhy(first.why, english));
    // The same leads: the current model has seen them all, so its AUC on them beats any cross-validated one.
    const again = trainFromLeads(input(leads, JSON.stringify(first.model), 'run-2'));
    if (!again.ok) throw new Error(wordRunWhy(again.why, english));
    expect(again.currentAuc!).toBeGreaterThan(again.model.evaluation.auc!);
    expect(again.accepted).toBe(false);
    expect(again.why).toMatchObject({ kind: 'compared', accepted: false, ground: 'same' });
    expect(wordRunWhy(again.why, english)).toMatch(/kept the current model/);
    expect(runRecord('run-2', NOW, again).status).toBe('rejected');
    // A current model trained where the labels were noise ranks these leads no better than chance.
    const noise = rawLeads(seedLeads(80, 2, NOW), NOW).map((l, i) => ({ ...l, outcome: JSON.stringify({ result: (i * 7) % 3 === 0 ? 'won' : 'lost', at: NOW }) }));
    const weak = trainFromLeads(input(noise));
    if (!weak.ok) throw new Error(wordRunWhy(weak.why, english));
    const better = trainFromLeads(input(leads, JSON.stringify(weak.model), 'run-3'));
    if (!better.ok) throw new Error(wordRunWhy(better.why, english));
    expect(better.accepted).toBe(true);
    expect(runRecord('run-3', NOW, better).status).toBe('current');
  });

  it('judges both models on the leads decided since the current one was trained, when there are enough', () => {
    const DAY = 86_400_000;
    const t0 = NOW - 30 * DAY;
    const flip = (l: TrainingInput['leads'][number]) => {
      const o = JSON.parse(l.outcome) as { result: string; at: number };
      return { ...l, outcome: JSON.stringify({ ...o, result: o.result === 'won' ? 'lost' : 'won' }) };
    };
    const good = trainFromLeads({ ...input(rawLeads(seedLeads(80, 1, t0), t0)), now: t0 });
    if (!good.ok) throw new Error(wordRunWhy(good.why, english));
    // New leads behave as before; older ones (decided before t0) were recorded the wrong way
    // round, so a model trained on all of them ranks the new ones worse than the current model.
    const older = rawLeads(seedLeads(120, 2, t0), t0).map(flip);
    const newer = rawLeads(seedLeads(40, 3, NOW), NOW);
    const worse = trainFromLeads(input([...older, ...newer], JSON.stringify(good.model), 'run-4'));
    if (!worse.ok) throw new Error(wordRunWhy(worse.why, english));
    expect(worse.comparedOn).toBe(40);
    expect(worse.why).toEqual({ kind: 'compared', accepted: false, newAuc: worse.newAuc, currentAuc: worse.currentAuc, leads: 40, ground: 'fresh', min: 5 });
    expect(wordRunWhy(worse.why, english)).toMatch(/on the 40 leads decided since the current model was trained: kept the current model/);
    // The same reason in a Dutch and a Swedish reader's words, with their decimal commas.
    expect(wordRunWhy(worse.why, WORDS.nl)).toMatch(/^AUC 0,\d{3} \(kruisgevalideerd\) is lager dan .* op de 40 leads die beslist zijn sinds .*: het huidige model blijft$/);
    expect(wordRunWhy(worse.why, WORDS.sv)).toMatch(/^AUC 0,\d{3} \(korsvaliderad\) är lägre än .* på de 40 leads som avgjorts .*: nuvarande modellen behålls$/);
    expect(worse.currentAuc!).toBeGreaterThan(worse.newAuc!);
    expect(worse.accepted).toBe(false);
    // A current model that learned noise loses on the same new leads.
    const noise = rawLeads(seedLeads(80, 4, t0), t0).map((l, i) => (i % 3 === 0 ? flip(l) : l)).map((l, i) => (i % 2 ? flip(l) : l));
    const weak = trainFromLeads({ ...input(noise), now: t0 });
    if (!weak.ok) throw new Error(wordRunWhy(weak.why, english));
    const better = trainFromLeads(input([...rawLeads(seedLeads(80, 5, t0), t0), ...newer], JSON.stringify(weak.model), 'run-5'));
    if (!better.ok) throw new Error(wordRunWhy(better.why, english));
    expect(better.comparedOn).toBe(40);
    expect(better.newAuc!).toBeGreaterThanOrEqual(better.currentAuc!);
    expect(better.accepted).toBe(true);
  });

  it('refuses to train on too few outcomes, saying why', () => {
    const r = trainFromLeads(input(leads.slice(0, 6)));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(wordRunWhy(r.why, english)).toMatch(/at least 5 won and 5 lost/);
    expect(runRecord('x', NOW, r).status).toBe('failed');
  });

  it('runs in a worker thread, not on the main thread', async () => {
    const r = await trainInWorker(input(leads));
    expect(isMainThread).toBe(true);
    expect(r.threadId).toBeGreaterThan(0);
    const here = trainFromLeads(input(leads));
    if (!r.ok || !here.ok) throw new Error('training failed');
    // The same deterministic training, whichever thread runs it.
    expect(r.model.evaluation).toEqual(here.model.evaluation);
  });

  it('reads the retrain interval from LEADGLOW_RETRAIN_HOURS: 24 by default, 0 for off', () => {
    expect(retrainHours({})).toBe(24);
    expect(retrainHours({ LEADGLOW_RETRAIN_HOURS: '0' })).toBe(0);
    expect(retrainHours({ LEADGLOW_RETRAIN_HOURS: '6' })).toBe(6);
    expect(() => retrainHours({ LEADGLOW_RETRAIN_HOURS: 'daily' })).toThrow(/LEADGLOW_RETRAIN_HOURS/);
  });
});

describe('the retrain schedule', () => {
  it('runs on its own every LEADGLOW_RETRAIN_HOURS and records the run', async () => {
    const before = process.env.LEADGLOW_RETRAIN_HOURS;
    process.env.LEADGLOW_RETRAIN_HOURS = String(0.5 / 3600); // every half second
    const s = await testServer('sqlite', undefined);
    try {
      let status: PredictiveStatus | undefined;
      for (let i = 0; i < 100 && !status?.lastRun; i++) {
        await new Promise((ok) => setTimeout(ok, 100));
        status = PredictiveStatus.parse((await get(s.url, s.admin, '/v1/predictive')).json);
      }
      expect(status!.scheduleHours).toBeCloseTo(0.5 / 3600, 10);
      // No outcomes yet: the run is recorded as failed, with the reason, and no model is made.
      expect(status!.lastRun).toMatchObject({ accepted: false });
      expect(status!.lastRun!.reason).toMatch(/needs at least 5 won and 5 lost leads; there are 0 won and 0 lost/);
      expect(status!.lastRun!.why).toEqual({ kind: 'too-few', won: 0, lost: 0, min: 5 });
      expect(status!.current).toBeUndefined();
    } finally {
      if (before === undefined) delete process.env.LEADGLOW_RETRAIN_HOURS;
      else process.env.LEADGLOW_RETRAIN_HOURS = before;
      await s.cleanup();
    }
  });
});
