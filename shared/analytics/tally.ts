import type { BacktestSide, Curve } from '../contracts/marketing.ts';
import type { LeadScore } from '../contracts/lead.ts';
import type { Model } from '../contracts/model.ts';
import { auc, lift, precisionRecall, roc, type Scored } from './classifier-metrics.ts';
import { judgedAt, MQL_OR_BEYOND, replayLead, type HistoryLead, type Replay } from './replay.ts';
import { weekCounter } from './weeks.ts';

// One model over many leads, one lead at a time: what reports and backtests both need (MQLs per
// week, MQLs now, precision and recall at the threshold, the score against outcomes). Only
// small numbers per lead are kept, so histories can be read in pages.

/**
 * The single number a lead is ranked by against outcomes: interest × fit / 100. The MQL
 * threshold asks for both interest and fit, and the product is high only when both are and
 * zero when either is, so it orders leads the way the model's own threshold does. A hand-raise
 * is left out: it is a stage, not a score, and counting it would grade the lead's form, not the
 * model's points.
 */
export function rankScore(score: Pick<LeadScore, 'fit' | 'interest'>): number {
  return (score.interest.score * score.fit.score) / 100;
}

export type ModelTally = {
  readonly model: Model;
  /** Replays the lead and counts it; answers the replay for the caller's own figures. */
  add(lead: HistoryLead): Replay & { judged: LeadScore };
  side(): BacktestSide;
  curve(name?: string): Curve;
};

export function modelTally(model: Model, now: number, weeks: number): ModelTally {
  const mqlWeeks = weekCounter(now, weeks);
  let mqls = 0;
  const reached: Scored[] = [];
  const scored: Scored[] = [];
  return {
    model,
    add(lead) {
      const r = replayLead(model, lead, now, judgedAt(lead, now));
      mqlWeeks.add(r.mqlAt);
      if (MQL_OR_BEYOND.has(r.stage)) mqls++;
      const outcome = lead.outcome && lead.outcome.at <= now ? lead.outcome : undefined;
      if (outcome) {
        const label = outcome.result === 'won' ? 1 : 0;
        // Reached before the outcome: afterwards a won lead is a customer whatever its score.
        reached.push({ score: r.mqlAt !== undefined && r.mqlAt < outcome.at ? 1 : 0, label });
        scored.push({ score: rankScore(r.judged), label });
      }
      return r;
    },
    side() {
      const pr = precisionRecall(reached, 1);
      return { modelId: model.id, version: model.version, mqlsPerWeek: mqlWeeks.counts(), mqls, precision: pr.precision, recall: pr.recall, auc: auc(scored) };
    },
    curve(name = `${model.id} v${model.version}`) {
      return curveOf(name, scored);
    },
  };
}

const MAX_ROC_POINTS = 200;

export function curveOf(scorer: string, items: readonly Scored[]): Curve {
  return { scorer, auc: auc(items), roc: thin(roc(items), MAX_ROC_POINTS), lift: lift(items) };
}

/** At most `max` points, the first and last kept: a chart needs no more, and 100k leads make 100k points. */
function thin<T>(points: readonly T[], max: number): T[] {
  if (points.length <= max) return [...points];
  const out: T[] = [];
  const step = (points.length - 1) / (max - 1);
  for (let i = 0; i < max; i++) out.push(points[Math.round(i * step)]!);
  return out;
}
