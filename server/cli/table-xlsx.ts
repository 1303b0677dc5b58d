import { recordMaker } from '../../shared/predictive/table.ts';
import { checkHeader, convertNumbers, type CsvTable } from './table-csv.ts';
import { ZipError, zipEntries, zipRead, type ZipEntry } from './table-zip.ts';

// The first sheet of an .xlsx workbook as a table, the way `leadglow train` reads a CSV: what
// marketers export from Excel. An .xlsx file is a zip of XML parts; only a few matter here:
// the workbook (which sheet is first, and whether dates count from 1904), its relationships
// (where that sheet is), the shared strings, the styles (which number formats are dates) and
// the sheet's cells: shared strings, inline strings, formula strings, numbers, booleans,
// errors, and dates stored as day serials. Hand-written over node:zlib rather than a library:
// the npm `xlsx` package is outdated with known vulnerabilities, exceljs pulls in nine
// dependencies (archiver, jszip, unzipper, ...), read-excel-file four, and none of them caps
// what a hostile file may unpack to, which this must. Formulas are read as their cached values.
// The header is the first row with a value; columns with neither a header nor any value
// (a sheet starting at B3) are left out.

export type XlsxOptions = {
  /** Most bytes any one part may unpack to (a zip bomb declares little and unpacks to gigabytes). */
  maxPartBytes?: number;
};

/** About 180,000 rows of 30 columns of sheet XML; larger tables train better from CSV, which streams. */
export const MAX_PART_BYTES = 256 * 1024 * 1024;
/** Excel's own limits. */
const MAX_COLUMNS = 16_384;
const MAX_ROWS = 1_048_576;

/** Whether bytes are a zip archive (an .xlsx file), by its signature. */
export function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** Whether bytes are an OLE compound file: an old .xls, or an .xlsx saved with a password. */
export function isOle(bytes: Uint8Array): boolean {
  return bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** XML text to a string: entities, character references, and OOXML's _xHHHH_ escapes. */
export function xmlText(s: string): string {
  if (s.includes('&')) {
    s = s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === '#') {
        const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
      }
      return ENTITIES[e] ?? m;
    });
  }
  return s.includes('_x') ? s.replace(/_x([0-9A-F]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))) : s;
}

function attributes(tag: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of tag.matchAll(/([\w:.-]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) out.set(m[1]!, xmlText(m[3] ?? m[4] ?? ''));
  return out;
}

/** The text of every <t> inside a string item, leaving out phonetic runs (<rPh>). */
function stringItem(xml: string): string {
  const plain = xml.includes('<rPh') ? xml.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '') : xml;
  let out = '';
  for (const m of plain.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)) out += m[1]!;
  return xmlText(out);
}

function sharedStrings(xml: string | undefined): string[] {
  if (!xml) return [];
  return [...xml.matchAll(/<si>([\s\S]*?)<\/si>|<si\/>/g)].map((m) => (m[1] === undefined ? '' : stringItem(m[1])));
}

