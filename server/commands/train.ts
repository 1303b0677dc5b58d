import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { uuidv7 } from '../../shared/ids.ts';
import { train, type CvResult } from '../../shared/predictive/cv.ts';
import { topWeights, type PredictiveModel } from '../../shared/predictive/model.ts';
import { toLabel, toLevel, type Row } from '../../shared/predictive/table.ts';
import { readCsv } from '../csv.ts';
import { createProgress, duration } from '../progress.ts';

// leadglow train --csv FILE --label COLUMN [--positives FILE --key COLUMN] [--folds 5] [--seed 0]
//   [--drop COL,COL] [--absolute-time] [--l2 1] [--json] [--out FILE]
// Trains and evaluates the predictive model on any exported table of leads. Results go to
// stdout (one JSON object with --json), progress and notes to stderr.

export const TRAIN_USAGE = `leadglow train --csv FILE (--label COLUMN | --positives FILE --key COLUMN) [--folds 5] [--seed 0]
    [--drop COL,COL] [--absolute-time] [--l2 1] [--json] [--out MODEL.json]`;

export type TrainIo = { stdout: { write(s: string): unknown }; stderr: { write(s: string): unknown; isTTY?: boolean }; now(): number };

const PROCESS_IO: TrainIo = { stdout: process.stdout, stderr: process.stderr, now: () => Date.now() };

export type CsvTable = { header: string[]; rows: Record<string, string>[] };

/** A whole CSV as objects keyed by the header; rows with another field count are an error. */
export async function readTable(file: string): Promise<CsvTable> {
  let header: string[] | undefined;
  const rows: Record<string, string>[] = [];
  for await (const row of readCsv(createReadStream(file))) {
    if (!header) {
      header = row.fields.map((f) => f.trim());
      continue;
    }
    if (row.fields.length !== header.length) throw new Error(`${file} line ${row.line}: expected ${header.length} fields as in the header, found ${row.fields.length}`);
    const values: Record<string, string> = {};
    header.forEach((h, i) => (values[h] = row.fields[i]!));
    rows.push(values);
  }
  if (!header) throw new Error(`${file} is empty; expected a header row`);
  return { header, rows };
}

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

/** Rows and 0/1 labels from the table and the label options; the label and key columns are left out of the rows. */
export async function labelledRows(table: CsvTable, opts: { csv: string; label?: string; positives?: string; key?: string }): Promise<{ rows: Row[]; labels: (0 | 1)[]; label: string; skipped: number }> {
  const rows: Row[] = [];
  const labels: (0 | 1)[] = [];
  let skipped = 0;
  if (opts.positives) {
    if (!opts.key) throw new UsageError('--positives needs --key COLUMN: the column both files share');
    const key = column(table.header, opts.key, opts.csv);
    const other = await readTable(opts.positives);
    const otherKey = column(other.header, opts.key, opts.positives);
    const positive = new Set(other.rows.map((r) => toLevel(r[otherKey])).filter((v) => v !== undefined));
    for (const r of table.rows) {
      const { [key]: id, ...rest } = r;
      rows.push(rest);
      labels.push(positive.has(toLevel(id) ?? '\u0000') ? 1 : 0);
    }
    return { rows, labels, label: opts.label ?? `${opts.key} in ${opts.positives}`, skipped };
  }
  if (!opts.label) throw new UsageError('expected --label COLUMN, or --positives FILE --key COLUMN');
  const label = column(table.header, opts.label, opts.csv);
  for (const r of table.rows) {
    const { [label]: value, ...rest } = r;
    const y = toLabel(value);
    if (y === undefined) {
      skipped++;
      continue;
    }
    rows.push(rest);
    labels.push(y);
  }
  return { rows, labels, label, skipped };
}

const f3 = (x: number | null | undefined): string => (typeof x === 'number' ? x.toFixed(3) : '-');

