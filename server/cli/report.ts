import { parseArgs } from 'node:util';
import { ruleName, stageName } from '../../shared/scoring/wording.ts';
import { Report } from '../../shared/contracts/marketing.ts';
import type { Model } from '../../shared/contracts/model.ts';
import { openConfigured, type OpenDatabase } from '../db/open.ts';
import { loadDraft, predictiveScorer, runReport, type Progress } from '../read/analytics-runs.ts';
import { loadLiveModels } from '../scoring/live-models.ts';
import { readCurrentModel } from '../predictive/store.ts';
import { createProgress } from './progress.ts';
import { defaultIO, type CommandIO } from './io.ts';
import { chooseLanguage, cli, type Cli } from './lang.ts';

// leadglow report [--model ID] [--weeks N] [--json] [--lang en|nl|sv] [--data DIR]: how the live
// model does against stored history and outcomes, as tables in the reader's language or one
// JSON object (the API's Report, the same in every language).

export const REPORT_USAGE = 'leadglow report [--model ID] [--weeks N] [--json] [--lang en|nl|sv] [--data DIR]';

export async function reportCommand(args: string[], io: CommandIO = defaultIO()): Promise<number> {
  const parsed = parseCommand(args, { model: { type: 'string' } }, io, REPORT_USAGE);
  if (!parsed) return 1;
  const { values, weeks, c } = parsed;
  const db = await openConfigured(values.data, io.env);
  try {
    const live = await liveModels(db);
    const model = values.model ? live.models.find((m) => m.id === values.model) : live.primary;
    if (!model) {
      io.err.write(`--model: no live model "${values.model}" (live: ${live.models.map((m) => m.id).join(', ')})\n`);
      return 1;
    }
    const draft = await loadDraft(db.read, model.id);
    const now = io.now();
    // A current model that does not load leaves the predictive column out, and says why.
    const current = await readCurrentModel(db.read);
    if (current.kind === 'unreadable') io.err.write(`${c.say('reportNoPredictive', [current.run, current.reason])}\n`);
    const scorers = current.kind === 'ok' ? [predictiveScorer(current.model, now)] : [];
    const report = await runReport(db.read, { model, ...(draft ? { draft } : {}), now, weeks, scorers, onProgress: progressOn(io, c.say('progressReport')) });
    io.out(values.json ? `${JSON.stringify(Report.parse(report))}\n` : formatReport(report, c));
    return 0;
  } finally {
    await db.close();
  }
}

// --- shared by report and backtest ----------------------------------------------------------

export type CommonValues = { data?: string | undefined; weeks?: string | undefined; json?: boolean | undefined; lang?: string | undefined };

/** Parses the flags every analytics command takes plus `extra`; prints the problem and returns undefined on bad usage. */
export function parseCommand<E extends Record<string, { type: 'string' | 'boolean' }>>(
  args: string[],
  extra: E,
  io: CommandIO,
  usage: string,
): { values: CommonValues & { [K in keyof E]?: E[K]['type'] extends 'string' ? string : boolean }; weeks: number; c: Cli } | undefined {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ args, options: { data: { type: 'string' }, weeks: { type: 'string' }, json: { type: 'boolean' }, lang: { type: 'string' }, ...extra }, allowPositionals: false }).values;
  } catch (error) {
    io.err.write(`${error instanceof Error ? error.message : String(error)}\nusage: ${usage}\n`);
    return undefined;
  }
  const raw = values.weeks as string | undefined;
  const weeks = raw === undefined ? 26 : /^\d{1,3}$/.test(raw) ? Number(raw) : NaN;
  if (!(weeks >= 1 && weeks <= 260)) {
    io.err.write(`--weeks: expected a number of weeks from 1 to 260, got "${raw}"\nusage: ${usage}\n`);
    return undefined;
  }
  let c: Cli;
  try {
    c = cli(chooseLanguage(values.lang as string | undefined, io.env));
  } catch (error) {
    io.err.write(`${(error as Error).message}\nusage: ${usage}\n`);
    return undefined;
  }
  return { values: values as CommonValues & { [K in keyof E]?: E[K]['type'] extends 'string' ? string : boolean }, weeks, c };
}

