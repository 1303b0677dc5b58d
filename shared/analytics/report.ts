import { STAGES, type Outcome, type RuleLabel, type Stage } from '../contracts/lead.ts';
import type { Band, Durations, Report, RuleContribution } from '../contracts/marketing.ts';
import type { Model } from '../contracts/model.ts';
import { DAY_MS } from '../scoring/decay.ts';
import type { Scored } from './classifier-metrics.ts';
import { judgeFit, judgeLead, sameFit, sortedHistory, type Judged } from './judge.ts';
import type { HistoryLead } from './replay.ts';
import { curveOf, modelTally, type ModelTally } from './tally.ts';

// How a model does against history and outcomes, from plain data: MQLs per week (and the
// draft's), conversion per interest band and per stage, time to MQL and to won, the rules that
// tell won from lost leads, and ROC and lift. Leads are added in pages so that a store of any
// size fits in memory; only a few numbers per lead are kept.
//
// A lead with an outcome is judged on its score just before the outcome (a won lead is a
// customer afterwards, whatever the model said); a lead without one, on its score now.

/** Another way to score a lead, e.g. the predictive model: undefined leaves the lead out. */
export type Scorer = { name: string; score(lead: HistoryLead): number | undefined };

export type ReportOptions = {
  model: Model;
  /** The model's draft: its MQLs per week and its curve go beside the model's. */
  draft?: Model | undefined;
  now: number;
  /** Weeks in the MQL series, ending with the week `now` is in. */
  weeks: number;
  scorers?: readonly Scorer[];
};

/** One lead as a report counts it: judged under the model (and the draft), with the other scorers' say. */
export type ReportLead = {
  /** Its outcome, when known by `now`. */
  outcome?: Pick<Outcome, 'result' | 'at'>;
  /** Its first event, when it has one. */
  firstSeen?: number;
  main: Judged;
  draft?: Judged;
  /** Each scorer's score, in `scorers` order, for a lead with an outcome (undefined leaves it out). */
  scores?: (number | undefined)[];
};

/**
 * A report is built in two steps, so the expensive one can run anywhere: `judge` replays a lead
 * (in a worker), `take` counts judged leads (in one place, in the leads' order: sums of points
 * and the order of ties depend on it). `add` does both.
 */
export type ReportBuilder = { add(leads: Iterable<HistoryLead>): void; take(leads: Iterable<ReportLead>): void; finish(): Report };

/** What `take` needs of each lead, computed from its history alone. */
export function reportJudge(options: ReportOptions): (lead: HistoryLead) => ReportLead {
  const { model, draft, now } = options;
  const scorers = options.scorers ?? [];
  const draftFit = draft !== undefined && sameFit(model, draft);
  return (lead) => {
    const h = sortedHistory(lead, now);
    const fit = judgeFit(model, h, true);
    const r: ReportLead = { main: judgeLead(model, h, true, fit) };
    if (draft) r.draft = judgeLead(draft, h, false, draftFit ? fit : undefined);
    const firstSeen = h.events[0]?.ts;
    if (firstSeen !== undefined) r.firstSeen = firstSeen;
    if (h.outcome) {
      r.outcome = { result: h.outcome.result, at: h.outcome.at };
      if (scorers.length > 0) r.scores = scorers.map((s) => s.score(lead));
    }
    return r;
  };
}

/** Interest bands, by their lower bound; the first takes everything below 20. */
export const INTEREST_BANDS = [
  { from: -Infinity, label: '< 20' },
  { from: 20, label: '20–40' },
  { from: 40, label: '40–60' },
  { from: 60, label: '60–80' },
  { from: 80, label: '80–100' },
  { from: 100, label: '≥ 100' },
] as const;

const TOP_RULES = 15;

type Count = { leads: number; won: number; lost: number };
const zero = (): Count => ({ leads: 0, won: 0, lost: 0 });

