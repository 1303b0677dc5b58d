import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BatchEnvelope, splitBatch, type SplitBatch } from '../../../shared/contracts/batch.ts';
import { Event, EVENT_TYPES } from '../../../shared/contracts/event.ts';
import { CHECKED_TYPES, checkedEvent } from '../../../shared/contracts/event-check.ts';
import { formatIssues } from '../../../shared/errors.ts';

// The quick check must never vouch for what zod refuses, and what it vouches for must be
// zod's own output to the byte (the stored body is its JSON) and to the key order.

const ID = '0190f3a2-7c1e-7abc-8def-0123456789ab';
const page = () => ({
  id: ID,
  ts: Date.UTC(2026, 10, 1, 9, 30),
  type: 'page_view',
  site: 'site_demo',
  anonymousId: 'a-7f3c',
  sessionId: 's-19',
  url: 'https://www.example.com/pricing?utm_source=x',
  title: 'Pricing — Acme',
  referrer: '',
});

/** What splitBatch was before the quick checks: zod alone. */
function zodSplit(input: unknown): SplitBatch {
  const envelope = BatchEnvelope.safeParse(input);
  if (!envelope.success) return { ok: false, errors: formatIssues(envelope.error.issues) };
  const events: Event[] = [];
  const rejected: { index: number; id?: string; errors: string[] }[] = [];
  envelope.data.events.forEach((raw, index) => {
    const parsed = Event.safeParse(raw);
    if (parsed.success) events.push(parsed.data);
    else {
      const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
      rejected.push({ index, ...(typeof id === 'string' && id.length <= 64 ? { id } : {}), errors: formatIssues(parsed.error.issues, ['events', index]) });
    }
  });
  return { ok: true, events, rejected, raw: envelope.data.events };
}

/** Holds one value to zod: returns whether the quick check vouched for it. */
function agrees(raw: unknown): boolean {
  const quick = checkedEvent(raw);
  if (quick === undefined) return false;
  const parsed = Event.safeParse(raw);
  expect(parsed.success, JSON.stringify(raw)).toBe(true);
  if (!parsed.success) return true;
  expect(JSON.stringify(quick)).toBe(JSON.stringify(parsed.data));
  expect(Object.keys(quick)).toEqual(Object.keys(parsed.data));
  expect(quick).toStrictEqual(parsed.data);
  return true;
}

// Values near every edge the contract draws: lengths, NUL and lone surrogates, numbers that are
// not integers or not finite, wrong types, nested shapes.
const str = fc.oneof(
  fc.constantFrom('', 'a', 'x'.repeat(40), 'x'.repeat(41), 'x'.repeat(64), 'x'.repeat(65), 'x'.repeat(300), 'x'.repeat(301), 'a\u0000b', '\uD800', 'a\uDC00', '\uD83D\uDE00', 'é ü 🙂', ' '),
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);
const url = fc.oneof(
  fc.constantFrom('https://www.example.com/', 'http://a.b/c?d#e', 'https://x', 'javascript:alert(1)', 'https://a b/', 'https:///x', 'ftp://x/', `https://a.se/${'p'.repeat(2030)}`, `https://a.se/${'p'.repeat(2040)}`, 'https://a.nl/\u0000', 'https://a.nl/\uD800'),
  fc.webUrl(),
  str,
);
const num = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 1.5, 100, 100.5, -100, -101, 86_400_000, 86_400_001, 946_684_800_000, 946_684_799_999, 4_102_444_800_000, 4_102_444_800_001, Number.NaN, Infinity, -Infinity, 2 ** 53, Date.UTC(2026, 0, 1) + 0.5),
  fc.integer(),
  fc.double(),
);
const any = fc.oneof(str, num, url, fc.boolean(), fc.constant(null), fc.constant(undefined), fc.constant([]), fc.constant({}));
const uuid = fc.oneof(fc.uuid(), fc.constantFrom(ID, ID.toUpperCase(), `${ID}0`, ID.replace('-7', '-9')), str);
const tags = fc.oneof(fc.array(str, { maxLength: 12 }), fc.array(fc.constantFrom('pricing', 'demo'), { maxLength: 11 }), any);
const utm = fc.oneof(
  fc.record({ source: str, medium: str, campaign: str, term: str, content: str }, { requiredKeys: [] }),
  fc.constant({ source: 'x', other: 'y' }),
  fc.constant(JSON.parse('{"__proto__": {"source": "x"}}')),
  any,
);
const FIELDS = {
  id: uuid,
  ts: num,
  type: fc.oneof(fc.constantFrom(...EVENT_TYPES), str),
  site: str,
  anonymousId: str,
  sessionId: str,
  url,
  title: str,
  referrer: fc.oneof(fc.constant(''), url),
  utm,
  weight: num,
  tags,
  props: fc.oneof(fc.constant({ plan: 'pro', seats: 3 }), any),
  pageViewId: uuid,
  engagedMs: num,
  fileUrl: url,
  linkText: str,
  selector: str,
  text: str,
  name: str,
  messageId: str,
  formId: str,
  constructor: any,
  extra: any,
};
/** A valid event of a checked type with a few fields replaced by odd values or dropped. */
const mutated = fc
  .record({
    type: fc.constantFrom(...CHECKED_TYPES),
    changes: fc.array(fc.tuple(fc.constantFrom(...(Object.keys(FIELDS) as (keyof typeof FIELDS)[])), fc.boolean()), { maxLength: 3 }),
    seed: fc.integer(),
  })
  .chain(({ type, changes }) =>
    fc.tuple(fc.constant(type), fc.constant(changes), fc.tuple(...changes.map(([k]) => FIELDS[k] as fc.Arbitrary<unknown>))),
  )
  .map(([type, changes, values]) => {
    const e: Record<string, unknown> = { ...page(), type, ...typeFields(type) };
    changes.forEach(([k, drop], i) => {
      if (drop) delete e[k];
      else e[k] = values[i];
    });
    return e;
  });

