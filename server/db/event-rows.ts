import { sql, type Kysely } from 'kysely';
import { Event, type EventType } from '../../shared/contracts/event.ts';
import { checkedEvent } from '../../shared/contracts/event-check.ts';
import type { DB } from './schema.ts';
import { StoredRowError, type Decoded } from './stored-json.ts';

// How an event is stored, and how a lead's events are found.
//
// The body holds only what the columns do not: `id`, `site`, `anonymousId`, `type` and `ts`
// live in their columns and are put back on read (198 -> about 80 bytes per page view).
// Rows written before migration 0010 carry those fields in the body too; they read the same,
// because the columns are laid over the body and hold the same values. Either way the result
// is decoded through the `Event` contract, never cast.
//
// Who an event belongs to: `lead_id` is NULL for almost every event, and the lead is found
// through `identities` (site, anonymous id -> lead), so an identify never rewrites the
// visitor's events. `lead_id` is set only where the identities table cannot say it:
// events stored straight on a lead (offline touchpoints, email opens and clicks) and, on a
// relink (a shared computer: the anonymous id now identifies someone else), the earlier
// owner's events, pinned to that owner before the identity moves.

export type StoredEvent = { id: string; site: string; anonymous_id: string; ts: number; type: string; body: string };

/** The body to store: the event without the fields its columns hold. */
export function encodeBody(e: Event): string {
  // A rest pattern, not a copy with `delete`: deleting keys turns the copy into a slow
  // dictionary object for JSON.stringify (a fifth of the bench seeder's time). Same keys, same order.
  const { id: _id, site: _site, anonymousId: _anon, type: _type, ts: _ts, ...rest } = e;
  return JSON.stringify(rest);
}

