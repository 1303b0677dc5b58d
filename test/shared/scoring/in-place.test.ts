import { describe, expect, it } from 'vitest';
import { storedState, type ScoreState } from '../../../shared/contracts/score-state.ts';
import { applyEvent, applyEventInPlace, applyEvents, applyEventsInPlace, emptyState, stateFromHistory } from '../../../shared/scoring/interest.ts';
import { GOLDEN_MODELS, goldenHistories } from './golden-inputs.ts';

// The in-place fold must give exactly what the copying one gives, as the stored JSON (the
// server stores JSON.stringify of the state), over the golden inputs: every event type and rule
// feature, both models. It is fed the way the server would feed it: a state decoded from the
// stored JSON of the one before.

const histories = goldenHistories();

/** The state as ingest reads it back: its stored JSON, decoded. */
const decoded = (state: ScoreState): ScoreState => {
  const back = storedState(JSON.stringify(state));
  if (back === undefined) throw new Error('a state the engine wrote did not decode');
  return back;
};

describe('applyEventsInPlace', () => {
  it('gives the stored JSON of applyEvent after every event, one event per call', () => {
    let compared = 0;
    for (const model of GOLDEN_MODELS) {
      for (const events of histories) {
        let copying = emptyState(model);
        let inPlace = emptyState(model);
        for (const e of events) {
          copying = applyEvent(model, copying, e);
          inPlace = applyEventInPlace(model, inPlace, e);
          expect(JSON.stringify(inPlace)).toBe(JSON.stringify(copying));
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(8000);
  });

  it('gives the stored JSON of applyEvents on a decoded state, several events per call', () => {
    for (const model of GOLDEN_MODELS) {
      for (const events of histories) {
        let copying = emptyState(model);
        let stored = JSON.stringify(emptyState(model));
        for (let from = 0; from < events.length; from += 4) {
          const chunk = events.slice(from, from + 4);
          copying = applyEvents(model, copying, chunk);
          const next = applyEventsInPlace(model, decoded(JSON.parse(stored) as ScoreState), chunk);
          stored = JSON.stringify(next);
          expect(stored).toBe(JSON.stringify(copying));
        }
        expect(stored).toBe(JSON.stringify(stateFromHistory(model, events)));
      }
    }
  });

  it('changes and returns the given state, and leaves states it did not get alone', () => {
    const model = GOLDEN_MODELS[1]!;
    const events = histories.find((h) => h.length > 20)!;
    const before = stateFromHistory(model, events.slice(0, 10));
    const snapshot = JSON.stringify(before);
    const mine = decoded(before);
    const after = applyEventsInPlace(model, mine, events.slice(10));
    expect(after).toBe(mine);
    expect(after.lastId).toBe(events.at(-1)!.id);
    expect(JSON.stringify(before)).toBe(snapshot);
    expect(after).toEqual(stateFromHistory(model, events));
  });
});
