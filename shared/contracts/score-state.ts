import { z } from 'zod';
import { Evidence, RuleLabel } from './lead.ts';

/**
 * What the engine keeps per lead and model between events, so that an event costs O(1)
 * and a read costs O(1) for the score (O(rules) for its reasons), whatever the history.
 * Stored by the server as JSON; `v` lets a later engine recognise old states and rebuild them.
 */
export const STATE_VERSION = 2;

export const RuleState = z.object({
  /** This rule's contribution at reference time `at` (ms); decays from there unless `steady`. */
  s: z.number(),
  at: z.number(),
  steady: z.boolean(),
  /** Events that matched, and those that were awarded points (repeat policy and cap allowing). */
  matches: z.number().int(),
  awards: z.number().int(),
  lastAwardAt: z.number(),
  /** What the last awarded event was; null until one is. */
  evidence: Evidence.nullable(),
});
export type RuleState = z.infer<typeof RuleState>;

export const ScoreState = z.object({
  /** 2: evidence as data (version 1 kept English text; such states are rebuilt from history). */
  v: z.literal(STATE_VERSION),
  modelId: z.string(),
  modelVersion: z.number().int(),
  /** The last event applied, by (ts, id): events must come in this order; older ones need a rebuild. */
  lastTs: z.number(),
  lastId: z.string(),
  /** Sum of decaying contributions at reference time `decayingAt`, and of steady ones. */
  decaying: z.number(),
  decayingAt: z.number(),
  steady: z.number(),
  rules: z.record(z.string(), RuleState),
  /** onlyVisited rules: true while every page view so far matched (the penalty applies). */
  only: z.record(z.string(), z.boolean()),
  handRaise: z.object({ at: z.number(), rule: z.string(), label: RuleLabel, evidence: Evidence }).optional(),
});
export type ScoreState = z.infer<typeof ScoreState>;

/**
 * A stored state of this engine's version, or undefined for one the caller must rebuild from
 * the lead's history: an older version (`v` below STATE_VERSION), text that is not JSON, or a
 * value whose top level does not have the state's shape. It is a structural check, not a zod
 * parse: states are written by this engine alone, and for a 1.3 KB state the full parse costs
 * 14.4 µs against 7.8 µs for JSON.parse with this check (7.7 for JSON.parse alone; CPU, median
 * of 5 rounds of 10k decodes: `npx tsx test/bench/stored-decode.ts`), on every lead read and
 * every scored event. What it checks is what a reader needs to be safe
 * to fold into: the version, the model, the numbers the score is summed from, and that
 * `rules` and `only` are objects. A rule's own fields are trusted to the version.
 */
export function storedState(json: string): ScoreState | undefined {
  let state: unknown;
  try {
    state = JSON.parse(json);
  } catch {
    return undefined;
  }
  return isCurrentState(state) ? state : undefined;
}

function isCurrentState(s: unknown): s is ScoreState {
  if (typeof s !== 'object' || s === null) return false;
  const o = s as Record<string, unknown>;
  return (
    o.v === STATE_VERSION &&
    typeof o.modelId === 'string' &&
    Number.isInteger(o.modelVersion) &&
    Number.isFinite(o.lastTs) &&
    typeof o.lastId === 'string' &&
    Number.isFinite(o.decaying) &&
    Number.isFinite(o.decayingAt) &&
    Number.isFinite(o.steady) &&
    isRecord(o.rules) &&
    isRecord(o.only)
  );
}

function isRecord(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
