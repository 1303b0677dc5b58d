import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Lead, LeadScore, Reason } from '../../shared/contracts/lead.ts';
import { ruleName, stageName, wordNextStep, wordReasonEvidence, wordStageReason, type Words } from '../../shared/scoring/wording.ts';
import { openConfigured } from '../db/open.ts';
import { leadRows, storedScores } from '../scoring/lead-scores.ts';
import { loadLiveModels } from '../scoring/live-models.ts';
import { hotList, toLead } from '../read/lead-views.ts';
import { defaultIO, type CommandIO } from './io.ts';
import { chooseLanguage, cli } from './lang.ts';
import { parseSeparator, separatorName } from './table-csv.ts';

// leadglow leads [--model ID] [--limit N] [--lang en|nl|sv] [--sep ;] [--out FILE] [--data DIR]:
// the hot list (engaged and beyond, sales-ready first) as CSV for a spreadsheet.
//
// What changes with the language, and what does not:
// - The header row is machine keys (`email`, `stage`, `fit`, `reasons`…) in every language, so a
//   sheet's formulas, an import mapping or a script keep working whoever exported the file, and
//   Dutch and Swedish exports stack. `stage` stays the code (`sales_ready`) for filters;
//   `stage_name`, `stage_reason`, `next_step` and `reasons` are text for people, in the language.
// - Dutch and Swedish Excel use the comma as decimal mark and so expect `;` between fields: with
//   --lang nl|sv the separator is `;` and decimals have a comma (`72,5`), else `,` and a point;
//   --sep chooses otherwise. Numbers carry no thousands separators and an ASCII minus, which every
//   spreadsheet reads as a number (a no-break space or U+2212, as Intl writes Swedish, turns it into text).
// - Times are `2026-12-04 09:30` (UTC): Excel, LibreOffice and Sheets read that form in any locale.
// - UTF-8 with a BOM and CRLF line ends, as Excel needs to show ö and ë; every field that needs it
//   is quoted (RFC 4180). A text field starting with = + - @ (a visitor may type a name like
//   `=HYPERLINK(…)`) gets a leading apostrophe so no spreadsheet runs it as a formula.

export const LEADS_USAGE = 'leadglow leads [--model ID] [--limit 500] [--lang en|nl|sv] [--sep ,|;|tab] [--out FILE.csv] [--data DIR]';

export const LEAD_COLUMNS = ['email', 'name', 'company', 'stage', 'stage_name', 'fit', 'fit_grade', 'interest', 'last_seen', 'hot_since', 'stage_reason', 'next_step', 'reasons'] as const;

const MAX_LIMIT = 5_000;
/** Reasons per lead in the `reasons` cell: the biggest by points, as the side panel shows them first. */
const REASONS_SHOWN = 8;

