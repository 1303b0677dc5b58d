import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { formatIssues } from '../../shared/errors.ts';
import { uuidv7 } from '../../shared/ids.ts';
import type { Evaluation, FoldScore, ModelFamily } from '../../shared/contracts/marketing.ts';
import { FAMILIES, toEvaluation, train, type FoldResult } from '../../shared/predictive/cv.ts';
import { withheldBecause } from '../../shared/predictive/gate.ts';
import { english, wordRunWhy } from '../../shared/scoring/wording.ts';
import { describeSuspect, findSuspects, withoutSuspects } from '../../shared/predictive/leakage.ts';
import { isLeadColumn } from '../../shared/predictive/lead-features.ts';
import { PredictiveModel, topWeights } from '../../shared/predictive/predictive-model.ts';
import { MONTHS, WEEKDAYS } from '../../shared/predictive/encode.ts';
import { detectColumns, LABEL_SPELLINGS, toLabel, toLevel, typedRows, type ColumnInfo, type Row } from '../../shared/predictive/table.ts';
import { parseSeparator, readTable, separatorName, type CsvTable, type TableReject } from './table-csv.ts';
import { openConfigured } from '../db/open.ts';
import { defaultIO, type CommandIO } from './io.ts';
import { chooseLanguage, cli, type Cli } from './lang.ts';
import type { CliKey } from './words-cli-en.ts';
import { loadTrainingLeads } from '../predictive/data.ts';
import { runRecord } from '../predictive/service.ts';
import { currentForTraining, recordRun } from '../predictive/store.ts';
import { trainFromLeads } from '../predictive/training.ts';
import { createProgress, duration } from './progress.ts';

// leadglow train --csv FILE (--label COLUMN | --positives FILE --key COLUMN) [...]: trains and
//   evaluates on any exported table of leads; --out saves the model.
// leadglow train [--data DIR]: trains on the server's own leads with outcomes, as the
//   schedule does, and keeps the model only if it evaluates at least as well as the current one.
// leadglow train --install MODEL.json [--data DIR]: makes a saved model the server's current
//   one, if every column it reads is a lead feature the server computes.
// Results go to stdout (one JSON object with --json), progress and notes to stderr.

export const TRAIN_USAGE = `leadglow train --csv FILE (--label COLUMN | --positives FILE --key COLUMN) [--folds 5] [--seed 0]
    [--sep ';'|tab|,] [--drop COL,COL] [--keep COL,COL] [--family auto|logistic|trees]
    [--absolute-time] [--l2 1] [--json] [--out MODEL.json]
    [--lang en|nl|sv]
  leadglow train [--data DIR] [--json] [--out MODEL.json]      (the server's leads with outcomes)
  leadglow train --install MODEL.json [--data DIR]`;

export { readTable, type CsvTable };

function column(header: readonly string[], name: string, file: string): string {
  const found = header.find((h) => h.toLowerCase() === name.trim().toLowerCase());
  if (!found) throw new UsageError(`${file} has no column "${name}"; its columns are ${header.map((h) => `"${h}"`).join(', ')}`);
  return found;
}

class UsageError extends Error {}

