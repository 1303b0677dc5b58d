import { createHash } from 'node:crypto';
import { z } from 'zod';
import { TOUCHPOINT_KINDS, type TouchpointKind } from '../../shared/contracts/admin.ts';
import type { EventOf } from '../../shared/contracts/event.ts';
import type { Outcome } from '../../shared/contracts/lead.ts';
import { formatIssues } from '../../shared/errors.ts';
import { uuidv7 } from '../../shared/ids.ts';

// CSV import for CRM outcomes and offline touchpoints. The parser is RFC 4180 (quoted fields,
// doubled quotes, CRLF or LF, newlines inside quotes, a UTF-8 BOM from Excel) and works on
// chunks, so a large upload never has to sit in memory. Every row carries the physical line
// it starts on, because "line 5,312: expected won or lost" is what a marketer can act on.

export type CsvRow = { line: number; fields: string[] };

/** A problem that makes the rest of the file unreadable (or the header unusable). */
export class CsvError extends Error {
  override name = 'CsvError';
  constructor(
    readonly line: number,
    detail: string,
  ) {
    super(`line ${line}: ${detail}`);
  }
}

export type CsvOptions = {
  delimiter?: string;
  /** A field longer than this is an error: an unclosed quote would otherwise swallow the file. */
  maxFieldChars?: number;
};

export type CsvParser = {
  /** Feeds a chunk; returns the rows it completed. */
  push(chunk: string): CsvRow[];
  /** Ends the input; returns the last row, or throws on an unterminated quote. */
  end(): CsvRow[];
};

export function createCsvParser(opts: CsvOptions = {}): CsvParser {
  const delimiter = opts.delimiter ?? ',';
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new RangeError('expected a one-character delimiter other than a quote or newline');
  }
  const maxField = opts.maxFieldChars ?? 100_000;

  let line = 1; // physical line of the next character
  let rowLine = 1;
  let quoteLine = 1;
  let fields: string[] = [];
  let field = '';
  let quoted = false; // the current field began with a quote
  let inQuotes = false;
  let afterQuote = false; // just read a quote inside a quoted field: closing, or the first of ""
  let pendingCR = false; // the previous character was CR, so an LF now is the same line break
  let started = false;
  let ended = false;

  function endRow(out: CsvRow[]): void {
    // A blank line is not a record; `""` on its own line is (one empty field).
    if (fields.length > 0 || field !== '' || quoted) {
      fields.push(field);
      out.push({ line: rowLine, fields });
    }
    fields = [];
    field = '';
    quoted = false;
  }

  function push(chunk: string): CsvRow[] {
    if (ended) throw new Error('push after end');
    const out: CsvRow[] = [];
    let i = 0;
    if (!started && chunk.length > 0) {
      started = true;
      if (chunk.charCodeAt(0) === 0xfeff) i = 1;
    }
    for (; i < chunk.length; i++) {
      const c = chunk[i]!;
      const afterCR = pendingCR;
      pendingCR = false;
      if (afterQuote) {
        afterQuote = false;
        if (c === '"') {
          field += '"';
          continue;
        }
        inQuotes = false;
        if (c !== delimiter && c !== '\n' && c !== '\r') {
          throw new CsvError(line, `unexpected ${show(c)} after the closing quote of a field; a quote inside a quoted field is written as ""`);
        }
      }
      if (inQuotes) {
        if (c === '"') {
          afterQuote = true;
          continue;
        }
        field += c;
        if (c === '\r') {
          line++;
          pendingCR = true;
        } else if (c === '\n' && !afterCR) line++;
        if (field.length > maxField) throw new CsvError(quoteLine, `field longer than ${maxField} characters; is a closing quote missing?`);
        continue;
      }
      if (c === delimiter) {
        fields.push(field);
        field = '';
        quoted = false;
      } else if (c === '\n') {
        if (afterCR) continue;
        endRow(out);
        rowLine = ++line;
      } else if (c === '\r') {
        endRow(out);
        rowLine = ++line;
        pendingCR = true;
      } else if (c === '"') {
        if (field !== '' || quoted) {
          throw new CsvError(line, 'unexpected quote inside an unquoted field; quote the whole field and write the quote as ""');
        }
        quoted = true;
        inQuotes = true;
        quoteLine = line;
      } else {
        field += c;
        if (field.length > maxField) throw new CsvError(line, `field longer than ${maxField} characters`);
      }
    }
    return out;
  }

  function end(): CsvRow[] {
    if (ended) return [];
    ended = true;
    if (inQuotes && !afterQuote) throw new CsvError(quoteLine, 'unterminated quoted field: the quote opened here is never closed');
    const out: CsvRow[] = [];
    endRow(out);
    return out;
  }

  return { push, end };
}

