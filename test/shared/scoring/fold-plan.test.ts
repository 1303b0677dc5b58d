import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Event } from '../../../shared/contracts/event.ts';
import type { Model } from '../../../shared/contracts/model.ts';
import { seededRandom } from '../../../shared/random.ts';
import { compileEventMatch, compileModel, type EventPredicate } from '../../../shared/scoring/compile.ts';
import { evidenceOf } from '../../../shared/scoring/evidence.ts';
import { EventView, readEvent, viewMatches } from '../../../shared/scoring/fold-plan.ts';
import { pathOf } from '../../../shared/scoring/glob.ts';
import { GOLDEN_MODELS, goldenHistories, randomEvent } from './golden-inputs.ts';

// The fold tests a rule against a fixed-shape view of the event (one byte among the URL facts
// for all of its URL conditions, one among the file facts, a weight flag, a predicate for the
// rest). It must decide exactly what the rule's plain matcher decides on the event itself, and
// the evidence kept per URL must be what evidenceOf gives.

/** Each model's plain matchers, compiled once (compiling runs RE2's compiler). */
const plainMatchers = new Map<Model, Map<string, EventPredicate>>();
function plainOf(model: Model): Map<string, EventPredicate> {
  let m = plainMatchers.get(model);
  if (!m) {
    const c = compileModel(model);
    m = new Map([
      ...c.interest.map(({ rule }): [string, EventPredicate] => [rule.id, compileEventMatch(rule.when, c.overrides)]),
      ...model.handRaise.map((h): [string, EventPredicate] => [`hand-raise ${h.id}`, compileEventMatch(h.when, c.overrides)]),
    ]);
    plainMatchers.set(model, m);
  }
  return m;
}

/** For each rule and hand-raise of `model`: what the fold decides and what the plain matcher decides on `e`. */
function decisions(model: Model, e: Event): { id: string; fold: boolean; plain: boolean }[] {
  const c = compileModel(model);
  const plain = plainOf(model);
  const plan = c.fold[e.type];
  const v = new EventView();
  readEvent(v, e, plan, c.urlFacts, c.fileFacts);
  const path = e.url === undefined ? '' : pathOf(e.url).toLowerCase();
  const inPlan = new Set<string>([...plan.rules.map((r) => r.id), ...plan.handRaise.map((h) => h.id)]);
  const out: { id: string; fold: boolean; plain: boolean }[] = [];
  for (const { rule } of c.interest) {
    const folded = plan.rules.find((r) => r.id === rule.id);
    out.push({ id: rule.id, fold: folded !== undefined && viewMatches(folded, v), plain: plain.get(rule.id)!(e, path) });
  }
  for (const h of model.handRaise) {
    const folded = plan.handRaise.find((r) => r.id === h.id);
    out.push({ id: `hand-raise ${h.id}`, fold: folded !== undefined && viewMatches(folded, v), plain: plain.get(`hand-raise ${h.id}`)!(e, path) });
  }
  // A rule left out of a type's plan must never match an event of that type.
  for (const d of out) if (d.plain && !inPlan.has(d.id.replace(/^hand-raise /, ''))) throw new Error(`${d.id} matches a ${e.type} but is not in its plan`);
  return out;
}

describe('the fold plan', () => {
  const events = goldenHistories(120, 40, 7).flat();

  it('decides every rule and hand-raise as its plain matcher does, over the golden inputs', () => {
    let matched = 0;
    const differ: string[] = [];
    for (const model of GOLDEN_MODELS) {
      for (const e of events) {
        for (const d of decisions(model, e)) {
          if (d.fold !== d.plain) differ.push(`${model.id} ${d.id} on ${JSON.stringify(e)}: fold ${d.fold}, plain ${d.plain}`);
          if (d.fold) matched++;
        }
      }
    }
    expect(differ).toEqual([]);
    // The inputs reach the rules: a plan that matched nothing would agree trivially.
    expect(matched).toBeGreaterThan(events.length / 2);
  });

  it('decides as the plain matcher does for random events', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 60 * 86_400_000 }), (seed, dt) => {
        const e = randomEvent(seededRandom(seed), Date.UTC(2026, 2, 2) + dt, seed % 1000, seed % 4096);
        for (const model of GOLDEN_MODELS) for (const d of decisions(model, e)) expect(d.fold).toBe(d.plain);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps the evidence evidenceOf gives, for each page view and download, titled or not', () => {
    const c = compileModel(GOLDEN_MODELS[1]!);
    let checked = 0;
    for (const e of events) {
      if (e.type !== 'page_view' && e.type !== 'download') continue;
      const v = new EventView();
      readEvent(v, e, c.fold[e.type], c.urlFacts, c.fileFacts);
      const kept = e.type === 'page_view' ? v.entry!.visited(e.title) : v.fileEntry!.download();
      expect(kept).toEqual(evidenceOf(e));
      expect(Object.isFrozen(kept)).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThan(200);
  });
});