export function formatReport(cv: CvResult, model: PredictiveModel, seed: number, ms: number): string {
  const lines: string[] = [];
  const share = cv.rows ? ((100 * cv.positives) / cv.rows).toFixed(1) : '0';
  lines.push(`${cv.rows} rows, ${cv.positives} positive (${share}%), trained in ${duration(ms)}`);
  lines.push(`columns: ${cv.columns.map((c) => `${c.name} ${c.kind === 'id' || c.kind === 'constant' ? `(${c.kind}, dropped)` : c.kind === 'categorical' ? `(${c.distinct} values)` : `(${c.kind})`}`).join(', ')}`);
  lines.push('', `stratified ${cv.folds.length}-fold cross-validation, seed ${seed}`);
  lines.push(['fold', 'rows', 'pos', 'AUC', 'log loss', 'baseline AUC', 'baseline log loss'].map((h, i) => (i === 0 ? h.padEnd(5) : h.padStart(i < 3 ? 6 : 10))).join(' '));
  cv.folds.forEach((f, i) => {
    lines.push([String(i + 1).padEnd(5), String(f.rows).padStart(6), String(f.positives).padStart(6), f3(f.auc).padStart(10), f3(f.logLoss).padStart(10), f3(f.baselineAuc).padStart(10), f3(f.baselineLogLoss).padStart(10)].join(' '));
  });
  lines.push(['mean'.padEnd(5), ''.padStart(6), ''.padStart(6), f3(cv.auc).padStart(10), f3(cv.logLoss).padStart(10), f3(cv.baselineAuc).padStart(10), f3(cv.baselineLogLoss).padStart(10)].join(' '));
  if (cv.auc !== null && typeof cv.baselineAuc === 'number') {
    lines.push('', `ours vs baseline (plain logistic regression, same folds): AUC ${f3(cv.auc)} vs ${f3(cv.baselineAuc)} (${(cv.auc / cv.baselineAuc).toFixed(3)}x)`);
  }
  lines.push('', 'top factors (weight on the log-odds per unit: per standard deviation for numbers, present vs absent for values):');
  for (const w of topWeights(model, 10)) lines.push(`  ${w.weight >= 0 ? '+' : ''}${w.weight.toFixed(3)}  ${w.feature}`);
  return `${lines.join('\n')}\n`;
}

/** `leadglow train ...`; returns the exit code (0 ok, 1 usage or input error). */
export async function trainCommand(args: string[], io: TrainIo = PROCESS_IO): Promise<number> {
  try {
    return await run(args, io);
  } catch (error) {
    const usage = error instanceof UsageError;
    io.stderr.write(`${error instanceof Error ? error.message : String(error)}${usage ? `\n\nusage: ${TRAIN_USAGE}` : ''}\n`);
    return 1;
  }
}

async function run(args: string[], io: TrainIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      csv: { type: 'string' },
      label: { type: 'string' },
      positives: { type: 'string' },
      key: { type: 'string' },
      folds: { type: 'string' },
      seed: { type: 'string' },
      drop: { type: 'string' },
      'absolute-time': { type: 'boolean' },
      l2: { type: 'string' },
      json: { type: 'boolean' },
      out: { type: 'string' },
    },
  });
  if (!values.csv) throw new UsageError('expected --csv FILE');
  const folds = integer(values.folds, 5, '--folds', 2, 20);
  const seed = integer(values.seed, 0, '--seed', 0, 2 ** 31 - 1);
  const l2 = values.l2 === undefined ? 1 : Number(values.l2);
  if (!(l2 >= 0 && Number.isFinite(l2))) throw new UsageError('--l2: expected a number of 0 or more');
  const started = io.now();
  const table = await readTable(values.csv);
  const drop = (values.drop ?? '').split(',').map((s) => s.trim()).filter(Boolean).map((d) => column(table.header, d, values.csv!));
  const data = await labelledRows(table, { csv: values.csv, ...(values.label ? { label: values.label } : {}), ...(values.positives ? { positives: values.positives } : {}), ...(values.key ? { key: values.key } : {}) });
  const rows = drop.length ? data.rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !drop.includes(k)))) : data.rows;
  if (data.skipped) io.stderr.write(`skipped ${data.skipped} rows whose label is not 1/0, true/false, won/lost or yes/no\n`);
  const progress = createProgress({ label: 'training', total: folds * 2 + 1, stream: io.stderr });
  const { model, cv } = train(
    { id: uuidv7(started), trainedAt: started, label: data.label, rows, labels: data.labels },
    { folds, seed, l2, absoluteTime: values['absolute-time'] ?? false, onProgress: (done) => progress.update(done) },
  );
  progress.finish();
  const ms = io.now() - started;
  if (values.out) {
    await writeFile(values.out, `${JSON.stringify(model)}\n`);
    io.stderr.write(`model saved to ${values.out}\n`);
  }
  if (values.json) {
    const { columns: _columns, ...evaluation } = cv;
    io.stdout.write(`${JSON.stringify({ ...evaluation, seed, ms, topFactors: topWeights(model, 10) })}\n`);
  } else {
    io.stdout.write(formatReport(cv, model, seed, ms));
  }
  return 0;
}