function show(c: string): string {
  return c === ' ' ? 'space' : c === '\t' ? 'tab' : `"${c}"`;
}

/** Parses a whole text. */
export function parseCsv(text: string, opts?: CsvOptions): CsvRow[] {
  const p = createCsvParser(opts);
  return [...p.push(text), ...p.end()];
}

/**
 * Parses a stream: a Node Readable, a web ReadableStream, or any (async) iterable of
 * strings or UTF-8 bytes. Bytes that are not UTF-8 are an error rather than mojibake:
 * Excel's "CSV" (not "CSV UTF-8") writes Windows-1252.
 */
export async function* readCsv(
  source: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  opts?: CsvOptions,
): AsyncGenerator<CsvRow> {
  const parser = createCsvParser(opts);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let lastLine = 1;
  const decode = (chunk: Uint8Array, streaming: boolean): string => {
    try {
      return decoder.decode(chunk, { stream: streaming });
    } catch {
      throw new CsvError(lastLine, 'the file is not UTF-8 text (at or after this line); save it as "CSV UTF-8"');
    }
  };
  for await (const chunk of source) {
    const text = typeof chunk === 'string' ? chunk : decode(chunk, true);
    for (const row of parser.push(text)) {
      lastLine = row.line;
      yield row;
    }
  }
  yield* [...parser.push(decode(new Uint8Array(0), false)), ...parser.end()];
}

// --- header mapping ----------------------------------------------------------------------------

export type { CsvReject } from '../../shared/contracts/admin.ts';
import type { CsvReject } from '../../shared/contracts/admin.ts';
export type HeaderOptions = { required: readonly string[]; optional?: readonly string[] };
export type HeaderMapped = { line: number; values: Record<string, string> } | ({ line: number } & { errors: string[] });

/**
 * Turns rows into `{ column: value }` objects using the first row as the header. Header
 * names are matched without case or surrounding spaces; columns nobody asked for are
 * ignored (CRM exports carry dozens). A missing or repeated column is a `CsvError`, since
 * no row could be read right; a row with the wrong number of fields is a reject.
 */
export function createHeaderMapper(opts: HeaderOptions): (row: CsvRow) => HeaderMapped | undefined {
  let columns: (string | undefined)[] | undefined;
  const wanted = new Set([...opts.required, ...(opts.optional ?? [])]);
  return (row) => {
    if (!columns) {
      const names = row.fields.map((f) => f.trim().toLowerCase());
      const seen = new Set<string>();
      for (const n of names) {
        if (wanted.has(n) && seen.has(n)) throw new CsvError(row.line, `column "${n}" appears twice in the header`);
        seen.add(n);
      }
      const missing = opts.required.filter((r) => !seen.has(r));
      if (missing.length > 0) {
        throw new CsvError(
          row.line,
          `missing column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}; the header is: ${names.map((n) => `"${n}"`).join(', ')}`,
        );
      }
      columns = names.map((n) => (wanted.has(n) ? n : undefined));
      return undefined;
    }
    if (row.fields.length !== columns.length) {
      return { line: row.line, errors: [`expected ${columns.length} columns as in the header, found ${row.fields.length}`] };
    }
    const values: Record<string, string> = {};
    columns.forEach((name, i) => {
      if (name !== undefined) values[name] = row.fields[i]!;
    });
    return { line: row.line, values };
  };
}

// --- import formats ---------------------------------------------------------------------------
// These describe the CSV columns, which are server-local: the records they produce use the
// shared Outcome contract, and touchpoints become ordinary `custom` events.

