import { seededRandom } from '../../shared/random.ts';

// The demo's only source of chance. Every draw comes from one seeded stream, so the order in
// which the generator's parts draw is part of what the demo is: moving a draw changes every
// lead after it (test/server/demo/generate-demo.test.ts fingerprints the result).

export type DemoRandom = {
  next: () => number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  bytes(b: Uint8Array): Uint8Array;
  hex(n: number): string;
};

export function demoRandom(seed: number): DemoRandom {
  const next = seededRandom(seed);
  return {
    next,
    /** Inclusive at both ends. */
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    chance: (p) => next() < p,
    weighted(items) {
      let total = 0;
      for (const [, w] of items) total += w;
      let x = next() * total;
      for (const [v, w] of items) if ((x -= w) < 0) return v;
      return items[items.length - 1]![0];
    },
    bytes(b) {
      for (let i = 0; i < b.length; i++) b[i] = Math.floor(next() * 256);
      return b;
    },
    hex: (n) => Array.from({ length: n }, () => Math.floor(next() * 16).toString(16)).join(''),
  };
}