// Excel's built-in number formats that show dates or times.
const BUILTIN_DATES = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** For each cell style (`s`), whether its number format shows a date. */
function dateStyles(xml: string | undefined): boolean[] {
  if (!xml) return [];
  const custom = new Map<number, boolean>();
  for (const m of xml.matchAll(/<numFmt\b[^>]*>/g)) {
    const a = attributes(m[0]);
    // A date format has d, m, y, h or s outside quoted text, [colour]/[$-locale] brackets and escapes.
    const code = (a.get('formatCode') ?? '').replace(/"[^"]*"|\[[^\]]*\]|\\./g, '');
    custom.set(Number(a.get('numFmtId')), /[dmyhs]/i.test(code));
  }
  const xfs = /<cellXfs\b[^>]*>([\s\S]*?)<\/cellXfs>/.exec(xml)?.[1] ?? '';
  return [...xfs.matchAll(/<xf\b[^>]*>/g)].map((m) => {
    const id = Number(attributes(m[0]).get('numFmtId') ?? 0);
    return custom.get(id) ?? BUILTIN_DATES.has(id);
  });
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** A day serial as ISO text: a date alone when it is a whole day, else with the time. */
export function serialDate(serial: number, date1904: boolean): string | undefined {
  if (!Number.isFinite(serial) || serial < 0 || serial > 2_958_465) return undefined;
  // Day 0 is 1899-12-30 so that Excel's phantom 1900-02-29 (serial 60) is skipped for every later date.
  const ms = Math.round(serial * 86_400_000) + (date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30));
  const d = new Date(ms);
  const day = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  return Number.isInteger(serial) ? day : `${day} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** Column letters (A, AB, XFD) to a 0-based index. */
function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

function columnName(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

class XlsxError extends Error {}

/** Reads the first sheet of an .xlsx file as a table (the header and rows as text, as from a CSV). */
export function parseXlsx(bytes: Uint8Array, file: string, opts: XlsxOptions = {}): CsvTable {
  try {
    return readWorkbook(bytes, file, opts.maxPartBytes ?? MAX_PART_BYTES);
  } catch (error) {
    if (error instanceof ZipError || error instanceof XlsxError) throw new Error(`${file}: ${error.message}`);
    throw error;
  }
}

function readWorkbook(bytes: Uint8Array, file: string, maxPartBytes: number): CsvTable {
  const entries = zipEntries(bytes);
  const part = (name: string): string | undefined => {
    const entry: ZipEntry | undefined = entries.get(name);
    return entry ? zipRead(bytes, entry, maxPartBytes).toString('utf8') : undefined;
  };
  const workbook = part('xl/workbook.xml');
  if (!workbook) throw new XlsxError(`not an Excel workbook (no xl/workbook.xml among its ${entries.size} parts); save it as .xlsx or CSV`);
  const sheets = [...workbook.matchAll(/<sheet\b[^>]*>/g)].map((m) => attributes(m[0]));
  const first = sheets[0];
  if (!first) throw new XlsxError('the workbook has no sheets');
  const rels = part('xl/_rels/workbook.xml.rels') ?? '';
  const rid = first.get('r:id') ?? [...first].find(([k]) => k.endsWith(':id'))?.[1];
  const rel = [...rels.matchAll(/<Relationship\b[^>]*>/g)].map((m) => attributes(m[0])).find((a) => a.get('Id') === rid);
  const target = rel?.get('Target');
  if (!target) throw new XlsxError(`the workbook does not say where its first sheet ("${first.get('name') ?? '?'}") is`);
  const sheetPath = target.startsWith('/') ? target.slice(1) : `xl/${target}`.replace(/\/[^/]+\/\.\.\//g, '/');
  const sheet = part(sheetPath);
  if (sheet === undefined) throw new XlsxError(`the first sheet ("${first.get('name') ?? '?'}") should be at ${sheetPath}, which is missing`);
  const date1904 = /<workbookPr\b[^>]*\bdate1904\s*=\s*"(1|true)"/.test(workbook);
  const strings = sharedStrings(part('xl/sharedStrings.xml'));
  const dates = dateStyles(part('xl/styles.xml'));
  const notes = [`sheet "${first.get('name') ?? '?'}"${sheets.length > 1 ? ` (the first of ${sheets.length}; move the one to train on to the front)` : ''}`];
  const grid = readCells(sheet, sheetPath, strings, dates, date1904);
  return toTable(grid, file, notes);
}

type Grid = { rows: { row: number; cells: Map<number, string> }[]; columns: Set<number>; datesRead: number };

/**
 * The cells of a sheet's XML, scanned with indexOf rather than a regular expression so that a
 * damaged file (an unclosed cell, a cut-off sheet) costs one pass and names where it broke.
 */
function readCells(xml: string, path: string, strings: readonly string[], dates: readonly boolean[], date1904: boolean): Grid {
  const start = xml.indexOf('<sheetData');
  if (start < 0) throw new XlsxError(`${path} has no <sheetData>: not a worksheet`);
  const selfClosed = /^<sheetData\b[^>]*\/>/.test(xml.slice(start, start + 200));
  const end = selfClosed ? start : xml.indexOf('</sheetData>', start);
  const grid: Grid = { rows: [], columns: new Set(), datesRead: 0 };
  let current: { row: number; cells: Map<number, string> } | undefined;
  let lastRow = 0;
  const where = () => `${path}, after row ${current?.row ?? lastRow}`;
  if (end < 0) {
    // Find the last complete row for the message.
    const lastR = xml.lastIndexOf('<row ');
    const m = lastR >= 0 ? /\br="(\d+)"/.exec(xml.slice(lastR, lastR + 200)) : null;
    throw new XlsxError(`${path} ends inside the sheet's data (near row ${m?.[1] ?? '?'}): the file is cut short or damaged`);
  }
  let pos = start + 1;
  const boundary = (i: number) => {
    const c = xml.charCodeAt(i);
    return c === 32 || c === 62 || c === 47 || c === 9 || c === 10 || c === 13; // space > / tab newlines
  };
  while (pos < end) {
    const lt = xml.indexOf('<', pos);
    if (lt < 0 || lt >= end) break;
    const tagEnd = xml.indexOf('>', lt);
    if (tagEnd < 0 || tagEnd > end) throw new XlsxError(`${where()}: a tag is not closed`);
    if (xml.startsWith('<row', lt) && boundary(lt + 4)) {
      const a = attributes(xml.slice(lt + 4, tagEnd));
      const r = a.has('r') ? Number(a.get('r')) : lastRow + 1;
      if (!Number.isInteger(r) || r < 1 || r > MAX_ROWS || r <= lastRow) throw new XlsxError(`${path}: row number "${a.get('r')}" after row ${lastRow} is not a row of a sheet`);
      lastRow = r;
      current = { row: r, cells: new Map() };
      grid.rows.push(current);
      pos = tagEnd + 1;
      continue;
    }
    if (xml.startsWith('<c', lt) && boundary(lt + 2)) {
      if (!current) throw new XlsxError(`${path}: a cell outside any row`);
      const empty = xml.charCodeAt(tagEnd - 1) === 47;
      const a = attributes(xml.slice(lt + 2, empty ? tagEnd - 1 : tagEnd));
      let inner = '';
      if (empty) pos = tagEnd + 1;
      else {
        const close = xml.indexOf('</c>', tagEnd);
        inner = close < 0 || close > end ? '' : xml.slice(tagEnd + 1, close);
        // A cell holds <v>, <f> or <is>; a row or another cell before its </c> means it was never closed.
        if (close < 0 || close > end || inner.includes('<row') || inner.includes('<c ')) throw new XlsxError(`${path}: cell ${a.get('r') ?? `in row ${current.row}`} is not closed`);
        pos = close + 4;
      }
      const ref = a.get('r');
      let col: number;
      if (ref) {
        const m = /^([A-Z]{1,3})(\d+)$/.exec(ref);
        if (!m || Number(m[2]) !== current.row) throw new XlsxError(`${path}: cell reference "${ref}" in row ${current.row} is not a cell of that row`);
        col = columnIndex(m[1]!);
      } else col = current.cells.size ? Math.max(...current.cells.keys()) + 1 : 0;
      if (col >= MAX_COLUMNS) throw new XlsxError(`${path}: cell ${ref} is beyond Excel's ${MAX_COLUMNS} columns`);
      const value = cellValue(a, inner, strings, dates, date1904, () => `${path} cell ${ref ?? `${columnName(col)}${current!.row}`}`);
      if (value.date) grid.datesRead++;
      if (value.text !== '') {
        current.cells.set(col, value.text);
        grid.columns.add(col);
      }
      continue;
    }
    pos = tagEnd + 1;
  }
  return grid;
}

