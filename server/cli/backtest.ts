import { readFile } from 'node:fs/promises';
import { Backtest } from '../../shared/contracts/marketing.ts';
import { parseModel } from '../../shared/scoring/index.ts';
import { runBacktest } from '../read/analytics-runs.ts';
import { openConfigured } from '../db/open.ts';
import { defaultIO, type CommandIO } from './io.ts';
import { cli, type Cli } from './lang.ts';
import { liveModels, parseCommand, progressOn, table } from './report.ts';
import { stageName } from '../../shared/scoring/wording.ts';

// leadglow backtest --draft FILE [--weeks N] [--json] [--lang en|nl|sv] [--data DIR]: a draft model
// (JSON file) against the live version of its id over stored history and outcomes, before publishing it.

export const BACKTEST_USAGE = 'leadglow backtest --draft FILE [--weeks N] [--json] [--lang en|nl|sv] [--data DIR]';

/** Stage changes printed in the table; --json has up to 500. */
const SHOWN_MOVES = 20;

export async function backtestCommand(args: string[], io: CommandIO = defaultIO()): Promise<number> {
  const parsed = parseCommand(args, { draft: { type: 'string' } }, io, BACKTEST_USAGE);
  if (!parsed) return 1;
  const { values, weeks, c } = parsed;
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
    const result = await runBacktest(db.read, { live, draft: draft.model, now: io.now(), weeks, onProgress: progressOn(io, c.say('progressBacktest')) });
    io.out(values.json ? `${JSON.stringify(Backtest.parse(result))}\n` : formatBacktest(result, c));
    return 0;
  } finally {
    await db.close();
  }
}

export function formatBacktest(b: Backtest, c: Cli = cli('en')): string {
  const out: string[] = [];
  const int = (n: number) => c.num(n, 0);
  out.push(c.say('backtestTitle', [b.draft.modelId, b.draft.version, b.live.version, int(b.leads)]));
  out.push(
    '',
    table([
      ['', c.say('colLive'), c.say('colDraft')],
      [c.say('rowMqls'), int(b.live.mqls), int(b.draft.mqls)],
      [c.say('rowPrecision'), c.pct(b.live.precision), c.pct(b.draft.precision)],
      [c.say('rowRecall'), c.pct(b.live.recall), c.pct(b.draft.recall)],
      [c.say('rowAuc'), c.fixed(b.live.auc, 3), c.fixed(b.draft.auc, 3)],
    ]),
  );
  out.push('', table([[c.say('mqlsPerWeek'), c.say('colLive'), c.say('colDraft')], ...b.live.mqlsPerWeek.map((w, i) => [c.day(w.week), int(w.count), int(b.draft.mqlsPerWeek[i]?.count ?? 0)])]));
  const moves =
    b.changed === 0
      ? c.say('noMoves')
      : b.changed > SHOWN_MOVES
        ? c.say('movesCut', [int(b.changed), int(SHOWN_MOVES)])
        : c.say(new Intl.PluralRules(c.lang).select(b.changed) === 'one' ? 'movesOne' : 'movesOther', [int(b.changed)]);
  out.push('', moves);
  if (b.changed > 0) {
    const stage = (s: Backtest['moves'][number]['from']) => stageName(s, c.words);
    out.push(
      table([
        [c.say('colLead'), c.say('colStage'), c.say('colInterest'), c.say('colFit')],
        ...b.moves.slice(0, SHOWN_MOVES).map((m) => [m.email ?? m.leadId, `${stage(m.from)} → ${stage(m.to)}`, `${c.num(m.liveInterest, 0)} → ${c.num(m.draftInterest, 0)}`, `${c.num(m.liveFit, 0)} → ${c.num(m.draftFit, 0)}`]),
      ]),
    );
  }
  return `${out.join('\n')}\n`;
}