const MIN_TS = Date.UTC(2000, 0, 1);
const MAX_TS = Date.UTC(2100, 0, 1);

const Email = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: 'expected an email address' }).max(254, { error: 'expected an email address of at most 254 characters' }));

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** `2024-03-05` (midnight UTC) or a date-time with a zone; milliseconds since the epoch. */
const IsoDate = z
  .string()
  .trim()
  .transform((s, ctx) => {
    let ms = Number.NaN;
    const d = ISO_DATE.exec(s);
    if (d) {
      ms = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]));
      // Date.UTC rolls 2024-02-30 over to March; a date that does not round-trip does not exist.
      if (new Date(ms).toISOString().slice(0, 10) !== s) ms = Number.NaN;
    } else if (ISO_DATETIME.test(s.toUpperCase())) {
      ms = Date.parse(s.toUpperCase());
      if (!Number.isNaN(ms) && !sameCalendarDate(s, ms)) ms = Number.NaN;
    }
    if (Number.isNaN(ms)) {
      // A local time without a zone is ambiguous by up to a day; refuse it rather than guess.
      ctx.addIssue({ code: 'custom', message: `expected an ISO date such as 2024-03-05 or 2024-03-05T14:30:00Z, got "${clip(s)}"` });
      return z.NEVER;
    }
    if (ms < MIN_TS || ms >= MAX_TS) {
      ctx.addIssue({ code: 'custom', message: 'expected a date between 2000 and 2100' });
      return z.NEVER;
    }
    return ms;
  });

/** Rejects 2024-02-30T10:00Z, which Date.parse would accept as March 1st in some engines. */
function sameCalendarDate(s: string, ms: number): boolean {
  const offset = /([+-])(\d{2}):(\d{2})$/.exec(s);
  const shift = offset ? (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) * 60_000 : 0;
  return new Date(ms + shift).toISOString().slice(0, 10) === s.slice(0, 10);
}

const OptionalAmount = z
  .string()
  .trim()
  .transform((s, ctx) => {
    if (s === '') return undefined;
    // Plain decimals only: "1,234" is a thousands separator in one locale and a decimal in another.
    if (!/^\d+(\.\d+)?$/.test(s)) {
      ctx.addIssue({ code: 'custom', message: `expected a number such as 1234.50 without separators or currency, got "${clip(s)}"` });
      return z.NEVER;
    }
    return Number(s);
  });

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

export const OutcomeCsvRow = z.object({
  email: Email,
  result: z.string().trim().toLowerCase().pipe(z.enum(['won', 'lost'], { error: 'expected won or lost' })),
  date: IsoDate,
  value: OptionalAmount.optional(),
});

export { TOUCHPOINT_KINDS, type TouchpointKind };

export const TouchpointCsvRow = z.object({
  email: Email,
  kind: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(TOUCHPOINT_KINDS, { error: `expected one of ${TOUCHPOINT_KINDS.join(', ')}` })),
  date: IsoDate,
  // 300 is the event title limit; empty means none.
  title: z
    .string()
    .trim()
    .max(300, { error: 'expected a title of at most 300 characters' })
    .transform((s) => (s === '' ? undefined : s))
    .optional(),
});

export type OutcomeRecord = { line: number; email: string } & Outcome;
export type TouchpointRecord = { line: number; email: string; kind: TouchpointKind; at: number; title?: string };
export type ImportItem<T> = { ok: true; record: T } | { ok: false; reject: CsvReject };
export type ImportResult<T> = { records: T[]; rejects: CsvReject[] };

type Importer<T> = (row: CsvRow) => ImportItem<T> | undefined;

function createImporter<S extends z.ZodType<unknown, Record<string, string | undefined>>, T>(
  header: HeaderOptions,
  schema: S,
  build: (line: number, row: z.output<S>) => T,
): Importer<T> {
  const mapHeader = createHeaderMapper(header);
  return (row) => {
    const mapped = mapHeader(row);
    if (mapped === undefined) return undefined;
    if ('errors' in mapped) return { ok: false, reject: mapped };
    const parsed = schema.safeParse(mapped.values);
    if (!parsed.success) return { ok: false, reject: { line: mapped.line, errors: formatIssues(parsed.error.issues) } };
    return { ok: true, record: build(mapped.line, parsed.data) };
  };
}

