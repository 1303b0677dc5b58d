import type { TrackRequest } from '../../shared/contracts/admin.ts';
import type { Event } from '../../shared/contracts/event.ts';
import { uuidv7 } from '../../shared/ids.ts';
import { type DemoRandom, demoRandom } from './demo-random.ts';
import type { DemoSettings } from './demo-options.ts';

// One run of the demo generator: its settings, its random stream, its time window and the
// two lists every part adds to (browser events, offline facts for POST /v1/track).

export const DAY = 86_400_000;
export const MIN = 60_000;

export type Generation = {
  settings: DemoSettings;
  r: DemoRandom;
  /** The first moment of the history. */
  start: number;
  /** The last moment anything happens: a few minutes before `now`, so nothing is in the future. */
  latest: number;
  events: Event[];
  track: TrackRequest[];
  /** An event id for this time, its random bits drawn from the stream (ids are deterministic). */
  id(ts: number): string;
  /** A time kept inside [start, latest], in whole milliseconds. */
  clamp(t: number): number;
};

export function startGeneration(settings: DemoSettings): Generation {
  const r = demoRandom(settings.seed);
  const start = settings.now - settings.days * DAY;
  const latest = settings.now - 5 * MIN;
  return {
    settings,
    r,
    start,
    latest,
    events: [],
    track: [],
    id: (ts) => uuidv7(ts, (b) => r.bytes(b)),
    clamp: (t) => Math.max(start, Math.min(latest, Math.round(t))),
  };
}
