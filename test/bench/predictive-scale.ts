import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseTable } from '../../server/cli/table-csv.ts';
import { trainCommand } from '../../server/cli/train.ts';
import { seededRandom } from '../../shared/random.ts';

// Training at scale, run by predictive.ts in child processes so that time and peak memory are
// the training's alone. Two steps:
//   write N FILE   FILE becomes N rows resampled from the X Education leads (../datasets,
//                  LEADGLOW_DATASETS) with noise: each cell is taken, with probability 0.3, from
//                  another random lead instead (so resampled rows are not near-copies a model
//                  could memorise), and numbers are jittered by ±10%. The label stays the
//                  sampled lead's. A synthetic table built from a real one: its AUC says
//                  nothing about X Education, only that the models still learn at this size.
//   train FILE [ARGS]  `leadglow train --csv FILE --label Converted --json`, as a user runs it
//                  (reading the CSV, the leakage guard, 5 folds of both families and the
//                  reference, the final fit), then one JSON line of CPU time, wall time and
//                  peak RSS.

/** Columns the case says sales filled in after contact, and the two identifiers. */
export const AFTER_THE_FACT = ['Prospect ID', 'Lead Number', 'Tags', 'Lead Quality', 'Lead Profile', 'Asymmetrique Activity Index', 'Asymmetrique Profile Index', 'Asymmetrique Activity Score', 'Asymmetrique Profile Score'];

export const SCALE_SOURCE = 'X Education leads resampled with noise (test/bench/predictive-scale.ts)';

export function xeducationFile(): string {
  return join(resolve(process.env.LEADGLOW_DATASETS ?? join(import.meta.dirname, '../../../datasets')), 'xeducation/Leads.csv');
}

const quote = (s: string): string => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

async function write(n: number, file: string): Promise<void> {
  const source = xeducationFile();
  const table = parseTable(await readFile(source), source);
  const header = table.header.filter((h) => !AFTER_THE_FACT.includes(h));
  const base = table.rows;
  const random = seededRandom(1);
  const out = createWriteStream(file);
  const put = (line: string) => (out.write(`${line}\n`) ? undefined : new Promise<void>((ok) => out.once('drain', () => ok())));
  await put(header.map(quote).join(','));
  for (let i = 0; i < n; i++) {
    const src = base[Math.floor(random() * base.length)]!;
    const cells = header.map((h) => {
      if (h === 'Converted') return src[h]!;
      const v = random() < 0.3 ? base[Math.floor(random() * base.length)]![h]! : src[h]!;
      return /^\d+(\.\d+)?$/.test(v) ? String(Math.round(Number(v) * (0.9 + 0.2 * random()) * 100) / 100) : v;
    });
    const wait = put(cells.map(quote).join(','));
    if (wait) await wait;
  }
  await new Promise<void>((ok, fail) => out.end((error?: Error | null) => (error ? fail(error) : ok())));
}

async function train(file: string, extra: readonly string[]): Promise<void> {
  const t0 = performance.now();
  let json = '';
  let errors = '';
  const code = await trainCommand(['--csv', file, '--label', 'Converted', '--json', ...extra], {
    out: (s) => void (json += s),
    err: { write: (s: string) => ((errors += s), true) },
    env: process.env,
    now: () => Date.now(),
  });
  if (code !== 0) throw new Error(`train failed: ${errors.trim().split('\n').at(-1)}`);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage();
  const result = JSON.parse(json) as { rows: number; family: string; auc: number; families: { family: string; auc: number }[]; baselineAuc?: number };
  console.log(
    JSON.stringify({
      rows: result.rows,
      seconds,
      cpu: (cpu.user + cpu.system) / 1e6,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      family: result.family,
      auc: result.auc,
      families: result.families,
      baselineAuc: result.baselineAuc,
    }),
  );
}

const [step, a, ...rest] = process.argv.slice(2);
if (step === 'write') await write(Number(a), rest[0]!);
else if (step === 'train') await train(a!, rest);
