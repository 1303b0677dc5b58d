import { describe, expect, it } from 'vitest';
import { type Event, LIMITS } from '../../../shared/contracts/event.ts';
import { eventBatches } from '../../../server/demo/event-batches.ts';
import { generateDemo } from '../../../server/demo/generate-demo.ts';

// The seed sends the demo history in batches the collector accepts: at most 100 events and
// under its 64 KB body limit, in order, none lost.

const NOW = Date.UTC(2025, 5, 1, 12);
const body = (batch: Event[]) => Buffer.byteLength(JSON.stringify({ events: batch, sentAt: NOW }));

describe('eventBatches', () => {
  it('splits the demo history into full batches of 100, in order, losing nothing', () => {
    const { events } = generateDemo({ seed: 1, now: NOW });
    const batches = [...eventBatches(events)];
    expect(batches.flat()).toEqual(events);
    for (const b of batches.slice(0, -1)) expect(b.length).toBe(LIMITS.batchEvents);
    expect(batches.at(-1)!.length).toBe(events.length - (batches.length - 1) * LIMITS.batchEvents);
    for (const b of batches) expect(body(b)).toBeLessThan(LIMITS.batchBytes);
  });

  it('cuts by bytes when events are large, counting multi-byte characters as bytes', () => {
    const { events } = generateDemo({ seed: 1, now: NOW, leads: 20 });
    // Page views with the longest title the contract allows, in three-byte characters.
    const heavy = events.filter((e) => e.type === 'page_view').map((e) => ({ ...e, title: '€'.repeat(LIMITS.text) }));
    expect(heavy.length).toBeGreaterThan(LIMITS.batchEvents);
    const batches = [...eventBatches(heavy)];
    expect(batches.flat()).toEqual(heavy);
    expect(batches[0]!.length).toBeLessThan(LIMITS.batchEvents);
    for (const b of batches) expect(body(b)).toBeLessThan(LIMITS.batchBytes);
  });

  it('gives nothing for no events', () => {
    expect([...eventBatches([])]).toEqual([]);
  });
});
