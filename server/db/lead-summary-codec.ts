import { EVENT_TYPES, type Event, type EventType } from '../../shared/contracts/event.ts';
import { compareEvents } from '../../shared/scoring/index.ts';

// The packed form of a lead's events kept in `lead_summaries` (lead-summary.ts): what reports,
// backtests and rescoring read instead of one stored row and one JSON body per event.
//
// Format v2 (migration 0013; v1, JSON segments joined by commas, is in lead-summary-v1.ts). A
// summary is one or more segments joined by SEGMENT_SEPARATOR, so ingest appends a segment with
// a SQL `||` and never reads the row back. It stays text, not bytes: SQLite's `||` turns BLOBs
// into text, and text appends the same way on both backends. A segment holds its events in
// (ts, id) order:
//   header  the lengths of the next four parts, then per type with JSON values its type letter
//           and that part's length; then HEADER_END;
//   records per event: its type letter ('a' + index in EVENT_TYPES); the ts minus the previous
//           event's (the first as it is); site, anonymousId, sessionId, url, title as 1 + index
//           in the string table (0: absent); the number of other fields, and when there are
//           some, the number of their key list and one number per value: 2i + 1 for string i of
//           the table, 2k + 2 for a whole number k (below 2^50), 0 for the type's next JSON value;
//   ids     each exactly 36 characters (the contract's Uuid), one after another;
//   strings the strings the events use, each once per segment, each after a STRING mark (or a
//           JSON array when one of them holds that mark);
//   keys    a JSON array of the key lists (the other fields' names, in the event's order);
//   values  per type, a JSON array of the values that are neither strings nor whole numbers
//           (arrays, objects, fractions, negatives, booleans, null).
// Numbers are base-32 digits, most significant first: '0'..'O' ends a number, 'P'..'o' is a digit
// with more to come. Unpacking reads the header, walks the records with charCodeAt, cuts each id
// and string out of the text (a string once per segment, when an event first needs it) and parses
// a type's JSON only when the type is wanted: an unwanted event costs a few character reads and
// builds nothing. What is packed was already decoded through the Event contract (at ingest, or
// from the stored rows on a rebuild); a test checks that unpacking gives `decodeEvent` of the
// stored rows for every type.

/** The column's type: a packed summary as stored (text on both backends). */
export type PackedSummary = string;

/** Between two segments of a summary (what an append puts before the new segment). */
export const SEGMENT_SEPARATOR = '\x1e';
const SEPARATOR_CODE = 0x1e;
const HEADER_END = '\x1f';
const STRING = '\x1c';
const STRING_CODE = 0x1c;
const ID_LENGTH = 36;
const TYPE_BASE = 0x61; // 'a'
const LAST_DIGIT = 0x30; // '0'..'O': the last digit of a number
const MORE_DIGIT = 0x50; // 'P'..'o': a digit with more to come

const TYPE_CODE = new Map<string, number>(EVENT_TYPES.map((t, i) => [t, i]));
const TYPE_CHARS = EVENT_TYPES.map((_, i) => String.fromCharCode(TYPE_BASE + i));
/** The fields held in the records and the ids; everything else goes to the type's other fields. */
const FIXED = new Set(['type', 'ts', 'id', 'site', 'anonymousId', 'sessionId', 'url', 'title']);

const LAST_CHARS = Array.from({ length: 32 }, (_, d) => String.fromCharCode(LAST_DIGIT + d));
const MORE_CHARS = Array.from({ length: 32 }, (_, d) => String.fromCharCode(MORE_DIGIT + d));

/** A whole number of at least 0 in base-32 digits, most significant first. */
function num(n: number): string {
  if (n < 32 && n >= 0 && Number.isInteger(n)) return LAST_CHARS[n]!;
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`lead summary: cannot pack ${n} (expected a whole number of at least 0)`);
  let out = LAST_CHARS[n % 32]!;
  for (n = Math.floor(n / 32); n > 0; n = Math.floor(n / 32)) out = MORE_CHARS[n % 32]! + out;
  return out;
}

const isSorted = (events: readonly Event[]): boolean => events.every((e, i) => i === 0 || compareEvents(events[i - 1]!, e) <= 0);

