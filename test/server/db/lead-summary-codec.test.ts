import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, Event } from '../../../shared/contracts/event.ts';
import { compareEvents } from '../../../shared/scoring/index.ts';
import { decodeEvent, encodeBody } from '../../../server/db/event-rows.ts';
import { joinSegments, packSegment, unpack } from '../../../server/db/lead-summary-codec.ts';
import { packSegmentV1, unpackV1 } from '../../../server/db/lead-summary-v1.ts';
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
    const packed = joinSegments([packSegment(later), packSegment(earlier), packSegment([earlier[5]!])]);
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
    // The lead's visitor id, on every event, is in the text once.
    expect(packed.split(oneLead[0]!.anonymousId).length - 1).toBe(1);
  });

  it('keeps hostile text, every kind of value and a filter exactly, in both forms of the string table', () => {
    const base = { site: 'demo', anonymousId: 'anon\x1f1', sessionId: 's\x1e1', ts: Date.UTC(2026, 0, 2) };
    const hostile = [
      Event.parse({ ...base, id: '01900000-0000-7000-8000-000000000001', type: 'page_view', url: 'https://acme.test/p\x1cx', title: 'Prijzen — 价格 😀 \x1c\x1d\x1e\x1f', referrer: '', weight: -2.5, tags: ['a', 'b'], props: { n: 1e21, f: 0.1, t: true, z: null, s: 'ö' } }),
      Event.parse({ ...base, id: '01900000-0000-7000-8000-000000000002', type: 'engagement', url: 'https://acme.test/', pageViewId: '01900000-0000-7000-8000-000000000001', engagedMs: 0 }),
      Event.parse({ ...base, id: '01900000-0000-7000-8000-000000000003', ts: base.ts, type: 'custom', name: 'webinar', props: { big: 2 ** 53 + 2, neg: -1 } }),
      Event.parse({ ...base, id: '01900000-0000-7000-8000-000000000004', ts: 4_102_444_800_000, type: 'identify', traits: { email: 'a@b.se', name: 'Åsa Öberg' }, source: 'form' }),
    ];
    const plain = hostile.map((e) => ({ ...e, anonymousId: 'anon-1', sessionId: 's-1', ...(e.title ? { title: 'Prijzen' } : {}), ...(e.url ? { url: 'https://acme.test/p' } : {}) }) as Event);
    for (const list of [hostile, plain]) {
      const packed = packSegment(list);
      expect(unpack(packed)).toStrictEqual([...list].sort(compareEvents));
      expect(unpack(packed, new Set(['custom', 'identify']))).toStrictEqual([...list].filter((e) => e.type === 'custom' || e.type === 'identify').sort(compareEvents));
      expect(unpack(joinSegments([packed, packSegment([]), packed]))).toStrictEqual([...list].sort(compareEvents));
    }
    expect(unpack(packSegment([]))).toEqual([]);
  });

  it('unpacks the same events as the v1 form it replaces, in less text', () => {
    const packed = packSegment(events);
    const v1 = packSegmentV1(events);
    expect(unpack(packed)).toStrictEqual(unpackV1(v1));
    expect(packed.length).toBeLessThan(v1.length);
  });

  it('says where a summary is broken rather than returning part of it', () => {
    const packed = packSegment(events.slice(0, 10));
    expect(() => unpack(`${packed}x${packed}`)).toThrow(/no segment separator/);
    expect(() => unpack(packed.slice(0, 3))).toThrow(/lead summary/);
  });
});
