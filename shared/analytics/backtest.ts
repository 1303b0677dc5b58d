import type { Backtest, StageMove } from '../contracts/marketing.ts';
import type { Model } from '../contracts/model.ts';
import type { HistoryLead } from './replay.ts';
import { modelTally } from './tally.ts';

// A draft against the live model over the same histories and outcomes, before it is published:
// MQLs per week each, precision and recall at the MQL threshold, AUC each, and the leads whose
// stage would change. Leads are added in pages, as for reports.

export type BacktestOptions = { live: Model; draft: Model; now: number; weeks: number };
export type BacktestBuilder = { add(leads: Iterable<HistoryLead>): void; finish(): Backtest };

export const MAX_MOVES = 500;

export function createBacktest({ live, draft, now, weeks }: BacktestOptions): BacktestBuilder {
  const a = modelTally(live, now, weeks);
  const b = modelTally(draft, now, weeks);
  const moves: StageMove[] = [];
  let leads = 0;
  return {
    add(page) {
      for (const lead of page) {
        leads++;
        const before = a.add(lead);
        const after = b.add(lead);
        if (before.stage === after.stage) continue;
        moves.push({
          leadId: lead.id,
          ...(lead.email ? { email: lead.email } : {}),
          ...(lead.name ? { name: lead.name } : {}),
          from: before.stage,
          to: after.stage,
          liveInterest: before.interest,
          draftInterest: after.interest,
          liveFit: before.fit.score,
          draftFit: after.fit.score,
        });
      }
    },
    finish() {
      const change = (m: StageMove) => Math.abs(m.draftInterest - m.liveInterest);
      moves.sort((x, y) => change(y) - change(x) || (x.leadId < y.leadId ? -1 : 1));
      return { at: now, leads, live: a.side(), draft: b.side(), moves: moves.slice(0, MAX_MOVES), changed: moves.length };
    },
  };
}

/** The backtest over leads already in memory. */
export function buildBacktest(leads: Iterable<HistoryLead>, options: BacktestOptions): Backtest {
  const builder = createBacktest(options);
  builder.add(leads);
  return builder.finish();
}