export async function leadsCommand(args: string[], io: CommandIO = defaultIO()): Promise<number> {
  let values: { model?: string; limit?: string; lang?: string; sep?: string; out?: string; data?: string };
  let lang: ReturnType<typeof chooseLanguage>;
  let sep: string;
  let limit: number;
  try {
    values = parseArgs({ args, options: { model: { type: 'string' }, limit: { type: 'string' }, lang: { type: 'string' }, sep: { type: 'string' }, out: { type: 'string' }, data: { type: 'string' } } }).values;
    lang = chooseLanguage(values.lang, io.env);
    sep = values.sep === undefined ? (lang === 'en' ? ',' : ';') : parseSeparator(values.sep);
    limit = values.limit === undefined ? 500 : /^\d{1,5}$/.test(values.limit) ? Number(values.limit) : NaN;
    if (!(limit >= 1 && limit <= MAX_LIMIT)) throw new Error(`--limit: expected a number of leads from 1 to ${MAX_LIMIT}, got "${values.limit}"`);
  } catch (error) {
    io.err.write(`${error instanceof Error ? error.message : String(error)}\nusage: ${LEADS_USAGE}\n`);
    return 1;
  }
  const db = await openConfigured(values.data, io.env);
  try {
    const live = await loadLiveModels(db.read);
    const now = io.now();
    const hot = await hotList(db.read, live, values.model, limit, now);
    if (!hot) {
      io.err.write(`--model: no live model "${values.model}" (live: ${live.models.map((m) => m.id).join(', ')})\n`);
      return 1;
    }
    const model = values.model ? live.models.find((m) => m.id === values.model)! : live.primary;
    const ids = hot.items.map((h) => h.id);
    const rows = await leadRows(db.read, ids);
    const scores = await storedScores(db.read, ids);
    const leads: Lead[] = [];
    for (const h of hot.items) {
      const row = rows.get(h.id);
      if (row) leads.push(toLead(row, [model], scores.get(h.id) ?? new Map(), undefined, now));
    }
    const hotSince = new Map(hot.items.map((h) => [h.id, h.hotSince]));
    const text = leadsCsv(leads, { words: cli(lang).words, sep, hotSince });
    if (values.out) {
      await writeFile(values.out, text);
      io.err.write(`${leads.length} leads written to ${values.out} (separator ${separatorName(sep)}, ${lang})\n`);
    } else io.out(text);
    if (leads.length === 0) io.err.write(`${cli(lang).say('leadsNone')}\n`);
    return 0;
  } finally {
    await db.close();
  }
}

export type LeadsCsvOptions = { words: Words; sep: string; hotSince?: ReadonlyMap<string, number | undefined> };

/** The CSV text, BOM and header included; each lead scored by its first (or only) model. */
export function leadsCsv(leads: readonly Lead[], opts: LeadsCsvOptions): string {
  const { words: w, sep } = opts;
  const decimal = w.lang === 'en' ? '.' : ',';
  const number = (x: number) => {
    const s = String(Math.round(x * 10) / 10);
    return decimal === '.' ? s : s.replace('.', decimal);
  };
  const field = (v: string, text = true) => quote(text ? defuse(v) : v, sep);
  const lines = [LEAD_COLUMNS.join(sep)];
  for (const lead of leads) {
    const s = lead.scores[0];
    if (!s) continue;
    const since = opts.hotSince?.get(lead.id);
    const cells: string[] = [
      field(lead.emails[0] ?? ''),
      field(lead.name ?? ''),
      field(lead.company?.name ?? lead.company?.domain ?? ''),
      field(s.stage, false),
      field(stageName(s.stage, w)),
      field(number(s.fit.score), false),
      field(s.fit.grade, false),
      field(number(s.interest.score), false),
      field(isoMinute(lead.lastSeen), false),
      field(since === undefined ? '' : isoMinute(since), false),
      field(wordStageReason(s.stageReason, w)),
      field(s.nextStep ? wordNextStep(s.nextStep, w) : ''),
      field(topReasons(s).map((r) => reasonText(r, w)).join(' · ')),
    ];
    lines.push(cells.join(sep));
  }
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

function topReasons(s: LeadScore): Reason[] {
  return [...s.fit.reasons, ...s.interest.reasons].sort((a, b) => Math.abs(b.points) - Math.abs(a.points)).slice(0, REASONS_SHOWN);
}

/** "Bekeek de prijzen (+29): bezocht Pricing (/pricing), 2 keer": the rule first, so the cell never starts with a sign. */
function reasonText(r: Reason, w: Words): string {
  const p = Math.round(r.points);
  return `${ruleName(r.label, w)} (${p >= 0 ? '+' : '-'}${Math.abs(p)}): ${wordReasonEvidence(r, w)}`;
}

const isoMinute = (at: number) => new Date(at).toISOString().slice(0, 16).replace('T', ' ');

/** A leading = + - @ (or tab, CR) would make a spreadsheet read a formula: an apostrophe keeps it text. */
export function defuse(v: string): string {
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

/** RFC 4180: quoted when it holds the separator, a quote or a line break; quotes doubled. */
export function quote(v: string, sep: string): string {
  return v.includes(sep) || /["\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