function integer(value: string | undefined, def: number, name: string, min: number, max: number): number {
  if (value === undefined) return def;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name}: expected a whole number from ${min} to ${max}`);
  return n;
}

/** Larger tables are cross-validated on a stratified sample of this many rows (cv.ts `maxRows`). */
export const CV_MAX_ROWS = 30_000;

/** How many rejected rows are printed one per line before the rest are counted. */
const SHOWN_REJECTS = 20;

export function formatRejects(file: string, rejects: readonly TableReject[], unit: 'line' | 'row' = 'line'): string {
  if (!rejects.length) return '';
  const lines = rejects.slice(0, SHOWN_REJECTS).map((r) => `${file} ${unit} ${r.line}: ${r.reason}; row skipped`);
  if (rejects.length > SHOWN_REJECTS) lines.push(`... and ${rejects.length - SHOWN_REJECTS} more rows skipped`);
  return `${lines.join('\n')}\n`;
}

/** Rows and 0/1 labels from the table and the label options; the label and key columns are left out of the rows. */
export async function labelledRows(
  table: CsvTable,
  opts: { csv: string; label?: string; positives?: string; key?: string; sep?: string },
): Promise<{ rows: Row[]; labels: (0 | 1)[]; label: string; rejects: TableReject[] }> {
  const rows: Row[] = [];
  const labels: (0 | 1)[] = [];
  const rejects: TableReject[] = [];
  if (opts.positives) {
    if (!opts.key) throw new UsageError('--positives needs --key COLUMN: the column both files share');
    const key = column(table.header, opts.key, opts.csv);
    const other = await readTable(opts.positives, { sep: opts.sep });
    const otherKey = column(other.header, opts.key, opts.positives);
    const positive = new Set(other.rows.map((r) => toLevel(r[otherKey])).filter((v) => v !== undefined));
    for (const r of table.rows) {
      const { [key]: id, ...rest } = r;
      rows.push(rest);
      labels.push(positive.has(toLevel(id) ?? '\u0000') ? 1 : 0);
    }
    return { rows, labels, label: opts.label ?? `${opts.key} in ${opts.positives}`, rejects };
  }
  if (!opts.label) throw new UsageError('expected --label COLUMN, or --positives FILE --key COLUMN');
  const label = column(table.header, opts.label, opts.csv);
  table.rows.forEach((r, i) => {
    const { [label]: value, ...rest } = r;
    const y = toLabel(value);
    if (y === undefined) {
      const shown = (value ?? '').trim();
      rejects.push({ line: table.lines[i] ?? i + 2, reason: `${shown ? `label "${shown.slice(0, 40)}"` : 'empty label'} in "${label}" is not ${LABEL_SPELLINGS}` });
      return;
    }
    rows.push(rest);
    labels.push(y);
  });
  return { rows, labels, label, rejects };
}

/** The CLI's table; the columns line only when known (a CSV run). */
export type ReportInput = Omit<Evaluation, 'folds'> & { folds: (FoldScore & Partial<FoldResult>)[]; columns?: ColumnInfo[]; baselineLogLoss?: number };

const FAMILY_KEY: Record<ModelFamily, CliKey> = { logistic: 'familyLogistic', trees: 'familyTrees' };
const KIND_KEY: Record<ColumnInfo['kind'], CliKey> = { numeric: 'kindNumeric', categorical: 'kindCategorical', date: 'kindDate', id: 'kindId', constant: 'kindConstant' };

/**
 * A feature as the encoders name it (`Country missing`, `Lead Source = other`, `Created weekday = Mon`),
 * in the reader's language; the column and its values are the data's own and stay as they are.
 */
export function featureLabel(feature: string, c: Cli): string {
  const day = (i: number) => new Intl.DateTimeFormat(c.lang, { weekday: 'short', timeZone: 'UTC' }).format(Date.UTC(2023, 11, 31 + i)); // WEEKDAYS starts on Sunday, as 31 Dec 2023 was
  const month = (i: number) => new Intl.DateTimeFormat(c.lang, { month: 'short', timeZone: 'UTC' }).format(Date.UTC(2024, i, 1));
  let m: RegExpExecArray | null;
  if ((m = /^(.*) missing$/.exec(feature))) return c.say('featMissing', [m[1]!]);
  if ((m = /^(.*) = other$/.exec(feature))) return c.say('featOther', [m[1]!]);
  if ((m = /^(.*) \(conversion of its value\)$/.exec(feature))) return c.say('featConversion', [m[1]!]);
  if ((m = /^(.*) \(frequency\)$/.exec(feature))) return c.say('featFrequency', [m[1]!]);
  if ((m = /^(.*) weekday = (\w+)$/.exec(feature)) && WEEKDAYS.includes(m[2] as (typeof WEEKDAYS)[number])) return c.say('featWeekday', [m[1]!, day(WEEKDAYS.indexOf(m[2] as (typeof WEEKDAYS)[number]))]);
  if ((m = /^(.*) hour = (\S+)$/.exec(feature))) return c.say('featHour', [m[1]!, m[2]!]);
  if ((m = /^(.*) month = (\w+)$/.exec(feature)) && MONTHS.includes(m[2] as (typeof MONTHS)[number])) return c.say('featMonth', [m[1]!, month(MONTHS.indexOf(m[2] as (typeof MONTHS)[number]))]);
  if ((m = /^(.*) year$/.exec(feature))) return c.say('featYear', [m[1]!]);
  return feature;
}

export function formatReport(cv: ReportInput, model: PredictiveModel, seed: number, ms: number, c: Cli = cli('en')): string {
  const lines: string[] = [];
  const f3 = (x: number | null | undefined) => (typeof x === 'number' ? c.fixed(x, 3) : '-');
  const int = (n: number) => c.num(n, 0);
  const family = (f: ModelFamily) => c.say(FAMILY_KEY[f]);
  lines.push(c.say('trRows', [int(cv.rows), int(cv.positives), c.pct(cv.rows ? cv.positives / cv.rows : 0, 1), c.duration(ms)]));
  const excluded = new Set((cv.excluded ?? []).map((e) => e.column));
  if (cv.columns) {
    const described = cv.columns.map((col) => {
      const kind = c.say(KIND_KEY[col.kind]);
      const what = excluded.has(col.name) ? c.say('trLeftOut') : col.kind === 'id' || col.kind === 'constant' ? c.say('trDropped', [kind]) : col.kind === 'categorical' ? c.say('trValues', [int(col.distinct)]) : kind;
      return `${col.name} (${what})`;
    });
    lines.push(c.say('trColumns', [described.join(', ')]));
  }
  lines.push('', c.say('trCv', [cv.folds.length, seed]));
  const head = [c.say('colFold'), c.say('colRows'), c.say('colPos'), c.say('colLogistic'), c.say('colTrees'), c.say('colChosenAuc'), c.say('colLogLoss'), c.say('colBaselineAuc')];
  const width = (i: number) => (i === 0 ? Math.max(5, head[0]!.length, c.say('rowMean').length) : i < 3 ? Math.max(6, head[i]!.length) : Math.max(12, head[i]!.length));
  const row = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(width(i)) : cell.padStart(width(i)))).join(' ');
  lines.push(row(head));
  cv.folds.forEach((f, i) => {
    lines.push(row([String(i + 1), f.rows === undefined ? '-' : int(f.rows), f.positives === undefined ? '-' : int(f.positives), ...[f.logisticAuc, f.treesAuc, f.auc, f.logLoss, f.baselineAuc].map(f3)]));
  });
  const fam = (name: ModelFamily) => cv.families?.find((x) => x.family === name)?.auc;
  lines.push(row([c.say('rowMean'), '', '', ...[fam('logistic'), fam('trees'), cv.auc, cv.logLoss, cv.baselineAuc].map(f3)]));
  if (cv.family && cv.families) {
    const others = cv.families.filter((x) => x.family !== cv.family).map((x) => c.say('trFamily', [family(x.family), f3(x.auc), f3(x.logLoss)]));
    lines.push('', c.say('trChosen', [family(cv.family), f3(cv.auc), f3(cv.logLoss), others.join('; ')]));
  }
  if (cv.auc !== null && typeof cv.baselineAuc === 'number') {
    lines.push(c.say('trVsBaseline', [f3(cv.auc), f3(cv.baselineAuc), f3(cv.auc / cv.baselineAuc)]));
  }
  if (cv.reliability?.length) {
    lines.push('', c.say('trCalibration'));
    for (const b of cv.reliability) lines.push(`  ${c.say('trBand', [c.pct(b.predicted, 1).padStart(6), c.pct(b.observed, 1).padStart(6), int(b.count)])}`);
  }
  const withheld = withheldBecause(cv);
  if (withheld?.reason === 'outcomes') lines.push('', c.say('trWithheldOutcomes', [int(withheld.won), int(withheld.lost), int(withheld.needed)]));
  if (withheld?.reason === 'auc') lines.push('', c.say('trWithheldAuc', [f3(withheld.auc), c.fixed(withheld.needed, 1)]));
  if (model.family === 'trees') {
    lines.push('', c.say('trTopTrees', [int(model.trees?.trees.length ?? 0)]));
    for (const w of topWeights(model, 10)) lines.push(`  ${f3(w.weight).padStart(8)}  ${featureLabel(w.feature, c)}`);
  } else {
    lines.push('', c.say('trTopLogistic'));
    for (const w of topWeights(model, 10)) lines.push(`  ${w.weight >= 0 ? '+' : ''}${f3(w.weight)}  ${featureLabel(w.feature, c)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `leadglow train ...`; returns the exit code (0 ok, 1 usage or input error). */
export async function trainCommand(args: string[], io: CommandIO = defaultIO()): Promise<number> {
  try {
    return await run(args, io);
  } catch (error) {
    const usage = error instanceof UsageError;
    io.err.write(`${error instanceof Error ? error.message : String(error)}${usage ? `\n\nusage: ${TRAIN_USAGE}` : ''}\n`);
    return 1;
  }
}

const list = (value: string | undefined): string[] => (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);

async function run(args: string[], io: CommandIO): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      csv: { type: 'string' },
      label: { type: 'string' },
      positives: { type: 'string' },
      key: { type: 'string' },
      folds: { type: 'string' },
      seed: { type: 'string' },
      sep: { type: 'string' },
      drop: { type: 'string' },
      keep: { type: 'string' },
      family: { type: 'string' },
      'absolute-time': { type: 'boolean' },
      l2: { type: 'string' },
      json: { type: 'boolean' },
      out: { type: 'string' },
      data: { type: 'string' },
      install: { type: 'string' },
      lang: { type: 'string' },
    },
  });
  let c: Cli;
  try {
    c = cli(chooseLanguage(values.lang, io.env));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.install) return install(values.install, values.data, io);
  if (!values.csv) {
    if (values.label || values.positives) throw new UsageError('--label and --positives go with --csv FILE');
    return trainOnServer(values, io, c);
  }
  const folds = integer(values.folds, 5, '--folds', 2, 20);
  const seed = integer(values.seed, 0, '--seed', 0, 2 ** 31 - 1);
  const l2 = values.l2 === undefined ? 1 : Number(values.l2);
  if (!(l2 >= 0 && Number.isFinite(l2))) throw new UsageError('--l2: expected a number of 0 or more');
  const familyArg = values.family ?? 'auto';
  if (familyArg !== 'auto' && !FAMILIES.includes(familyArg as ModelFamily)) throw new UsageError(`--family: expected auto, logistic or trees, got "${familyArg}"`);
  const families = familyArg === 'auto' ? FAMILIES : [familyArg as ModelFamily];
  let sep: string | undefined;
  try {
    sep = values.sep === undefined ? undefined : parseSeparator(values.sep);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const started = io.now();
  const table = await readTable(values.csv, { sep });
  for (const note of table.notes) io.err.write(`${values.csv}: ${note}\n`);
  io.err.write(formatRejects(values.csv, table.rejects, table.unit));
  const drop = list(values.drop).map((d) => column(table.header, d, values.csv!));
  const keep = list(values.keep).map((d) => column(table.header, d, values.csv!));
  const data = await labelledRows(table, { csv: values.csv, ...(values.label ? { label: values.label } : {}), ...(values.positives ? { positives: values.positives } : {}), ...(values.key ? { key: values.key } : {}), ...(sep ? { sep } : {}) });
  io.err.write(formatRejects(values.csv, data.rejects, table.unit));
  // The labelled rows are all that training needs: the table's own go now (some 50 MB at 200,000 rows).
  table.rows = [];
  if (data.rows.length === 0) throw new Error(`${values.csv}: no row has a usable label (${LABEL_SPELLINGS})`);
  const rows = drop.length ? data.rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !drop.includes(k)))) : data.rows;
  // The leakage guard: identifiers, sequence numbers and too-good-to-be-true columns are left out and named.
  const detected = detectColumns(rows);
  const suspects = findSuspects(rows, data.labels, detected, keep);
  for (const s of suspects) io.err.write(`left out: ${describeSuspect(s)}; --keep "${s.column}" uses it\n`);
  const columns = withoutSuspects(detected, suspects, keep);
  const excluded = suspects.map((s) => ({ column: s.column, why: s.why, ...(s.auc === undefined ? {} : { auc: s.auc }) }));
  const progress = createProgress({ label: c.say('progressTraining'), total: folds * (families.length + 1) + 1, stream: io.err });
  // Typed once here so the raw rows can go before training (cv.ts would type them anyway).
  const typed = typedRows(rows, columns);
  rows.length = 0;
  data.rows.length = 0;
  const { model, cv } = train(
    { id: uuidv7(started), trainedAt: started, label: data.label, rows: typed, typed: true, labels: data.labels, columns, excluded },
    { folds, seed, l2, families, maxRows: CV_MAX_ROWS, absoluteTime: values['absolute-time'] ?? false, onProgress: (done) => progress.update(done) },
  );
  progress.finish();
  if (cv.sampledFrom) io.err.write(`${c.say('cvSampled', [c.num(cv.rows), c.num(cv.sampledFrom)])}\n`);
  const ms = io.now() - started;
  if (values.out) {
    await writeFile(values.out, `${JSON.stringify(model)}\n`);
    io.err.write(`model saved to ${values.out}\n`);
  }
  const evaluation = toEvaluation(cv, excluded);
  if (values.json) {
    io.out(`${JSON.stringify({ ...evaluation, ...(cv.sampledFrom ? { sampledFrom: cv.sampledFrom } : {}), folds: cv.folds, seed, ms, ...(table.separator ? { separator: table.separator } : {}), topFactors: topWeights(model, 10) })}\n`);
  } else {
    io.out(formatReport({ ...evaluation, folds: cv.folds, columns: detected, ...(cv.baselineLogLoss === undefined ? {} : { baselineLogLoss: cv.baselineLogLoss }) }, model, seed, ms, c));
  }
  return 0;
}

