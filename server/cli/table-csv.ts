import { readFile } from 'node:fs/promises';
import { recordMaker, type Cell } from '../../shared/predictive/table.ts';
import { createCsvParser, CsvError, type CsvRow } from '../import/csv.ts';
import { isOle, isZip, parseXlsx } from './table-xlsx.ts';

// A table as CRMs and Excel export it, for `leadglow train`. Dutch and Swedish Excel write
// semicolons and decimal commas, older Excel writes Windows-1252, "Unicode text" is UTF-16
// with tabs, pandas writes labels as 1.0/0.0. Everything here is decided from the file
// itself and said back (`notes`), so a wrong guess is visible, and `--sep` overrides it.
// A bad row is one line naming its line number and is left out; a bad header is an error.

export type TableReject = { line: number; reason: string };

export type CsvTable = {
  header: string[];
  rows: Record<string, string>[];
  /** The physical line each row starts on (for label rejections). */
  lines: number[];
  /** What was detected: encoding, separator, converted columns. */
  notes: string[];
  rejects: TableReject[];
  /** The CSV's separator; empty for a workbook. */
  separator: string;
  /** What `lines` count: a CSV's physical lines, or a sheet's rows. */
  unit?: 'line' | 'row';
};

export type ReadTableOptions = { sep?: string | undefined };

const SEPARATORS = [',', ';', '\t', '|'] as const;

/** Characters parsed at a time: small enough that a chunk's fresh strings die young, before the next one. */
const CHUNK = 1 << 16;
/** Distinct values kept as one string each. */
const INTERNED = 65_536;

export function separatorName(sep: string): string {
  return sep === '\t' ? 'tab' : `"${sep}"`;
}

/** `;`, `tab`, `\t`, `comma`, ... as one character. */
export function parseSeparator(value: string): string {
  const v = value.trim().toLowerCase();
  const named: Record<string, string> = { tab: '\t', '\\t': '\t', comma: ',', semicolon: ';', pipe: '|', ',': ',', ';': ';', '|': '|' };
  if (value === '\t') return '\t';
  const sep = named[v];
  if (!sep) throw new Error(`--sep: expected , ; tab or |, got "${value}"`);
  return sep;
}

/** Bytes to text: UTF-16 by its BOM, UTF-8 when it decodes cleanly, else Windows-1252 (what older Excel writes). */
export function decodeText(bytes: Uint8Array): { text: string; encoding: string } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'UTF-16 LE' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'UTF-16 BE' };
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes), encoding: bom ? 'UTF-8 with BOM' : 'UTF-8' };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'Windows-1252 (not valid UTF-8)' };
  }
}

/** Field counts of the first lines for one separator, quotes respected. */
function fieldCounts(sample: string, sep: string): number[] {
  const counts: number[] = [];
  let n = 1;
  let inQuotes = false;
  for (let i = 0; i < sample.length; i++) {
    const c = sample[i]!;
    if (c === '"') inQuotes = !inQuotes;
    else if (!inQuotes && c === sep) n++;
    else if (!inQuotes && c === '\n') {
      counts.push(n);
      n = 1;
    }
  }
  return counts.filter((_, i) => i < 50);
}

/**
 * The separator the first lines agree on: the one giving the header more than one field and
 * the most lines with the header's field count (ties: the more fields).
 */
export function detectSeparator(text: string): string | undefined {
  const sample = text.slice(0, 64 * 1024).replace(/\r\n?/g, '\n');
  const lines = sample.endsWith('\n') ? sample : `${sample.slice(0, sample.lastIndexOf('\n') + 1) || `${sample}\n`}`;
  let best: { sep: string; agree: number; fields: number } | undefined;
  for (const sep of SEPARATORS) {
    const counts = fieldCounts(lines, sep);
    const header = counts[0] ?? 1;
    if (header < 2) continue;
    const agree = counts.filter((c) => c === header).length;
    if (!best || agree > best.agree || (agree === best.agree && header > best.fields)) best = { sep, agree, fields: header };
  }
  return best?.sep;
}

// Decimal commas (2,5 or 1.234,5) and thousands commas (1,234.5 or 1,234).
const DECIMAL_COMMA = /^[+-]?(\d+|\d{1,3}(\.\d{3})+)(,\d+)?$/;
const THOUSANDS_COMMA = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;
const PLAIN = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const MISSING = new Set(['', 'na', 'n/a', 'nan', 'null', 'none', '-', '?', '#n/a']);

/**
 * How a column writes its numbers, if it writes them other than plainly: `decimal-comma`
 * (2,5 and 1.234,5) or `thousands` (1,234.5). A column of only 1,234-shaped values is read
 * as thousands when the file's separator is not ";" (English Excel), else as decimals.
 */
export function numberStyle(values: readonly string[], separator: string): 'decimal-comma' | 'thousands' | undefined {
  let comma = 0;
  let decimalOk = true;
  let thousandsOk = true;
  let threeAfterComma = true;
  for (const raw of values) {
    const v = raw.trim();
    if (MISSING.has(v.toLowerCase())) continue;
    if (!v.includes(',')) {
      // 2.5 is fine for thousands style, but a decimal-comma column writes 2,5.
      if (!PLAIN.test(v)) return undefined;
      if (v.includes('.') && !/^[+-]?\d{1,3}(\.\d{3})+$/.test(v)) decimalOk = false;
      continue;
    }
    comma++;
    if (!DECIMAL_COMMA.test(v)) decimalOk = false;
    if (!THOUSANDS_COMMA.test(v)) thousandsOk = false;
    if (!/,\d{3}$/.test(v)) threeAfterComma = false;
    if (!decimalOk && !thousandsOk) return undefined;
  }
  if (comma === 0) return undefined;
  if (decimalOk && thousandsOk) return threeAfterComma && separator !== ';' ? 'thousands' : 'decimal-comma';
  return decimalOk ? 'decimal-comma' : thousandsOk ? 'thousands' : undefined;
}

