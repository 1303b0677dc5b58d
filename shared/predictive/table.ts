// Rows of cells (a CSV, or features made from leads) and what kind each column is. Kinds are
// read from the values' shapes and counts only, never from the label, so detecting them on
// the whole table leaks nothing; everything fitted to values (levels, means, encodings) is
// fitted on training rows only, in encode.ts.

export type Cell = string | number | boolean | null | undefined;
export type Row = Readonly<Record<string, Cell>>;

export type ColumnKind = 'numeric' | 'categorical' | 'date' | 'id' | 'constant';
export type ColumnInfo = {
  name: string;
  kind: ColumnKind;
  /** Distinct non-missing values. */
  distinct: number;
  missing: number;
  /** Dates only: some value carries a time of day. */
  hasTime?: boolean;
};

const MISSING = new Set(['', 'na', 'n/a', 'nan', 'null', 'none', 'nil', '-', '?', 'undefined', '#n/a']);

export function isMissing(cell: Cell): boolean {
  if (cell === null || cell === undefined) return true;
  if (typeof cell === 'number') return !Number.isFinite(cell);
  if (typeof cell === 'boolean') return false;
  return MISSING.has(cell.trim().toLowerCase());
}

const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** A finite number, or undefined for missing or non-numeric cells. Booleans count as 0/1. */
export function toNumber(cell: Cell): number | undefined {
  if (isMissing(cell) || cell === null || cell === undefined) return undefined;
  if (typeof cell === 'number') return cell;
  if (typeof cell === 'boolean') return cell ? 1 : 0;
  const s = cell.trim();
  return NUMBER_RE.test(s) ? Number(s) : undefined;
}

/** The cell as a category level: trimmed text, undefined when missing. */
export function toLevel(cell: Cell): string | undefined {
  if (cell === null || cell === undefined) return undefined;
  if (typeof cell === 'string') return levelOfText(cell);
  if (isMissing(cell)) return undefined;
  return String(cell).trim();
}

// A table repeats its levels thousands of times: each distinct text is trimmed and checked
// for "missing" once (V8 keeps a string's hash, so the lookup is cheap), not once per read.
// Bounded, so a column of unique values cannot grow it without end.
const LEVEL_CACHE_SIZE = 65_536;
let levelCache = new Map<string, string | null>();

function levelOfText(cell: string): string | undefined {
  const hit = levelCache.get(cell);
  if (hit !== undefined) return hit ?? undefined;
  const level = MISSING.has(cell.trim().toLowerCase()) ? null : cell.trim();
  if (levelCache.size >= LEVEL_CACHE_SIZE) levelCache = new Map();
  levelCache.set(cell, level);
  return level ?? undefined;
}

export type DateParts = { weekday: number; hour: number; month: number; year: number; hasTime: boolean };

// The wall-clock time as written: a zone suffix is accepted but not applied, because what
// says something about a lead is the hour where it acted, not the hour in UTC.
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?$/i;

const DATE_CACHE_SIZE = 65_536;
const LOOKS_LIKE_DATE = /^\s*\d{4}-/;
let dateCache = new Map<string, DateParts | null>();

/** The date parts of a cell (cached by text, as levels are: date columns repeat their days). */
export function toDateParts(cell: Cell): DateParts | undefined {
  // Most cells are not dates: they are turned away before the cache, so it holds dates only.
  if (typeof cell !== 'string' || !LOOKS_LIKE_DATE.test(cell)) return undefined;
  const hit = dateCache.get(cell);
  if (hit !== undefined) return hit ?? undefined;
  const parts = parseDateParts(cell) ?? null;
  if (dateCache.size >= DATE_CACHE_SIZE) dateCache = new Map();
  dateCache.set(cell, parts);
  return parts ?? undefined;
}

function parseDateParts(cell: string): DateParts | undefined {
  if (isMissing(cell)) return undefined;
  const m = DATE_RE.exec(cell.trim());
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23) return undefined;
  const hasTime = m[4] !== undefined && (hour !== 0 || Number(m[5]) !== 0 || Number(m[6] ?? 0) !== 0);
  return { weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay(), hour, month, year, hasTime };
}

export type DetectOptions = {
  /** Columns left out (the label, keys). */
  exclude?: readonly string[];
  /** Share of non-missing values that must parse for a numeric or date column. */
  parseShare?: number;
  /** Share of distinct values among non-missing text above which a column is an identifier. */
  idShare?: number;
};

