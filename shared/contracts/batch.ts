import { z } from 'zod';
import { Event, LIMITS } from './event.ts';
import { checkedEvent } from './event-check.ts';
import { formatIssues } from '../errors.ts';

// The envelope is checked loosely so that one bad event never costs the good ones beside it.
export const BatchEnvelope = z.strictObject({
  events: z
    .array(z.unknown())
    .min(1, { error: 'expected at least one event' })
    .max(LIMITS.batchEvents, { error: `expected at most ${LIMITS.batchEvents} events` }),
  sentAt: z.number().int().optional(),
});

export const Batch = z.strictObject({
  events: z.array(Event).min(1).max(LIMITS.batchEvents),
  sentAt: z.number().int().optional(),
});
export type Batch = z.infer<typeof Batch>;

export const RejectedEvent = z.object({
  index: z.number().int(),
  id: z.string().optional(),
  errors: z.array(z.string()),
});
export type RejectedEvent = z.infer<typeof RejectedEvent>;

/** The answer to `POST /v1/events`. */
export const BatchResult = z.object({
  accepted: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.array(RejectedEvent),
});
export type BatchResult = z.infer<typeof BatchResult>;

export type SplitBatch =
  /** `raw`: the envelope's events as sent, by index (the server reads their `site` before checking the key). */
  | { ok: true; events: Event[]; rejected: RejectedEvent[]; raw: readonly unknown[] }
  | { ok: false; errors: string[] };

/**
 * The envelope's events when it plainly passes (the common case, without zod's machinery):
 * a plain object of `events` (1 to 100) and an optional integer `sentAt`, nothing else.
 * Undefined sends it to `BatchEnvelope`, which also words every refusal.
 */
function plainEnvelope(input: unknown): readonly unknown[] | undefined {
  if (typeof input !== 'object' || input === null || Object.getPrototypeOf(input) !== Object.prototype) return undefined;
  const o = input as Record<string, unknown>;
  for (const k in o) if (k !== 'events' && k !== 'sentAt') return undefined;
  const { events, sentAt } = o;
  if (!Array.isArray(events) || events.length < 1 || events.length > LIMITS.batchEvents) return undefined;
  if (sentAt === undefined ? 'sentAt' in o : !Number.isSafeInteger(sentAt)) return undefined;
  // A copy, as zod's is: a hole in a caller's sparse array becomes an undefined event to refuse.
  const copy = new Array<unknown>(events.length);
  for (let i = 0; i < events.length; i++) copy[i] = events[i];
  return copy;
}

/** Validates a batch event by event: good events are kept, each bad one is named with its paths. */
export function splitBatch(input: unknown): SplitBatch {
  let sent = plainEnvelope(input);
  if (!sent) {
    const envelope = BatchEnvelope.safeParse(input);
    if (!envelope.success) return { ok: false, errors: formatIssues(envelope.error.issues) };
    sent = envelope.data.events;
  }
  const events: Event[] = [];
  const rejected: RejectedEvent[] = [];
  sent.forEach((raw, index) => {
    // The quick check vouches for the common shapes; zod decides (and words) everything else.
    const checked = checkedEvent(raw);
    if (checked) {
      events.push(checked);
      return;
    }
    const parsed = Event.safeParse(raw);
    if (parsed.success) events.push(parsed.data);
    else {
      const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
      rejected.push({
        index,
        ...(typeof id === 'string' && id.length <= 64 ? { id } : {}),
        errors: formatIssues(parsed.error.issues, ['events', index]),
      });
    }
  });
  return { ok: true, events, rejected, raw: sent };
}
