// The kinds of lead in the demo, each with its own story (lead-journeys.ts), and how common
// each is. Job seekers and students are there so the starter model has someone to score down.

export type Archetype = 'browser' | 'evaluator' | 'hand-raiser' | 'customer' | 'lost' | 'dormant' | 'job-seeker' | 'student';

export const ARCHETYPES: readonly (readonly [Archetype, number])[] = [
  ['browser', 27], ['evaluator', 24], ['hand-raiser', 13], ['customer', 9], ['lost', 7], ['dormant', 6], ['job-seeker', 8], ['student', 6],
];

/** The archetypes whose deal closes, won or lost. */
export const closesDeal = (a: Archetype): a is 'customer' | 'lost' => a === 'customer' || a === 'lost';
