import { z } from 'zod';
import { Event, LIMITS } from './event.ts';
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

/** Validates a batch event by event: good events are kept, each bad one is named with its paths. */
export function splitBatch(input: unknown): SplitBatch {
  const envelope = BatchEnvelope.safeParse(input);
  if (!envelope.success) return { ok: false, errors: formatIssues(envelope.error.issues) };
  const events: Event[] = [];
  const rejected: RejectedEvent[] = [];
  envelope.data.events.forEach((raw, index) => {
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
  return { ok: true, events, rejected, raw: envelope.data.events };
}
