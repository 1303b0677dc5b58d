// Axis helpers for the hand-written SVG charts.

/** A round axis top at or above `max` (1, 2, 2.5 or 5 times a power of ten). */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}

export const linear = (d0: number, d1: number, r0: number, r1: number) => (v: number) => r0 + ((v - d0) / (d1 - d0 || 1)) * (r1 - r0);

/** Rounded for SVG attributes: shorter markup, stable snapshots. */
export const px = (v: number) => Math.round(v * 10) / 10;

/** Show at most `max` tick labels, evenly spaced. */
export const every = (n: number, max: number) => Math.max(1, Math.ceil(n / max));
