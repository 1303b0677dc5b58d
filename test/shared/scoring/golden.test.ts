import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Event } from '../../../shared/contracts/event.ts';
import type { Model } from '../../../shared/contracts/model.ts';
import { applyEvent, applyEvents, emptyState, OpenFold, stateFromHistory } from '../../../shared/scoring/interest.ts';
import { interestSeries, readScore } from '../../../shared/scoring/score.ts';
import { GOLDEN_MODELS, GOLDEN_READ_TIMES, goldenHistories } from './golden-inputs.ts';

// The engine's golden hash: every state and score the engine gives for fixed inputs, as the
// JSON the server stores, hashed. The figures were recorded from the engine before its fast
// path was written (commit bbc1581); a change to either hash means the engine's output changed
// (or, for the first, its inputs did), which a speed-up must never do.
const INPUT_HASH = '70dfe451effa075f56746922c7e447f3e84d37d1c923de70b482336c0c49f27f';
const OUTPUT_HASH = '0852023a3533503559ac87228988b674c6aa2a6ac0bc650fb852d417051a2563';

const facts = { profile: { email: 'jane@acme-robotics.com', name: 'Jane', jobTitle: 'Head of IT', company: { domain: 'acme-robotics.com', size: 300 } } };

/** Everything the engine says about one history under one model, as JSON lines. */
function outputs(model: Model, events: readonly Event[]): string[] {
  const lines: string[] = [];
  // One event per call, as ingest does it.
  let state = emptyState(model);
  for (const e of events) {
    state = applyEvent(model, state, e);
    lines.push(JSON.stringify(state));
  }
  // The batch fold, from shuffled input (stateFromHistory sorts).
  lines.push(JSON.stringify(stateFromHistory(model, [...events].reverse())));
  // In three chunks, as ingest does with a request's events for one lead.
  const a = Math.floor(events.length / 3);
  const b = Math.floor((2 * events.length) / 3);
  let chunked = emptyState(model);
  for (const [from, to] of [[0, a], [a, b], [b, events.length]] as const) chunked = applyEvents(model, chunked, events.slice(from, to));
  lines.push(JSON.stringify(chunked));
  // An open fold, read after each event (the replay's way).
  const open = new OpenFold(model);
  for (let i = 0; i < events.length; i++) {
    open.apply(events, i, i + 1);
    lines.push(`${open.interestAt(events[i]!.ts)} ${JSON.stringify(open.handRaise() ?? null)}`);
    if (i % 7 === 3) lines.push(JSON.stringify(open.snapshot()));
  }
  lines.push(JSON.stringify(open.finish()));
  for (const at of GOLDEN_READ_TIMES) lines.push(JSON.stringify(readScore(model, facts, state, at)));
  lines.push(JSON.stringify(interestSeries(model, events, GOLDEN_READ_TIMES)));
  return lines;
}

const sha256 = (lines: Iterable<string>): string => {
  const hash = createHash('sha256');
  for (const line of lines) hash.update(`${line}\n`);
  return hash.digest('hex');
};

describe('golden hash', () => {
  const histories = goldenHistories();

  it('the inputs are the recorded ones', () => {
    expect(histories.reduce((n, h) => n + h.length, 0)).toBeGreaterThan(4000);
    expect(sha256(histories.map((h) => JSON.stringify(h)))).toBe(INPUT_HASH);
  });

  it('every state and score is the recorded one, byte for byte', () => {
    const all: string[] = [];
    for (const model of GOLDEN_MODELS) {
      for (const events of histories) {
        const lines = outputs(model, events);
        // Incremental, batch, chunked and open folds agree with each other byte for byte.
        if (events.length > 0) {
          const last = lines[events.length - 1]!;
          expect(lines[events.length]).toBe(last);
          expect(lines[events.length + 1]).toBe(last);
        }
        all.push(...lines);
      }
    }
    expect(sha256(all)).toBe(OUTPUT_HASH);
  });
});