function typeFields(type: string): Record<string, unknown> {
  switch (type) {
    case 'engagement':
      return { pageViewId: ID, engagedMs: 1200 };
    case 'download':
      return { fileUrl: 'https://cdn.example.com/a.pdf', linkText: 'Get it' };
    case 'click':
      return { selector: '#cta', text: 'Book a demo' };
    case 'custom':
      return { name: 'signup' };
    default:
      return { utm: { campaign: 'spring', source: 'x' }, tags: ['pricing'], weight: 20 };
  }
}

describe('the quick event check', () => {
  it('vouches for the common shapes, with zod\'s output to the key order', () => {
    for (const type of CHECKED_TYPES) expect(agrees({ ...page(), type, ...typeFields(type) }), type).toBe(true);
    // Keys in another order than the shape's come out in the shape's order, as zod puts them.
    const reversed = Object.fromEntries(Object.entries({ ...page(), utm: { term: 't', source: 's' } }).reverse());
    expect(agrees(reversed)).toBe(true);
    expect(Object.keys(checkedEvent(reversed)!)).toEqual(['id', 'ts', 'site', 'anonymousId', 'sessionId', 'url', 'title', 'referrer', 'utm', 'type']);
    expect(Object.keys((checkedEvent(reversed) as { utm: object }).utm)).toEqual(['source', 'term']);
  });

  it('leaves to zod every event it refuses, and the shapes it does not know', () => {
    const refused = [
      { ...page(), url: 'javascript:alert(1)' },
      { ...page(), ts: 1_700_000_000 },
      { ...page(), weight: 1000 },
      { ...page(), title: 'a\u0000b' },
      { ...page(), site: '\uD800' },
      { ...page(), tags: Array(11).fill('t') },
      { ...page(), extra: 1 },
      { ...page(), utm: { source: 'x', bogus: 'y' } },
      JSON.parse(`{"id":"${ID}","ts":${Date.UTC(2026, 0, 1)},"type":"page_view","site":"s","anonymousId":"a","sessionId":"s","url":"https://a.se/","__proto__":{"x":1}}`),
      { ...page(), url: undefined },
      [page()],
      'page',
      null,
    ];
    for (const raw of refused) {
      expect(checkedEvent(raw), JSON.stringify(raw)).toBeUndefined();
      expect(Event.safeParse(raw).success, JSON.stringify(raw)).toBe(false);
    }
    // What zod alone decides: properties, forms, identifies, objects without Object's prototype
    // (it accepts them; the check does not vouch).
    const zodsOwn = [
      Object.assign(Object.create(null), page()),
      { ...page(), type: 'custom', name: 'signup', props: { plan: 'pro' } },
      { ...page(), type: 'form_submit', formId: 'contact', fields: ['email'] },
      { ...page(), type: 'identify', source: 'form', traits: { email: 'a@b.co' } },
    ];
    for (const raw of zodsOwn) {
      expect(checkedEvent(raw)).toBeUndefined();
      expect(Event.safeParse(raw).success).toBe(true);
    }
  });

  it('never vouches for what zod refuses, on generated odd and hostile events', () => {
    let vouched = 0;
    let refusedByZod = 0;
    fc.assert(
      fc.property(mutated, (raw) => {
        if (agrees(raw)) vouched++;
        else if (!Event.safeParse(raw).success) refusedByZod++;
      }),
      { numRuns: 4000, seed: 14 },
    );
    // Both sides were exercised: the check vouched for many, and zod refused many.
    expect(vouched).toBeGreaterThan(400);
    expect(refusedByZod).toBeGreaterThan(400);
  });

  it('gives the same batch split as zod alone, refusals and their wording included', () => {
    const batch = fc.oneof(
      fc.record({ events: fc.array(fc.oneof(mutated, any), { minLength: 0, maxLength: 6 }), sentAt: fc.oneof(num, fc.constant(undefined)) }, { requiredKeys: ['events'] }),
      fc.record({ events: fc.array(mutated, { maxLength: 3 }), extra: any }),
      any,
    );
    fc.assert(
      fc.property(batch, (input) => {
        expect(splitBatch(input)).toStrictEqual(zodSplit(input));
      }),
      { numRuns: 1500, seed: 14 },
    );
    // A sparse array from a caller: the hole is an event to refuse, as zod's copy made it.
    const sparse: unknown[] = [page()];
    sparse[2] = page();
    expect(splitBatch({ events: sparse })).toStrictEqual(zodSplit({ events: sparse }));
    expect(splitBatch({ events: Array(101).fill(page()) })).toStrictEqual(zodSplit({ events: Array(101).fill(page()) }));
  });
});
