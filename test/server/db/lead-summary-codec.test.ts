import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, Event } from '../../../shared/contracts/event.ts';
import { compareEvents } from '../../../shared/scoring/index.ts';
import { decodeEvent, encodeBody } from '../../../server/db/event-rows.ts';
import { packSegment, unpack } from '../../../server/db/lead-summary-codec.ts';
import { generateDemo } from '../../../server/demo/generate-demo.ts';
import { touchpointEvent } from '../../../server/import/csv.ts';

// The packed form of a lead's events (server/db/lead-summary-codec.ts) gives back, field for
// field, what the events table gives through `decodeEvent`, for every event type: the demo
// history (as the snippet and the mail tracking send it) and offline touchpoints (as import
// makes them), each first decoded through the contract as ingest stores it.

const NOW = Date.UTC(2026, 5, 1, 12);

function corpus(): Event[] {
  const demo = generateDemo({ seed: 2, now: NOW });
  const offline = demo.track.flatMap((t, i) => (t.touchpoint ? [touchpointEvent({ line: i, email: t.email, ...t.touchpoint }, { site: 'demo', anonymousId: `lead:${i}`, sessionId: 'offline' })] : []));
  return [...demo.events, ...offline].map((e) => Event.parse(e));
}

describe('lead summary codec', () => {
  const events = corpus();

  it('unpacks every event type exactly as decodeEvent reads its stored row', () => {
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(EVENT_TYPES));
    const fromRows = events.map((e) => decodeEvent({ id: e.id, site: e.site, anonymous_id: e.anonymousId, ts: e.ts, type: e.type, body: encodeBody(e) })!);
    expect(unpack(packSegment(events))).toStrictEqual([...fromRows].sort(compareEvents));
  });

  it('reads appended segments in (ts, id) order, an event packed twice once, and only the types asked for', () => {
    const some = events.slice(0, 400);
    const later = some.slice(200);
    const earlier = some.slice(0, 200);
    // Appended out of order (a late batch), with one event resent in a second segment.
    const packed = [packSegment(later), packSegment(earlier), packSegment([earlier[5]!])].join(',');
    expect(unpack(packed)).toStrictEqual([...some].sort(compareEvents));
    const views = unpack(packed, new Set(['page_view', 'identify']));
    expect(views).toStrictEqual([...some].filter((e) => e.type === 'page_view' || e.type === 'identify').sort(compareEvents));
    expect(views.length).toBeGreaterThan(0);
    expect(unpack(null)).toEqual([]);
    expect(unpack('')).toEqual([]);
  });

  it('keeps repeated strings once per segment', () => {
    const oneLead = events.filter((e) => e.anonymousId === events.find((x) => x.type === 'identify')!.anonymousId);
    expect(oneLead.length).toBeGreaterThan(3);
    const packed = packSegment(oneLead);
    const rows = oneLead.map((e) => JSON.stringify(e)).join('');
    expect(packed.length).toBeLessThan(rows.length);
    const { s } = JSON.parse(packed) as { s: string[] };
    expect(new Set(s).size).toBe(s.length);
  });
});