const outcomeImporter = (): Importer<OutcomeRecord> =>
  createImporter({ required: ['email', 'result', 'date'], optional: ['value'] }, OutcomeCsvRow, (line, r) => {
    const rec: OutcomeRecord = { line, email: r.email, result: r.result, at: r.date };
    if (r.value !== undefined) rec.value = r.value;
    return rec;
  });

const touchpointImporter = (): Importer<TouchpointRecord> =>
  createImporter({ required: ['email', 'kind', 'date'], optional: ['title'] }, TouchpointCsvRow, (line, r) => {
    const rec: TouchpointRecord = { line, email: r.email, kind: r.kind, at: r.date };
    if (r.title !== undefined) rec.title = r.title;
    return rec;
  });

function collect<T>(importer: Importer<T>, input: string | Iterable<CsvRow>): ImportResult<T> {
  const result: ImportResult<T> = { records: [], rejects: [] };
  let sawHeader = false;
  for (const row of typeof input === 'string' ? parseCsv(input) : input) {
    sawHeader = true;
    const item = importer(row);
    if (item === undefined) continue;
    if (item.ok) result.records.push(item.record);
    else result.rejects.push(item.reject);
  }
  if (!sawHeader) throw new CsvError(1, 'the file is empty; expected a header row');
  return result;
}

async function* stream<T>(importer: Importer<T>, rows: AsyncIterable<CsvRow> | Iterable<CsvRow>): AsyncGenerator<ImportItem<T>> {
  let sawHeader = false;
  for await (const row of rows) {
    sawHeader = true;
    const item = importer(row);
    if (item !== undefined) yield item;
  }
  if (!sawHeader) throw new CsvError(1, 'the file is empty; expected a header row');
}

/** Outcome import: columns email, result (won|lost), date (ISO), value (optional). */
export function parseOutcomeRows(input: string | Iterable<CsvRow>): ImportResult<OutcomeRecord> {
  return collect(outcomeImporter(), input);
}

/** The same, one item at a time, for uploads too large to hold: `streamOutcomeRows(readCsv(req.raw))`. */
export function streamOutcomeRows(rows: AsyncIterable<CsvRow> | Iterable<CsvRow>): AsyncGenerator<ImportItem<OutcomeRecord>> {
  return stream(outcomeImporter(), rows);
}

/** Offline touchpoints: columns email, kind (webinar|trade_fair|call|meeting|other), date, title (optional). */
export function parseTouchpointRows(input: string | Iterable<CsvRow>): ImportResult<TouchpointRecord> {
  return collect(touchpointImporter(), input);
}

export function streamTouchpointRows(rows: AsyncIterable<CsvRow> | Iterable<CsvRow>): AsyncGenerator<ImportItem<TouchpointRecord>> {
  return stream(touchpointImporter(), rows);
}

/**
 * A touchpoint as a `custom` event named after its kind, so interest rules match it with
 * `when: { types: ['custom'], name: 'webinar' }`. The id is derived from the row's content
 * (a UUID v7 at the touchpoint's time with hash bits), so importing the same file twice
 * stores each touchpoint once; the price is that two identical rows count once too.
 */
export function touchpointEvent(
  rec: TouchpointRecord,
  base: { site: string; anonymousId: string; sessionId: string },
): EventOf<'custom'> {
  const digest = createHash('sha256').update(JSON.stringify([rec.email, rec.kind, rec.at, rec.title ?? ''])).digest();
  const id = uuidv7(rec.at, (bytes) => {
    bytes.set(digest.subarray(0, bytes.length));
    return bytes;
  });
  const event: EventOf<'custom'> = {
    id,
    type: 'custom',
    name: rec.kind,
    ts: rec.at,
    site: base.site,
    anonymousId: base.anonymousId,
    sessionId: base.sessionId,
    props: { source: 'csv' },
  };
  if (rec.title !== undefined) event.title = rec.title;
  return event;
}