/** Trains on the server's leads with outcomes, in this process, under the same keep-previous rule as the schedule. */
async function trainOnServer(values: { data?: string | undefined; json?: boolean | undefined; out?: string | undefined }, io: CommandIO, c: Cli): Promise<number> {
  const db = await openConfigured(values.data, io.env);
  try {
    const started = io.now();
    const id = uuidv7(started);
    const leads = await loadTrainingLeads(db.read);
    io.err.write(`training on ${leads.length} leads with an outcome (${db.location})\n`);
    const current = await currentForTraining(db.read);
    if (current.unreadable) io.err.write(`${c.say('trCurrentUnreadable', [current.unreadable.run, current.unreadable.reason])}\n`);
    const result = trainFromLeads({ id, now: started, leads, current: current.text, folds: 5, seed: 0 });
    if (result.unreadable) io.err.write(`${c.say('trUnreadable', [result.unreadable.count])}\n${result.unreadable.reasons.map((r) => `  ${r}\n`).join('')}`);
    const run = runRecord(id, started, result);
    await db.write.transaction().execute((trx) => recordRun(trx, run));
    if (!result.ok) {
      io.err.write(`${wordRunWhy(result.why, c.words)}\n`);
      if (values.json) io.out(`${JSON.stringify({ accepted: false, reason: wordRunWhy(result.why, english), why: result.why })}\n`);
      return 2;
    }
    if (values.out) await writeFile(values.out, `${JSON.stringify(result.model)}\n`);
    const { evaluation } = result.model;
    if (values.json) io.out(`${JSON.stringify({ ...evaluation, accepted: result.accepted, reason: wordRunWhy(result.why, english), why: result.why, newAuc: result.newAuc, currentAuc: result.currentAuc, comparedOn: result.comparedOn })}\n`);
    else io.out(`${formatReport(evaluation, result.model, 0, io.now() - started, c)}\n${c.say(result.accepted ? 'trKept' : 'trNotKept', [wordRunWhy(result.why, c.words)])}\n`);
    return 0;
  } finally {
    await db.close();
  }
}