/** Column kinds of a table, in header order (the first row's keys, then any new ones). */
export function detectColumns(rows: readonly Row[], opts: DetectOptions = {}): ColumnInfo[] {
  const exclude = new Set(opts.exclude ?? []);
  const parseShare = opts.parseShare ?? 0.95;
  const idShare = opts.idShare ?? 0.9;
  const names: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const k of Object.keys(row)) {
      if (!seen.has(k)) {
        seen.add(k);
        if (!exclude.has(k)) names.push(k);
      }
    }
  }
  return names.map((name) => {
    let missing = 0;
    let numeric = 0;
    let dates = 0;
    let hasTime = false;
    const distinct = new Set<string>();
    for (const row of rows) {
      const cell = row[name];
      if (isMissing(cell)) {
        missing++;
        continue;
      }
      distinct.add(String(cell).trim());
      if (toNumber(cell) !== undefined) numeric++;
      const d = toDateParts(cell);
      if (d) {
        dates++;
        hasTime ||= d.hasTime;
      }
    }
    const present = rows.length - missing;
    const info: ColumnInfo = { name, kind: 'categorical', distinct: distinct.size, missing };
    // One value with some missing is still informative (present vs absent); no variation at all is not.
    if (distinct.size === 0 || (distinct.size === 1 && (missing === 0 || present === 0))) info.kind = 'constant';
    else if (numeric >= parseShare * present) info.kind = /(^|_)id$/i.test(name) && distinct.size >= idShare * present ? 'id' : 'numeric';
    else if (dates >= parseShare * present) {
      info.kind = 'date';
      info.hasTime = hasTime;
    } else if (present >= 20 && distinct.size >= idShare * present) info.kind = 'id';
    return info;
  });
}

const POSITIVE = new Set(['1', 'true', 't', 'yes', 'y', 'won', 'win', 'closed won', 'converted', 'positive', 'ja', 'j']);
const NEGATIVE = new Set(['0', 'false', 'f', 'no', 'n', 'lost', 'loss', 'closed lost', 'not converted', 'negative', 'nee', 'nej']);

/** The label spellings `toLabel` reads, for messages. */
export const LABEL_SPELLINGS = '1/0 (also 1.0/0.0), true/false, yes/no, won/lost or closed won/closed lost';

/**
 * 0/1 from a label cell: 1/0 and 1.0/0.0 (pandas), true/false, yes/no, won/lost, closed
 * won/closed lost (Salesforce, HubSpot: any case, `Closed-Won` and `closed_won` too);
 * undefined when it is none of them.
 */
export function toLabel(cell: Cell): 0 | 1 | undefined {
  if (cell === true || cell === 1) return 1;
  if (cell === false || cell === 0) return 0;
  if (typeof cell !== 'string') return undefined;
  const s = cell.trim().toLowerCase().replace(/[\s_-]+/g, ' ');
  if (POSITIVE.has(s)) return 1;
  if (NEGATIVE.has(s)) return 0;
  if (/^[+-]?\d+(\.0*)?$/.test(s)) {
    const n = Number(s);
    return n === 1 ? 1 : n === 0 ? 0 : undefined;
  }
  if (s === 'closedwon') return 1;
  if (s === 'closedlost') return 0;
  return undefined;
}

/**
 * The usable columns' cells as the models read them, once per table: numbers as numbers,
 * levels as trimmed text, dates as their text, missing as null; other columns left out.
 * Every later read (each fold, each family, the final fit) is then a type check rather than a
 * parse. A typed row reads exactly as the original does, so the models are the same.
 */
export function typedRows(rows: readonly Row[], columns: readonly ColumnInfo[]): Row[] {
  const used = columns.filter((c) => c.kind === 'numeric' || c.kind === 'categorical' || c.kind === 'date');
  const record = recordMaker(used.map((c) => c.name));
  return rows.map((r) => {
    const out = record();
    for (const c of used) {
      const v = r[c.name];
      out[c.name] = c.kind === 'numeric' ? (toNumber(v) ?? null) : c.kind === 'categorical' ? (toLevel(v) ?? null) : toDateParts(v) ? v : null;
    }
    return out;
  });
}

/**
 * Empty records with these keys that V8 keeps compact. An object given more than about a dozen
 * properties by `o[key] = v` becomes a hash table (some 1.5 KB a row at 30 columns, which at
 * 200,000 rows is most of the memory); spread copies of one parsed template share one hidden
 * class instead (some 250 B), and filling in keys they already have keeps it.
 */
export function recordMaker(keys: readonly string[]): () => Record<string, Cell> {
  const template = JSON.parse(JSON.stringify(Object.fromEntries(keys.map((k) => [k, null])))) as Record<string, Cell>;
  return () => ({ ...template });
}