function cellValue(a: Map<string, string>, inner: string, strings: readonly string[], dates: readonly boolean[], date1904: boolean, where: () => string): { text: string; date?: boolean } {
  const type = a.get('t') ?? 'n';
  if (type === 'inlineStr') {
    const is = /<is>([\s\S]*?)<\/is>/.exec(inner)?.[1];
    return { text: is === undefined ? '' : stringItem(is) };
  }
  const v = /<v(?:\s[^>]*)?>([\s\S]*?)<\/v>/.exec(inner)?.[1];
  if (v === undefined) return { text: '' };
  switch (type) {
    case 's': {
      const i = Number(v);
      const s = strings[i];
      if (!Number.isInteger(i) || s === undefined) throw new XlsxError(`${where()} refers to shared string ${v}, of ${strings.length}`);
      return { text: s };
    }
    case 'str':
    case 'e': // #N/A and the like, read as missing
    case 'd': // ISO 8601 already
      return { text: xmlText(v) };
    case 'b':
      return { text: v.trim() === '1' ? 'true' : 'false' };
    case 'n': {
      const n = Number(v);
      if (v.trim() === '' || !Number.isFinite(n)) throw new XlsxError(`${where()}: "${v.slice(0, 40)}" is not a number`);
      const s = Number(a.get('s') ?? 0);
      if (dates[s]) {
        const iso = serialDate(n, date1904);
        if (iso) return { text: iso, date: true };
      }
      return { text: v.trim() };
    }
    default:
      throw new XlsxError(`${where()} has unknown type t="${type}"`);
  }
}

function toTable(grid: Grid, file: string, notes: string[]): CsvTable {
  const first = grid.rows.findIndex((r) => r.cells.size > 0);
  if (first < 0) throw new XlsxError('the first sheet is empty; expected a header row');
  const headerRow = grid.rows[first]!;
  const columns = [...grid.columns].sort((a, b) => a - b);
  if (columns.length < 2) throw new XlsxError(`the first sheet has one column (${columnName(columns[0]!)}); expected a header and at least two columns`);
  // A column with values but no header gets one by its letter, as Excel shows it.
  const header = checkHeader(
    columns.map((c) => headerRow.cells.get(c) ?? `column ${columnName(c)}`),
    file,
  );
  if (columns[0]! > 0 || headerRow.row > 1) notes.push(`table starts at ${columnName(columns[0]!)}${headerRow.row}`);
  const record = recordMaker(header);
  const rows: Record<string, string>[] = [];
  const lines: number[] = [];
  for (const r of grid.rows.slice(first + 1)) {
    if (r.cells.size === 0) continue;
    const values = record() as Record<string, string>;
    columns.forEach((c, i) => (values[header[i]!] = r.cells.get(c) ?? ''));
    rows.push(values);
    lines.push(r.row);
  }
  if (grid.datesRead) notes.push(`${grid.datesRead} dates read from Excel day numbers`);
  return { ...convertNumbers({ header, rows, lines, notes, rejects: [], separator: '' }), unit: 'row' };
}