/** Makes a saved model current, if the server can compute every column it reads. */
async function install(file: string, dataDir: string | undefined, io: CommandIO): Promise<number> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = PredictiveModel.safeParse(json);
  if (!parsed.success) throw new Error(`${file} is not a Leadglow predictive model:\n${formatIssues(parsed.error.issues).join('\n')}`);
  const model = parsed.data;
  const foreign = [...new Set(model.encoders.map((e) => e.column))].filter((c) => !isLeadColumn(c));
  if (foreign.length) {
    io.err.write(
      `${file} reads ${foreign.map((c) => `"${c}"`).join(', ')}, which Leadglow leads do not have: it can score rows of the table it was trained on, not the server's leads. ` +
        'Train the server\'s model on its own leads with `leadglow train --data DIR` (or POST /v1/predictive/train).\n',
    );
    return 2;
  }
  const db = await openConfigured(dataDir, io.env);
  try {
    const why = { kind: 'installed', file, auc: model.evaluation.auc } as const;
    await db.write.transaction().execute((trx) => recordRun(trx, { id: uuidv7(io.now()), trainedAt: io.now(), status: 'current', why, model }));
    io.err.write(`${wordRunWhy(why, english)}; the server picks it up within a minute\n`);
    return 0;
  } finally {
    await db.close();
  }
}
