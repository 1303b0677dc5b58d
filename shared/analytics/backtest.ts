import type { Backtest, StageMove } from '../contracts/marketing.ts';
import type { Model } from '../contracts/model.ts';
import type { Outcome } from '../contracts/lead.ts';
import { judgeFit, judgeLead, sameFit, sortedHistory, type Judged } from './judge.ts';
import type { HistoryLead } from './replay.ts';
import { modelTally } from './tally.ts';

// A draft against the live model over the same histories and outcomes, before it is published:
// MQLs per week each, precision and recall at the MQL threshold, AUC each, and the leads whose
// stage would change. Leads are added in pages, as for reports.

export type BacktestOptions = { live: Model; draft: Model; now: number; weeks: number };
/** One lead as a backtest counts it: judged under both models; who it is only when its stage moves. */
export type BacktestLead = {
  outcome?: Pick<Outcome, 'result' | 'at'>;
  live: Judged;
  draft: Judged;
  who?: { leadId: string; email?: string; name?: string };
};

/** As for reports (report.ts): `judge` replays a lead anywhere, `take` counts judged leads in order, `add` does both. */
export type BacktestBuilder = { add(leads: Iterable<HistoryLead>): void; take(leads: Iterable<BacktestLead>): void; finish(): Backtest };

export const MAX_MOVES = 500;

/** What `take` needs of each lead, computed from its history alone. */
export function backtestJudge({ live, draft, now }: BacktestOptions): (lead: HistoryLead) => BacktestLead {
  const fitAlike = sameFit(live, draft);
  return (lead) => {
    const h = sortedHistory(lead, now);
    const fit = judgeFit(live, h, false);
    const r: BacktestLead = { live: judgeLead(live, h, false, fit), draft: judgeLead(draft, h, false, fitAlike ? fit : undefined) };
    if (h.outcome) r.outcome = { result: h.outcome.result, at: h.outcome.at };
    if (r.live.stage !== r.draft.stage) r.who = { leadId: lead.id, ...(lead.email ? { email: lead.email } : {}), ...(lead.name ? { name: lead.name } : {}) };
    return r;
  };
}

export function createBacktest(options: BacktestOptions): BacktestBuilder {
  const { live, draft, now, weeks } = options;
  const a = modelTally(live, now, weeks);
  const b = modelTally(draft, now, weeks);
  const moves: StageMove[] = [];
  let leads = 0;
  const takeOne = (r: BacktestLead) => {
    leads++;
    a.take(r.live, r.outcome);
    b.take(r.draft, r.outcome);
    const before = r.live;
    const after = r.draft;
    if (before.stage === after.stage || !r.who) return;
    moves.push({
      ...r.who,
      from: before.stage,
      to: after.stage,
      liveInterest: before.interest,
      draftInterest: after.interest,
      liveFit: before.fit,
      draftFit: after.fit,
    });
  };
  const judge = backtestJudge(options);
  return {
    add(page) {
      for (const lead of page) takeOne(judge(lead));
    },
    take(judged) {
      for (const r of judged) takeOne(r);
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