/** One segment holding `events` (any order; an id must be the contract's 36-character Uuid). */
export function packSegment(events: readonly Event[]): PackedSummary {
  const sorted = isSorted(events) ? events : [...events].sort(compareEvents);
  const strings: string[] = [];
  const stringIndex = new Map<string, number>();
  const ref = (s: string | undefined): number => {
    if (s === undefined) return 0;
    let i = stringIndex.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      stringIndex.set(s, i);
    }
    return i + 1;
  };
  const shapes: string[][] = [];
  const shapeIndex = new Map<string, number>();
  let records = '';
  let ids = '';
  const json: unknown[][] = EVENT_TYPES.map(() => []);
  let previous = 0;
  for (const e of sorted) {
    const code = TYPE_CODE.get(e.type);
    if (code === undefined) throw new Error(`lead summary: event ${e.id} has an unknown type ${JSON.stringify(e.type)}`);
    if (e.id.length !== ID_LENGTH) throw new Error(`lead summary: event id ${JSON.stringify(e.id)} is not ${ID_LENGTH} characters`);
    records += TYPE_CHARS[code]! + num(e.ts - previous) + num(ref(e.site)) + num(ref(e.anonymousId)) + num(ref(e.sessionId)) + num(ref(e.url)) + num(ref(e.title));
    previous = e.ts;
    ids += e.id;
    const keys: string[] = [];
    const values: number[] = [];
    for (const k in e) {
      const v = (e as Record<string, unknown>)[k];
      if (FIXED.has(k) || v === undefined) continue;
      keys.push(k);
      if (typeof v === 'string') values.push(2 * ref(v) - 1);
      else if (Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) < 2 ** 50) values.push(2 + 2 * (v as number));
      else {
        values.push(0);
        json[code]!.push(v);
      }
    }
    records += num(keys.length);
    if (keys.length === 0) continue;
    const name = JSON.stringify(keys);
    let shape = shapeIndex.get(name);
    if (shape === undefined) {
      shape = shapes.push(keys) - 1;
      shapeIndex.set(name, shape);
    }
    records += num(shape);
    for (const v of values) records += num(v);
  }
  const body = [records, ids, stringTable(strings), JSON.stringify(shapes)];
  let header = '';
  for (const part of body) header += num(part.length);
  json.forEach((list, code) => {
    if (list.length === 0) return;
    const part = JSON.stringify(list);
    header += TYPE_CHARS[code]! + num(part.length);
    body.push(part);
  });
  return header + HEADER_END + body.join('');
}

/**
 * The string table: each string after a STRING mark (found with indexOf, cut out when needed);
 * as a JSON array (JSON.stringify escapes control characters) when a string holds the mark.
 */
function stringTable(strings: readonly string[]): string {
  for (const s of strings) if (s.includes(STRING)) return JSON.stringify(strings);
  return STRING + strings.join(STRING);
}

/**
 * The strings of a segment's table, each cut out of the text when an event first needs it: an
 * unwanted event's session or page costs nothing.
 */
class StringTable {
  private readonly strings: (string | undefined)[] = [];
  private readonly json: string[] | undefined;
  private readonly starts: number[] = [];
  constructor(
    private readonly packed: string,
    start: number,
    private readonly end: number,
  ) {
    if (packed.charCodeAt(start) !== STRING_CODE) {
      this.json = JSON.parse(packed.slice(start, end)) as string[];
      return;
    }
    for (let at = start; at >= 0 && at < end; at = packed.indexOf(STRING, at + 1)) this.starts.push(at + 1);
  }

  /** String i of the table (0-based). */
  get(i: number): string | undefined {
    if (this.json) return this.json[i];
    let s = this.strings[i];
    if (s === undefined && i < this.starts.length) {
      const next = this.starts[i + 1];
      s = this.packed.slice(this.starts[i], next === undefined ? this.end : next - 1);
      this.strings[i] = s;
    }
    return s;
  }
}

/** A summary made of these segments (as appends would make it). */
export function joinSegments(segments: readonly PackedSummary[]): PackedSummary {
  return segments.join(SEGMENT_SEPARATOR);
}

/**
 * The events of a packed summary in (ts, id) order, those of `types` only when given (the
 * others are skipped before an object is built). An event stored twice (never expected: ingest
 * appends only new ids) is returned once.
 */
export function unpack(packed: PackedSummary | null | undefined, types?: ReadonlySet<EventType>): Event[] {
  if (!packed) return [];
  const wanted = EVENT_TYPES.map((t) => !types || types.has(t));
  const out: Event[] = [];
  let joined = 0; // segments after the first
  for (let start = 0; ; joined++) {
    const end = unpackSegment(packed, start, wanted, out);
    if (end === packed.length) break;
    if (packed.charCodeAt(end) !== SEPARATOR_CODE) throw new Error(`lead summary: no segment separator at ${end} of ${packed.length}`);
    start = end + 1;
  }
  if (joined > 0) {
    out.sort(compareEvents);
    return dedupe(out);
  }
  return out;
}

