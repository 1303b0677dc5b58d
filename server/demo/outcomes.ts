import { DAY, type Generation } from './generation.ts';

// The offline facts sales would report through POST /v1/track: a deal won or lost after a
// hand-raise, and a webinar or trade-fair meeting during an evaluation.

/** Won or lost 10 to 40 days after the hand-raise (never after the history ends); returns when. */
export function dealOutcome(g: Generation, email: string, result: 'won' | 'lost', raisedAt: number): number {
  const at = Math.min(g.latest, raisedAt + g.r.int(10, 40) * DAY);
  g.track.push({ email, outcome: { result, at, ...(result === 'won' ? { value: g.r.int(6, 90) * 1000 } : {}) } });
  return at;
}

/** A webinar (mostly) or a trade-fair booth visit within 20 days of the lead's first visit. */
export function offlineTouchpoint(g: Generation, email: string, from: number): void {
  const { r, clamp } = g;
  g.track.push({ email, touchpoint: { kind: r.chance(0.7) ? 'webinar' : 'trade_fair', at: clamp(from + r.int(1, 20) * DAY), title: r.chance(0.5) ? 'Forecasting with account health' : 'SaaStr Europa booth' } });
}
