import type { z } from 'zod';
import {
  ClickEvent,
  CustomEvent,
  DownloadEvent,
  ENGAGED_MS_MAX,
  EngagementEvent,
  LIMITS,
  PageViewEvent,
  storable,
  TS_MAX,
  TS_MIN,
  URL_RE,
  Utm,
  UUID_RE,
  type Event,
} from './event.ts';

// A quicker way to the same answer as `Event.safeParse` for the events browsers send by the
// thousand (page views, engagement, clicks, downloads, custom events without properties).
// Under the ingest load zod's machinery was about a seventh of the server's CPU, most of it
// for page views that pass. This check only ever says "this is exactly what zod would give"
// or "ask zod": it never refuses, so every refusal and its wording still come from the
// contract itself. What it vouches for it builds as zod does: a new object with the shape's
// keys in the shape's order (the stored body is that object's JSON), nested objects and
// arrays copied. Any doubt (another type, `props`, a key the shape does not know, an
// `undefined`, an object that is not plain) goes to zod. test/shared/contracts/event-check.test.ts
// holds it to zod's answers, on real SDK payloads and on generated hostile ones.

/** What a field check returns when it cannot vouch for the value. */
const ASK_ZOD: unique symbol = Symbol('ask zod');
type Check = (v: unknown) => unknown;

const text =
  (min: number, max: number): Check =>
  (v) =>
    typeof v === 'string' && v.length >= min && v.length <= max && storable(v) ? v : ASK_ZOD;
const uuid: Check = (v) => (typeof v === 'string' && UUID_RE.test(v) ? v : ASK_ZOD);
const httpUrl: Check = (v) => (typeof v === 'string' && v.length <= LIMITS.url && URL_RE.test(v) && storable(v) ? v : ASK_ZOD);
const key = text(1, LIMITS.key);
const plainText = text(0, LIMITS.text);

function isPlain(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

const UTM_KEYS = Object.keys(Utm.shape);
const utm: Check = (v) => {
  if (!isPlain(v)) return ASK_ZOD;
  for (const k in v) if (!UTM_KEYS.includes(k)) return ASK_ZOD;
  const out: Record<string, unknown> = {};
  for (const k of UTM_KEYS) {
    const x = v[k];
    if (x === undefined) {
      if (k in v) return ASK_ZOD;
      continue;
    }
    if (plainText(x) === ASK_ZOD) return ASK_ZOD;
    out[k] = x;
  }
  return out;
};

const tag = text(1, LIMITS.tag);
const tags: Check = (v) => {
  if (!Array.isArray(v) || v.length > LIMITS.tags) return ASK_ZOD;
  const out = new Array<unknown>(v.length);
  for (let i = 0; i < v.length; i++) {
    if (tag(v[i]) === ASK_ZOD) return ASK_ZOD;
    out[i] = v[i];
  }
  return out;
};

/** The base fields every event type shares (event.ts `base`); `props` is left to zod. */
const BASE: Record<string, Check> = {
  id: uuid,
  ts: (v) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= TS_MIN && v <= TS_MAX ? v : ASK_ZOD),
  site: key,
  anonymousId: key,
  sessionId: key,
  url: httpUrl,
  title: plainText,
  referrer: (v) => (v === '' ? v : httpUrl(v)),
  utm,
  weight: (v) => (typeof v === 'number' && v >= -LIMITS.weight && v <= LIMITS.weight ? v : ASK_ZOD),
  tags,
};

type Shape = { keys: string[]; required: Set<string>; checks: Map<string, Check> };

/**
 * One type's shape: its keys in zod's order, which of them are required (from the schema
 * itself), and a check for each. A key with no check here (`props`) sends the event to zod.
 */
function shape(schema: z.ZodObject, type: string, own: Record<string, Check>): [string, Shape] {
  const checks = new Map<string, Check>();
  const required = new Set<string>();
  const keys = Object.keys(schema.shape);
  for (const k of keys) {
    const check = k === 'type' ? (v: unknown) => (v === type ? v : ASK_ZOD) : (own[k] ?? BASE[k]);
    if (check) checks.set(k, check);
    if (!(schema.shape[k] as z.ZodType).safeParse(undefined).success) required.add(k);
  }
  return [type, { keys, required, checks }];
}

const SHAPES = new Map<unknown, Shape>([
  shape(PageViewEvent, 'page_view', {}),
  shape(EngagementEvent, 'engagement', { pageViewId: uuid, engagedMs: (v) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= ENGAGED_MS_MAX ? v : ASK_ZOD) }),
  shape(DownloadEvent, 'download', { fileUrl: httpUrl, linkText: plainText }),
  shape(ClickEvent, 'click', { selector: text(1, LIMITS.text), text: plainText }),
  shape(CustomEvent, 'custom', { name: text(1, LIMITS.propKey) }),
]);

/** The event types this check can vouch for (the rest always go to zod). */
export const CHECKED_TYPES: readonly string[] = [...SHAPES.keys()] as string[];

/**
 * `raw` as `Event.safeParse` would output it, when this check can vouch that zod accepts it;
 * undefined when zod must decide (which includes every event zod refuses).
 */
export function checkedEvent(raw: unknown): Event | undefined {
  if (!isPlain(raw)) return undefined;
  const s = SHAPES.get(raw.type);
  if (!s) return undefined;
  // Strict objects: a key the shape does not know (an own `__proto__` included) is zod's to name.
  for (const k in raw) if (!s.checks.has(k)) return undefined;
  const out: Record<string, unknown> = {};
  for (const k of s.keys) {
    const v = raw[k];
    if (v === undefined) {
      if (s.required.has(k) || k in raw) return undefined;
      continue;
    }
    const check = s.checks.get(k);
    if (!check) return undefined;
    const value = check(v);
    if (value === ASK_ZOD) return undefined;
    out[k] = value;
  }
  return out as Event;
}
