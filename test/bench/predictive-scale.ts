import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { train } from '../../shared/predictive/cv.ts';
import { detectColumns, type Row } from '../../shared/predictive/table.ts';
import { seededRandom } from '../../shared/random.ts';

// Training at scale, run by predictive.ts in its own process so time and peak memory are this
// run's alone. The rows are the X Education leads (../datasets, LEADGLOW_DATASETS) resampled to
// the size asked, numbers jittered by ±10% so rows are not copies; without that file, a
// synthetic table of the same shape (30 columns: numbers, categories, a date). Speed and memory
// only: resampled rows repeat across folds, so the AUC here says nothing.

const n = Number(process.argv[2] ?? 200_000);
const random = seededRandom(1);

async function baseRows(): Promise<{ rows: Row[]; labels: (0 | 1)[] }> {
  const file = join(resolve(process.env.LEADGLOW_DATASETS ?? join(import.meta.dirname, '../../../datasets')), 'xeducation/Leads.csv');
  try {
    const { readTable, labelledRows } = await import('../../server/commands/train.ts');
    const table = await readTable(file);
    const data = await labelledRows(table, { csv: file, label: 'Converted' });
    const drop = new Set(['Prospect ID', 'Lead Number', 'Tags', 'Lead Quality', 'Lead Profile', 'Asymmetrique Activity Index', 'Asymmetrique Profile Index', 'Asymmetrique Activity Score', 'Asymmetrique Profile Score']);
    return { rows: data.rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !drop.has(k)))), labels: data.labels };
  } catch {
    const rows: Row[] = [];
    const labels: (0 | 1)[] = [];
    for (let i = 0; i < 9_000; i++) {
      const row: Record<string, string> = { date: `2025-0${1 + (i % 9)}-1${i % 10}` };
      let t = -1;
      for (let j = 0; j < 15; j++) {
        const v = random() * 10;
        row[`n${j}`] = v.toFixed(2);
        t += (j % 3 === 0 ? 0.2 : 0) * (v - 5);
      }
      for (let j = 0; j < 14; j++) {
        const level = Math.floor(random() * (j + 3));
        row[`c${j}`] = `v${level}`;
        t += j % 4 === 0 && level === 0 ? 0.8 : 0;
      }
      rows.push(row);
      labels.push(random() < 1 / (1 + Math.exp(-t)) ? 1 : 0);
    }
    return { rows, labels };
  }
}

const base = await baseRows();
const rows: Row[] = [];
const labels: (0 | 1)[] = [];
for (let i = 0; i < n; i++) {
  const k = Math.floor(random() * base.rows.length);
  const src = base.rows[k]!;
  const row: Record<string, string | number | boolean | null | undefined> = {};
  for (const [key, v] of Object.entries(src)) row[key] = typeof v === 'string' && /^\d+(\.\d+)?$/.test(v) ? String(Math.round(Number(v) * (0.9 + 0.2 * random()) * 100) / 100) : v;
  rows.push(row);
  labels.push(base.labels[k]!);
}
const columns = detectColumns(rows);
const t0 = performance.now();
const c0 = process.cpuUsage();
const { model } = train({ id: 'scale', trainedAt: 0, label: 'Converted', rows, labels, columns }, { folds: 5, seed: 0 });
const seconds = (performance.now() - t0) / 1000;
console.log(JSON.stringify({ rows: n, features: columns.length, seconds, cpu: process.cpuUsage(c0).user / 1e6, maxRssMb: process.resourceUsage().maxRSS / 1024, family: model.family, auc: model.evaluation.auc }));
