import { parseArgs } from 'node:util';
import { english, ruleName } from '../../shared/scoring/wording.ts';
import { Report } from '../../shared/contracts/marketing.ts';
import type { Model } from '../../shared/contracts/model.ts';
import { openConfigured, type Database_ } from '../db/open.ts';
import { loadDraft, predictiveScorer, runReport, type Progress } from '../history.ts';
import { loadLiveModels } from '../models.ts';
import { loadCurrentModel } from '../predictive/store.ts';
import { createProgress } from '../progress.ts';
import { defaultIO, type CommandIO } from './io.ts';

// leadglow report [--model ID] [--weeks N] [--json] [--data DIR]: how the live model does
// against stored history and outcomes, as tables or one JSON object (the API's Report).

export const REPORT_USAGE = 'leadglow report [--model ID] [--weeks N] [--json] [--data DIR]';

export async function reportCommand(args: string[], io: CommandIO = defaultIO()): Promise<number> {
  const parsed = parseCommand(args, { model: { type: 'string' } }, io, REPORT_USAGE);
  if (!parsed) return 1;
  const { values, weeks } = parsed;
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
    const predictive = await loadCurrentModel(db.read).catch(() => undefined);
    const scorers = predictive ? [predictiveScorer(predictive, now)] : [];
    const report = await runReport(db.read, { model, ...(draft ? { draft } : {}), now, weeks, scorers, onProgress: progressOn(io, 'report') });
    io.out(values.json ? `${JSON.stringify(Report.parse(report))}\n` : formatReport(report));
    return 0;
  } finally {
    await db.close();
  }
}

// --- shared by report and backtest ----------------------------------------------------------

export type CommonValues = { data?: string | undefined; weeks?: string | undefined; json?: boolean | undefined };

/** Parses the flags every analytics command takes plus `extra`; prints the problem and returns undefined on bad usage. */
export function parseCommand<E extends Record<string, { type: 'string' | 'boolean' }>>(
  args: string[],
  extra: E,
  io: CommandIO,
  usage: string,
): { values: CommonValues & { [K in keyof E]?: E[K]['type'] extends 'string' ? string : boolean }; weeks: number } | undefined {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ args, options: { data: { type: 'string' }, weeks: { type: 'string' }, json: { type: 'boolean' }, ...extra }, allowPositionals: false }).values;
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
  return { values: values as CommonValues & { [K in keyof E]?: E[K]['type'] extends 'string' ? string : boolean }, weeks };
}

/** The live models; a store with none scores with the starter model, as the server would. */
export function liveModels(db: Database_): Promise<{ models: Model[]; primary: Model }> {
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

export const day = (t: number) => new Date(t).toISOString().slice(0, 10);
export const pct = (x: number | null) => (x === null ? '–' : `${Math.round(x * 100)}%`);
export const num = (x: number | null, digits = 1) => (x === null ? '–' : x.toFixed(digits));

export function formatReport(r: Report): string {
  const out: string[] = [];
  out.push(`Report: ${r.modelId} v${r.modelVersion}, ${r.leads} leads (${r.won} won, ${r.lost} lost), as of ${new Date(r.at).toISOString().slice(0, 16).replace('T', ' ')} UTC`);
  const draft = r.draftMqlsPerWeek;
  out.push('', table([['MQLs per week', 'model', ...(draft ? ['draft'] : [])], ...r.mqlsPerWeek.map((w, i) => [day(w.week), String(w.count), ...(draft ? [String(draft[i]?.count ?? 0)] : [])])]));
  const bands = (title: string, rows: Report['bands']) => table([[title, 'leads', 'won', 'lost', 'conversion'], ...rows.map((b) => [b.label, String(b.leads), String(b.won), String(b.lost), pct(b.conversion)])]);
  out.push('', bands('Interest (before outcome)', r.bands));
  out.push('', bands('Stage (before outcome)', r.stages.map((s) => ({ ...s, label: s.stage }))));
  const dur = (d: Report['timeToMql']) => `median ${num(d.medianDays)} d, p75 ${num(d.p75Days)} d (${d.count} leads)`;
  out.push('', `From first visit to MQL: ${dur(r.timeToMql)}`, `From first visit to won: ${dur(r.timeToWon)}`);
  if (r.topRules.length) out.push('', table([['Rules: mean points', 'won', 'lost'], ...r.topRules.map((t) => [`${ruleName(t.label, english)} (${t.rule})`, num(t.wonMean), num(t.lostMean)])]));
  const liftAt = (c: Report['curves'][number], depth: number) => num(c.lift.find((l) => l.depth === depth)?.lift ?? null, 2);
  out.push('', table([['Against outcomes', 'AUC', 'lift@10%', 'lift@20%', 'lift@50%'], ...r.curves.map((c) => [c.scorer, num(c.auc, 3), liftAt(c, 0.1), liftAt(c, 0.2), liftAt(c, 0.5)])]));
  out.push('', 'Scores are interest × fit / 100, judged just before each outcome.');
  return `${out.join('\n')}\n`;
}
