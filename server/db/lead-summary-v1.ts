import { EVENT_TYPES, type Event, type EventType } from '../../shared/contracts/event.ts';
import { compareEvents } from '../../shared/scoring/index.ts';
import { dedupe } from './lead-summary-codec.ts';

// The first packed form of `lead_summaries` (migration 0011), kept only so that migration 0013
// can rewrite such rows into the current form (lead-summary-codec.ts) and back on a downgrade.
// Nothing else reads or writes it.
//
// A summary is one or more segments joined by commas. A segment is JSON:
//   {"s":[strings...],"e":[[type, ts, id, site, anonymousId, sessionId, url, title, rest], ...]}
// `type` is its index in EVENT_TYPES; site, anonymousId, sessionId, url and title are indexes
// into the segment's string table (-1: absent); `rest` is every other field of the event as it
// is (0 when there is none).

type Packed = [number, number, string, number, number, number, number, number, Record<string, unknown> | 0];
type Segment = { s: string[]; e: Packed[] };

const TYPE_CODE = new Map<string, number>(EVENT_TYPES.map((t, i) => [t, i]));
/** The fields held in the fixed positions; everything else goes to `rest`. */
const FIXED = new Set(['type', 'ts', 'id', 'site', 'anonymousId', 'sessionId', 'url', 'title']);

/** One v1 segment holding `events` (any order). */
export function packSegmentV1(events: readonly Event[]): string {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const ref = (s: string | undefined): number => {
    if (s === undefined) return -1;
    let i = index.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      index.set(s, i);
    }
    return i;
  };
  const packed: Packed[] = events.map((e) => {
    let rest: Record<string, unknown> | 0 = 0;
    for (const [k, v] of Object.entries(e)) {
      if (FIXED.has(k) || v === undefined) continue;
      (rest ||= {})[k] = v;
    }
    return [TYPE_CODE.get(e.type)!, e.ts, e.id, ref(e.site), ref(e.anonymousId), ref(e.sessionId), ref(e.url), ref(e.title), rest];
  });
  const segment: Segment = { s: strings, e: packed };
  return JSON.stringify(segment);
}

/**
 * The events of a v1 summary in (ts, id) order (of `types` only, when given); an event stored
 * twice is returned once.
 */
export function unpackV1(packed: string | null | undefined, types?: ReadonlySet<EventType>): Event[] {
  if (!packed) return [];
  const segments = JSON.parse(`[${packed}]`) as Segment[];
  const out: Event[] = [];
  let sorted = true;
  for (const { s, e } of segments) {
    for (const p of e) {
      const type = EVENT_TYPES[p[0]]!;
      if (types && !types.has(type)) continue;
      // The fixed fields first, in one order, so events of a type share a shape.
      const event: Record<string, unknown> = { id: p[2], ts: p[1], site: s[p[3]], anonymousId: s[p[4]], sessionId: s[p[5]], type };
      if (p[6] >= 0) event.url = s[p[6]];
      if (p[7] >= 0) event.title = s[p[7]];
      if (p[8] !== 0) Object.assign(event, p[8]);
      const ev = event as Event;
      if (sorted && out.length > 0 && compareEvents(out[out.length - 1]!, ev) > 0) sorted = false;
      out.push(ev);
    }
  }
  if (segments.length > 1 || !sorted) {
    out.sort(compareEvents);
    return dedupe(out);
  }
  return out;
}