// The text being read and the position in it: module state rather than a closure or an object,
// so the tiny readNumber inlines into the loop over events.
let text = '';
let at = 0;

function readNumber(): number {
  let c = text.charCodeAt(at++);
  let n = 0;
  while (c >= MORE_DIGIT) {
    n = n * 32 + (c - MORE_DIGIT);
    c = text.charCodeAt(at++);
  }
  return n * 32 + (c - LAST_DIGIT);
}

/** Appends the wanted events of the segment at `start` to `out`, in its (ts, id) order; returns where it ends. */
function unpackSegment(packed: string, start: number, wanted: readonly boolean[], out: Event[]): number {
  // The header: the lengths of the records, ids, string table and shapes, then a type mark and
  // length per JSON part, up to HEADER_END.
  text = packed;
  at = start;
  const recordsStart = packed.indexOf(HEADER_END, start) + 1;
  if (recordsStart === 0) throw new Error(`lead summary: a segment at ${start} without its header`);
  const recordsEnd = recordsStart + readNumber();
  const idsStart = recordsEnd;
  const tableStart = idsStart + readNumber();
  const shapesStart = tableStart + readNumber();
  const shapesEnd = shapesStart + readNumber();
  let end = shapesEnd;
  // The JSON values of the wanted types, each type's list parsed once; `next` walks each list.
  let json: (unknown[] | undefined)[] | undefined;
  let next: number[] | undefined;
  while (at < recordsStart - 1) {
    const code = text.charCodeAt(at++) - TYPE_BASE;
    const length = readNumber();
    if (wanted[code]) {
      json ??= [];
      next ??= EVENT_TYPES.map(() => 0);
      json[code] = JSON.parse(packed.slice(end, end + length)) as unknown[];
    }
    end += length;
  }
  if (end > packed.length) throw new Error(`lead summary: a segment at ${start} longer than the summary`);
  const s = new StringTable(packed, tableStart, shapesStart);
  let shapes: string[][] | undefined;
  text = packed;
  at = recordsStart;
  let ts = 0;
  let idAt = idsStart;
  while (at < recordsEnd) {
    const code = text.charCodeAt(at++) - TYPE_BASE;
    ts += readNumber();
    if (!wanted[code]) {
      // Past the five refs (each ends at its last digit), then the other fields if any.
      for (let left = 5; left > 0; ) if (text.charCodeAt(at++) < MORE_DIGIT) left--;
      const count = readNumber();
      for (let left = count > 0 ? count + 1 : 0; left > 0; ) if (text.charCodeAt(at++) < MORE_DIGIT) left--;
      idAt += ID_LENGTH;
      continue;
    }
    const site = readNumber();
    const anonymousId = readNumber();
    const sessionId = readNumber();
    const url = readNumber();
    const title = readNumber();
    // The fixed fields first, in one order, so events of a type share a shape.
    const event: Record<string, unknown> = { id: packed.slice(idAt, idAt + ID_LENGTH), ts, site: s.get(site - 1), anonymousId: s.get(anonymousId - 1), sessionId: s.get(sessionId - 1), type: EVENT_TYPES[code] };
    idAt += ID_LENGTH;
    if (url > 0) event.url = s.get(url - 1);
    if (title > 0) event.title = s.get(title - 1);
    const count = readNumber();
    if (count > 0) {
      // The other fields in the event's own key order: 2i + 1 is string i of the table, 2k + 2
      // the whole number k, 0 the type's next JSON value.
      shapes ??= JSON.parse(packed.slice(shapesStart, shapesEnd)) as string[][];
      const keys = shapes[readNumber()]!;
      for (let k = 0; k < count; k++) {
        const v = readNumber();
        event[keys[k]!] = v === 0 ? json![code]![next![code]!++] : v % 2 === 1 ? s.get((v - 1) / 2) : (v - 2) / 2;
      }
    }
    out.push(event as Event);
  }
  text = '';
  return end;
}

/** Events in (ts, id) order with each id once (the first kept), in place: segments may overlap. */
export function dedupe(sorted: Event[]): Event[] {
  let w = 0;
  for (let r = 0; r < sorted.length; r++) {
    if (w > 0 && sorted[w - 1]!.id === sorted[r]!.id) continue;
    sorted[w++] = sorted[r]!;
  }
  sorted.length = w;
  return sorted;
}
