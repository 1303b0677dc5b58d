import { readFile } from 'node:fs/promises';
import { Backtest } from '../../shared/contracts/marketing.ts';
import { parseModel } from '../../shared/scoring/index.ts';
import { runBacktest } from '../history.ts';
import { openConfigured } from '../db/open.ts';
import { defaultIO, type CommandIO } from './io.ts';
import { day, liveModels, num, parseCommand, pct, progressOn, table } from './report.ts';

// leadglow backtest --draft FILE [--weeks N] [--json] [--data DIR]: a draft model (JSON file)
// against the live version of its id over stored history and outcomes, before publishing it.

export const BACKTEST_USAGE = 'leadglow backtest --draft FILE [--weeks N] [--json] [--data DIR]';

/** Stage changes printed in the table; --json has up to 500. */
const SHOWN_MOVES = 20;

export async function backtestCommand(args: string[], io: CommandIO = defaultIO()): Promise<number> {
  const parsed = parseCommand(args, { draft: { type: 'string' } }, io, BACKTEST_USAGE);
  if (!parsed) return 1;
  const { values, weeks } = parsed;
  if (!values.draft) {
    io.err.write(`--draft: expected a model file (JSON)\nusage: ${BACKTEST_USAGE}\n`);
    return 1;
  }
  let input: unknown;
  try {
    input = JSON.parse(await readFile(values.draft, 'utf8'));
  } catch (error) {
    io.err.write(`--draft ${values.draft}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  const draft = parseModel(input);
  if (!draft.ok) {
    io.err.write(`${values.draft}: not a valid model:\n${draft.errors.map((e) => `  ${e}`).join('\n')}\n`);
    return 1;
  }
  const db = await openConfigured(values.data, io.env);
  try {
    const live = (await liveModels(db)).models.find((m) => m.id === draft.model.id);
    if (!live) {
      io.err.write(`${values.draft}: id "${draft.model.id}" is not a live model; a backtest compares a draft with the live version of its id\n`);
      return 1;
    }
    const result = await runBacktest(db.read, { live, draft: draft.model, now: io.now(), weeks, onProgress: progressOn(io, 'backtest') });
    io.out(values.json ? `${JSON.stringify(Backtest.parse(result))}\n` : formatBacktest(result));
    return 0;
  } finally {
    await db.close();
  }
}

export function formatBacktest(b: Backtest): string {
  const out: string[] = [];
  out.push(`Backtest: ${b.draft.modelId} v${b.draft.version} (draft) against v${b.live.version} (live) over ${b.leads} leads`);
  out.push(
    '',
    table([
      ['', 'live', 'draft'],
      ['MQL or beyond now', String(b.live.mqls), String(b.draft.mqls)],
      ['precision (MQL -> won)', pct(b.live.precision), pct(b.draft.precision)],
      ['recall (won that were MQL)', pct(b.live.recall), pct(b.draft.recall)],
      ['AUC (interest × fit)', num(b.live.auc, 3), num(b.draft.auc, 3)],
    ]),
  );
  out.push('', table([['MQLs per week', 'live', 'draft'], ...b.live.mqlsPerWeek.map((w, i) => [day(w.week), String(w.count), String(b.draft.mqlsPerWeek[i]?.count ?? 0)])]));
  out.push('', b.changed === 0 ? 'No lead would change stage.' : `${b.changed} lead${b.changed === 1 ? '' : 's'} would change stage${b.changed > SHOWN_MOVES ? ` (biggest interest changes first, ${SHOWN_MOVES} shown; --json lists up to 500)` : ''}:`);
  if (b.changed > 0) {
    out.push(table([['lead', 'stage', 'interest', 'fit'], ...b.moves.slice(0, SHOWN_MOVES).map((m) => [m.email ?? m.leadId, `${m.from} -> ${m.to}`, `${num(m.liveInterest, 0)} -> ${num(m.draftInterest, 0)}`, `${num(m.liveFit, 0)} -> ${num(m.draftFit, 0)}`])]));
  }
  return `${out.join('\n')}\n`;
}