/** The event a row stores, decoded through the contract, or why not (naming the row). */
export function tryDecodeEvent(row: StoredEvent): Decoded<Event> {
  const place = { table: 'events', column: 'body', row: row.id };
  let body: unknown;
  try {
    body = JSON.parse(row.body);
  } catch (error) {
    return { ok: false, error: new StoredRowError(place, `not JSON (${error instanceof Error ? error.message : String(error)})`) };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, error: new StoredRowError(place, 'not an object') };
  // The columns written onto the freshly parsed body rather than spread into a copy: the same
  // input for the contract, a quarter less CPU per event (3.5 against 4.5 µs), which every lead
  // lookup pays 50 times over and a rescoring millions of times.
  const fields = body as Record<string, unknown>;
  fields.id = row.id;
  fields.site = row.site;
  fields.anonymousId = row.anonymous_id;
  fields.type = row.type;
  fields.ts = Number(row.ts);
  // The quick check gives zod's own output for the common shapes; zod decides the rest.
  const checked = checkedEvent(fields);
  if (checked) return { ok: true, value: checked };
  const parsed = Event.safeParse(fields);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, error: new StoredRowError(place, parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(the event)'}: ${i.message}`).join('; ')) };
}

/**
 * The event a row stores, decoded through the contract; undefined for a row the contract no
 * longer accepts. Readers that replay or show a history leave such a row out (one event an
 * older release stored differently must not stop a lead's score or timeline); the export,
 * which must carry everything, uses `tryDecodeEvent` and says why instead.
 */
export function decodeEvent(row: StoredEvent): Event | undefined {
  const decoded = tryDecodeEvent(row);
  return decoded.ok ? decoded.value : undefined;
}

/**
 * Only the `url` of a stored body, for scans over many thousands of rows (known pages) that
 * need nothing else: a full decode of a page view costs 3.9 µs against 0.9 µs for the JSON.parse
 * (`npx tsx test/bench/stored-decode.ts`). A body that is not
 * JSON, or has no string `url`, gives undefined and the scan skips the row; the URL itself is
 * still to be checked by the caller (`new URL`).
 */
export function storedUrl(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const url = typeof parsed === 'object' && parsed !== null ? (parsed as { url?: unknown }).url : undefined;
  return typeof url === 'string' ? url : undefined;
}

/** The events of rows, in order, leaving out rows the contract refuses. */
export function decodeEvents(rows: readonly StoredEvent[]): Event[] {
  const out: Event[] = [];
  for (const r of rows) {
    const e = decodeEvent(r);
    if (e) out.push(e);
  }
  return out;
}

/**
 * The event as JSON text, without parsing the body: for the paths that hand unparsed text to
 * a worker thread (reports, training), which decode it there. Columns first; an old row's
 * body repeats them with the same values.
 */
export function eventJson(row: StoredEvent): string {
  const head = `{"id":${JSON.stringify(row.id)},"site":${JSON.stringify(row.site)},"anonymousId":${JSON.stringify(row.anonymous_id)},"type":${JSON.stringify(row.type)},"ts":${Number(row.ts)}`;
  const inner = row.body.trim().slice(1, -1).trim();
  return inner ? `${head},${inner}}` : `${head}}`;
}

export type LeadEventFilter = {
  /** Only events at or before this time. */
  upTo?: number;
  /** Only events of these types. */
  types?: readonly EventType[];
  /** Only events before this (ts, id): the timeline's cursor. */
  before?: { ts: number; id: string };
};

export type LeadEventRow = StoredEvent & { lead_id: string };

/**
 * The events of `leadIds`: those pinned to a lead, and those of the lead's anonymous ids that
 * are not pinned to anyone (a UNION ALL; both halves use an index: `events_pinned`, and
 * `identities_lead` then `events_anon`). Order it with `orderBy` on the result.
 */
export function leadEvents(db: Kysely<DB>, leadIds: readonly string[], filter: LeadEventFilter = {}) {
  const ids = [...leadIds];
  const pinned = db
    .selectFrom('events')
    .select(['id', 'site', 'anonymous_id', 'ts', 'type', 'body', sql<string>`lead_id`.as('lead_id')])
    .where('lead_id', 'in', ids)
    .$call((q) => (filter.upTo !== undefined ? q.where('ts', '<=', filter.upTo) : q))
    .$call((q) => (filter.types?.length ? q.where('type', 'in', [...filter.types]) : q))
    .$call((q) => {
      const b = filter.before;
      return b ? q.where((eb) => eb.or([eb('ts', '<', b.ts), eb.and([eb('ts', '=', b.ts), eb('id', '<', b.id)])])) : q;
    });
  const joined = db
    .selectFrom('identities as i')
    .innerJoin('events as e', (j) => j.onRef('e.site', '=', 'i.site').onRef('e.anonymous_id', '=', 'i.anonymous_id'))
    .select(['e.id as id', 'e.site as site', 'e.anonymous_id as anonymous_id', 'e.ts as ts', 'e.type as type', 'e.body as body', 'i.lead_id as lead_id'])
    .where('i.lead_id', 'in', ids)
    .where('e.lead_id', 'is', null)
    .$call((q) => (filter.upTo !== undefined ? q.where('e.ts', '<=', filter.upTo) : q))
    .$call((q) => (filter.types?.length ? q.where('e.type', 'in', [...filter.types]) : q))
    .$call((q) => {
      const b = filter.before;
      return b ? q.where((eb) => eb.or([eb('e.ts', '<', b.ts), eb.and([eb('e.ts', '=', b.ts), eb('e.id', '<', b.id)])])) : q;
    });
  return db.selectFrom(pinned.unionAll(joined).as('x')).selectAll();
}

/** Who each event belongs to: its pinned lead, else its anonymous id's lead, else nobody (for tests and exports). */
export function eventOwners(db: Kysely<DB>) {
  return db
    .selectFrom('events as e')
    .leftJoin('identities as i', (j) => j.onRef('i.site', '=', 'e.site').onRef('i.anonymous_id', '=', 'e.anonymous_id'))
    .select(['e.id as id', 'e.site as site', 'e.anonymous_id as anonymous_id', 'e.type as type', 'e.ts as ts', sql<string | null>`coalesce(e.lead_id, i.lead_id)`.as('lead_id')]);
}

/**
 * Which of `ids` are stored already, in any month. On PostgreSQL the key is (id, ts)
 * (migration 0010), so an id sent again with another `ts` (an email open counted once a
 * minute, a client that re-stamps) would not conflict; writers look the ids up first.
 */
export async function storedIds(db: Kysely<DB>, ids: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    for (const r of await db.selectFrom('events').select('id').where('id', 'in', chunk).execute()) out.add(r.id);
  }
  return out;
}
