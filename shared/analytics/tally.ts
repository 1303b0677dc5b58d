import type { BacktestSide, Curve, WeekCount } from '../contracts/marketing.ts';
import type { Outcome } from '../contracts/lead.ts';
import type { Model } from '../contracts/model.ts';
import { auc, curveFigures, precisionRecall, type Scored } from './classifier-metrics.ts';
import type { Judged } from './judge.ts';
import { MQL_OR_BEYOND } from './replay.ts';
import { weekCounter } from './weeks.ts';

// One model over many leads, one lead at a time: what reports and backtests both need (MQLs per
// week, MQLs now, precision and recall at the threshold, the score against outcomes). Only
// small numbers per lead are kept, so histories can be read in pages. A tally takes leads
// already judged (judge.ts), so the replays can run elsewhere (in workers) and only the
// counting, which depends on the leads' order, runs in one place.

/**
 * The single number a lead is ranked by against outcomes: interest × fit / 100. The MQL
 * threshold asks for both interest and fit, and the product is high only when both are and
 * zero when either is, so it orders leads the way the model's own threshold does. A hand-raise
 * is left out: it is a stage, not a score, and counting it would grade the lead's form, not the
 * model's points.
 */
export function rankScore(interest: number, fit: number): number {
  return (interest * fit) / 100;
}

export type ModelTally = {
  readonly model: Model;
  /** Counts one lead, judged under this model (judge.ts), with its outcome when known by `now`. */
  take(j: Judged, outcome: Pick<Outcome, 'result' | 'at'> | undefined): void;
  side(): BacktestSide;
  /** side().mqlsPerWeek alone, without the side's AUC. */
  mqlsPerWeek(): WeekCount[];
  curve(name?: string): Curve;
};

export function modelTally(model: Model, now: number, weeks: number): ModelTally {
  const mqlWeeks = weekCounter(now, weeks);
  let mqls = 0;
  const reached: Scored[] = [];
  const scored: Scored[] = [];
  return {
    model,
    take(j, outcome) {
      mqlWeeks.add(j.mqlAt);
      if (MQL_OR_BEYOND.has(j.stage)) mqls++;
      if (outcome) {
        const label = outcome.result === 'won' ? 1 : 0;
        // Reached before the outcome: afterwards a won lead is a customer whatever its score.
        reached.push({ score: j.mqlAt !== undefined && j.mqlAt < outcome.at ? 1 : 0, label });
        scored.push({ score: rankScore(j.judgedInterest, j.fit), label });
      }
    },
    mqlsPerWeek: () => mqlWeeks.counts(),
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
  const f = curveFigures(items);
  return { scorer, auc: f.auc, roc: thin(f.roc, MAX_ROC_POINTS), lift: f.lift };
}

/** At most `max` points, the first and last kept: a chart needs no more, and 100k leads make 100k points. */
function thin<T>(points: readonly T[], max: number): T[] {
  if (points.length <= max) return [...points];
  const out: T[] = [];
  const step = (points.length - 1) / (max - 1);
  for (let i = 0; i < max; i++) out.push(points[Math.round(i * step)]!);
  return out;
}
