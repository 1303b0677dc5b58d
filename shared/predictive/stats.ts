// Small numeric helpers shared by the encoders.

export const logit = (p: number): number => Math.log(p / (1 - p));
export const z = (v: number, s: { mean: number; std: number }): number => (v - s.mean) / s.std;

export function meanStd(values: readonly number[]): { mean: number; std: number } {
  if (values.length === 0) return { mean: 0, std: 1 };
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length;
  // A constant feature in training stays 0 everywhere rather than dividing by zero.
  return { mean, std: variance > 1e-12 ? Math.sqrt(variance) : 1 };
}

export function skewness(values: readonly number[]): number {
  const { mean, std } = meanStd(values);
  if (std === 1 && values.every((v) => v === mean)) return 0;
  return values.reduce((a, v) => a + ((v - mean) / std) ** 3, 0) / values.length;
}