function normalise(v: string, style: 'decimal-comma' | 'thousands'): string {
  const t = v.trim();
  if (!t.includes(',') && style === 'thousands') return t;
  if (style === 'thousands') return t.replace(/,/g, '');
  if (!t.includes(',')) return /^[+-]?\d{1,3}(\.\d{3})+$/.test(t) ? t.replace(/\./g, '') : t;
  return t.replace(/\./g, '').replace(',', '.');
}

/** Header names: trimmed; blank ones named by position; a repeated name is an error naming it and where. */
export function checkHeader(fields: string[], file: string): string[] {
  const header = fields.map((f, i) => f.trim() || `column ${i + 1}`);
  const seen = new Map<string, number[]>();
  header.forEach((h, i) => seen.set(h.toLowerCase(), [...(seen.get(h.toLowerCase()) ?? []), i + 1]));
  const dupes = [...seen.values()].filter((at) => at.length > 1);
  if (dupes.length) {
    throw new Error(
      `${file}: ${dupes.map((at) => `column "${header[at[0]! - 1]}" appears ${at.length} times (columns ${at.join(', ')})`).join('; ')}. ` +
        'Rename the copies, or remove them, so it is clear which one to use.',
    );
  }
  return header;
}

/** Reads a whole table: a CSV (encoding, separator, header checks, number styles) or the first sheet of an .xlsx workbook. */
export async function readTable(file: string, opts: ReadTableOptions = {}): Promise<CsvTable> {
  const bytes = await readFile(file);
  if (isZip(bytes)) return parseXlsx(bytes, file);
  if (isOle(bytes)) throw new Error(`${file} is an old Excel .xls file or a workbook saved with a password; save it as .xlsx (without a password) or as CSV`);
  return parseTable(bytes, file, opts);
}

export function parseTable(bytes: Uint8Array, file: string, opts: ReadTableOptions = {}): CsvTable {
  const { text, encoding } = decodeText(bytes);
  const notes: string[] = [];
  if (encoding !== 'UTF-8') notes.push(`encoding: ${encoding}`);
  const detected = opts.sep === undefined ? detectSeparator(text) : undefined;
  const separator = opts.sep ?? detected ?? ',';
  if (opts.sep === undefined && detected && detected !== ',') notes.push(`separator: ${separatorName(detected)} (detected; --sep sets it)`);
  // Parsed a megabyte at a time, each row turned into a compact record at once, with every
  // repeated value kept as one string: a 200,000-row export then costs a few hundred bytes a
  // row rather than kilobytes (the parser's arrays of fresh strings never pile up).
  const parser = createCsvParser({ delimiter: separator });
  let header: string[] | undefined;
  let record: (() => Record<string, Cell>) | undefined;
  const rows: Record<string, string>[] = [];
  const lines: number[] = [];
  const rejects: TableReject[] = [];
  const strings = new Map<string, string>();
  const intern = (v: string): string => {
    const hit = strings.get(v);
    if (hit !== undefined) return hit;
    // Repeated values show up early; a column of unique numbers would only grow the map.
    if (strings.size < INTERNED) strings.set(v, v);
    return v;
  };
  const take = (parsed: CsvRow[]): void => {
    for (const row of parsed) {
      if (!header) {
        if (row.fields.length < 2) {
          throw new Error(`${file}: the header has one column ("${row.fields[0]?.slice(0, 60) ?? ''}") with separator ${separatorName(separator)}; set the separator with --sep , ; tab or |`);
        }
        header = checkHeader(row.fields, file);
        record = recordMaker(header);
        continue;
      }
      let fields = row.fields;
      // Excel pads rows with trailing separators; extra empty fields are not a problem.
      if (fields.length > header.length && fields.slice(header.length).every((f) => f.trim() === '')) fields = fields.slice(0, header.length);
      if (fields.length !== header.length) {
        rejects.push({ line: row.line, reason: `${fields.length} fields where the header has ${header.length} (separator ${separatorName(separator)}); a value containing the separator must be quoted` });
        continue;
      }
      const values = record!() as Record<string, string>;
      for (let i = 0; i < header.length; i++) values[header[i]!] = intern(fields[i]!);
      rows.push(values);
      lines.push(row.line);
    }
  };
  try {
    for (let at = 0; at < text.length; at += CHUNK) take(parser.push(text.slice(at, at + CHUNK)));
    take(parser.end());
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    throw new Error(`${file} ${error.message} (reading with separator ${separatorName(separator)}; --sep sets it)`);
  }
  strings.clear();
  if (!header) throw new Error(`${file} is empty; expected a header row`);
  if (rows.length === 0 && rejects.length > 0) throw new Error(`${file}: no row has the header's ${header.length} fields (first: line ${rejects[0]!.line}, ${rejects[0]!.reason}); is the separator ${separatorName(separator)} right? --sep sets it`);
  return convertNumbers({ header, rows, lines, notes, rejects, separator });
}

/** Numbers written the European or English-thousands way become plain numbers, and the notes say which columns. */
export function convertNumbers(table: CsvTable): CsvTable {
  const converted: string[] = [];
  for (const h of table.header) {
    const style = numberStyle(table.rows.map((r) => r[h]!), table.separator);
    if (!style) continue;
    for (const r of table.rows) r[h] = normalise(r[h]!, style);
    converted.push(`${h} (${style === 'decimal-comma' ? 'decimal commas' : 'thousands separators'})`);
  }
  if (converted.length) table.notes.push(`numbers read from ${converted.join(', ')}`);
  return table;
}