export function createReport(options: ReportOptions): ReportBuilder {
  const { model, draft, now, weeks } = options;
  const main = modelTally(model, now, weeks);
  const second: ModelTally | undefined = draft ? modelTally(draft, now, weeks) : undefined;
  const scorers = (options.scorers ?? []).map((s) => ({ s, items: [] as Scored[] }));
  const bands = INTEREST_BANDS.map(zero);
  const stages = new Map<Stage, Count>(STAGES.map((s) => [s, zero()]));
  const toMql: number[] = [];
  const toWon: number[] = [];
  const contribution = { won: new Map<string, number>(), lost: new Map<string, number>() };
  const labels = new Map<string, RuleLabel>();
  let leads = 0;
  let won = 0;
  let lost = 0;

  const takeOne = (r: ReportLead) => {
    leads++;
    const outcome = r.outcome;
    main.take(r.main, outcome);
    if (second) second.take(r.draft!, outcome);
    const result = outcome?.result;
    if (result === 'won') won++;
    if (result === 'lost') lost++;
    const count = (c: Count) => {
      c.leads++;
      if (result) c[result]++;
    };
    const j = r.main;
    count(bands[bandOf(j.judgedInterest)]!);
    count(stages.get(j.judgedStage)!);
    if (r.firstSeen !== undefined && j.mqlAt !== undefined) toMql.push((j.mqlAt - r.firstSeen) / DAY_MS);
    if (r.firstSeen !== undefined && outcome?.result === 'won') toWon.push((outcome.at - r.firstSeen) / DAY_MS);
    if (result) {
      const sums = contribution[result];
      for (const reason of j.reasons ?? []) {
        sums.set(reason.rule, (sums.get(reason.rule) ?? 0) + reason.points);
        labels.set(reason.rule, reason.label);
      }
      for (let k = 0; k < scorers.length; k++) {
        const score = r.scores?.[k];
        if (score !== undefined && Number.isFinite(score)) scorers[k]!.items.push({ score, label: result === 'won' ? 1 : 0 });
      }
    }
  };
  const judge = reportJudge(options);

  return {
    add(page) {
      for (const lead of page) takeOne(judge(lead));
    },
    take(judged) {
      for (const r of judged) takeOne(r);
    },
    finish() {
      const report: Report = {
        modelId: model.id,
        modelVersion: model.version,
        at: now,
        leads,
        won,
        lost,
        mqlsPerWeek: main.mqlsPerWeek(),
        bands: INTEREST_BANDS.map((b, i) => band(b.label, bands[i]!)),
        stages: STAGES.map((stage) => ({ stage, ...band(stage, stages.get(stage)!) })),
        timeToMql: durations(toMql),
        timeToWon: durations(toWon),
        topRules: topRules(contribution, labels, won, lost),
        curves: [main.curve(), ...(second ? [second.curve(`${second.model.id} v${second.model.version} (draft)`)] : []), ...scorers.map(({ s, items }) => curveOf(s.name, items))],
      };
      if (second) report.draftMqlsPerWeek = second.mqlsPerWeek();
      return report;
    },
  };
}

/** The report over leads already in memory. */
export function buildReport(leads: Iterable<HistoryLead>, options: ReportOptions): Report {
  const builder = createReport(options);
  builder.add(leads);
  return builder.finish();
}

export function bandOf(interest: number): number {
  let i = 0;
  while (i + 1 < INTEREST_BANDS.length && interest >= INTEREST_BANDS[i + 1]!.from) i++;
  return i;
}

function band(label: string, c: Count): Band {
  return { label, leads: c.leads, won: c.won, lost: c.lost, conversion: c.won + c.lost > 0 ? c.won / (c.won + c.lost) : null };
}

/** Median and 75th percentile (linear between ranks), in days. */
export function durations(days: readonly number[]): Durations {
  if (days.length === 0) return { count: 0, medianDays: null, p75Days: null };
  // A typed array sorts numbers ascending without a comparator: 100k durations in a few ms
  // instead of 150-250 ms, which a report's last step spent on the event loop.
  const sorted = Float64Array.from(days).sort();
  return { count: sorted.length, medianDays: quantile(sorted, 0.5), p75Days: quantile(sorted, 0.75) };
}

function quantile(sorted: Float64Array, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/**
 * Rules by how differently they score won and lost leads (mean points over all won leads and
 * over all lost ones, a lead the rule did not score counting zero), biggest difference first.
 */
function topRules(sums: { won: Map<string, number>; lost: Map<string, number> }, labels: Map<string, RuleLabel>, won: number, lost: number): RuleContribution[] {
  const rules = [...labels.keys()];
  const out = rules.map((rule) => ({
    rule,
    label: labels.get(rule)!,
    wonMean: won ? (sums.won.get(rule) ?? 0) / won : 0,
    lostMean: lost ? (sums.lost.get(rule) ?? 0) / lost : 0,
  }));
  out.sort((a, b) => Math.abs(b.wonMean - b.lostMean) - Math.abs(a.wonMean - a.lostMean) || (a.rule < b.rule ? -1 : 1));
  return out.slice(0, TOP_RULES);
}