/** The live models; a store with none scores with the starter model, as the server would. */
export function liveModels(db: OpenDatabase): Promise<{ models: Model[]; primary: Model }> {
  return loadLiveModels(db.read);
}

/** A progress bar on stderr, started once the number of leads is known. */
export function progressOn(io: CommandIO, label: string): Progress {
  let bar: ReturnType<typeof createProgress> | undefined;
  return (done, total) => {
    bar ??= createProgress({ label, total, stream: io.err });
    bar.update(done);
    if (done >= total) bar.finish();
  };
}

// --- text ---------------------------------------------------------------------------------------

/** Columns padded to their widest cell; the first left-aligned, the rest right-aligned. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd()).join('\n');
}

/** A scorer's name as the report's curves give it: `model v3`, `model v4 (draft)`, `predictive (leads decided after it was trained)`. */
function scorerName(name: string, c: Cli): string {
  if (name.startsWith('predictive')) return c.say('scorerPredictive');
  const draft = / \(draft\)$/.exec(name);
  return draft ? c.say('scorerDraft', [name.slice(0, draft.index)]) : name;
}

export function formatReport(r: Report, c: Cli = cli('en')): string {
  const out: string[] = [];
  const int = (n: number) => c.num(n, 0);
  out.push(c.say('reportTitle', [r.modelId, r.modelVersion, int(r.leads), int(r.won), int(r.lost), c.dateTime(r.at)]));
  const draft = r.draftMqlsPerWeek;
  out.push('', table([[c.say('mqlsPerWeek'), c.say('colModel'), ...(draft ? [c.say('colDraft')] : [])], ...r.mqlsPerWeek.map((w, i) => [c.day(w.week), int(w.count), ...(draft ? [int(draft[i]?.count ?? 0)] : [])])]));
  const bands = (title: string, rows: readonly (Report['bands'][number])[]) =>
    table([[title, c.say('colLeads'), c.say('colWon'), c.say('colLost'), c.say('colConversion')], ...rows.map((b) => [b.label, int(b.leads), int(b.won), int(b.lost), c.pct(b.conversion)])]);
  // Band labels are ranges of interest ("20–40"): the numbers in them follow the language.
  out.push('', bands(c.say('interestBands'), r.bands.map((b) => ({ ...b, label: b.label.replace(/\d+/g, (d) => int(Number(d))) }))));
  out.push('', bands(c.say('stageBands'), r.stages.map((s) => ({ ...s, label: stageName(s.stage, c.words) }))));
  // One decimal always (36.0 d, not 36 d): a figure reads the same whatever the data gives.
  const dur = (d: Report['timeToMql']) => c.say('durations', [c.fixed(d.medianDays, 1), c.fixed(d.p75Days, 1), int(d.count)]);
  out.push('', c.say('toMql', [dur(r.timeToMql)]), c.say('toWon', [dur(r.timeToWon)]));
  if (r.topRules.length) out.push('', table([[c.say('rulesMean'), c.say('colWon'), c.say('colLost')], ...r.topRules.map((t) => [`${ruleName(t.label, c.words)} (${t.rule})`, c.num(t.wonMean), c.num(t.lostMean)])]));
  const liftAt = (curve: Report['curves'][number], depth: number) => c.fixed(curve.lift.find((l) => l.depth === depth)?.lift ?? null, 2);
  out.push(
    '',
    table([
      [c.say('againstOutcomes'), c.say('colAuc'), ...[0.1, 0.2, 0.5].map((d) => c.say('colLift', [c.pct(d)]))],
      ...r.curves.map((curve) => [scorerName(curve.scorer, c), c.fixed(curve.auc, 3), liftAt(curve, 0.1), liftAt(curve, 0.2), liftAt(curve, 0.5)]),
    ]),
  );
  out.push('', c.say('reportFoot'));
  return `${out.join('\n')}\n`;
}
