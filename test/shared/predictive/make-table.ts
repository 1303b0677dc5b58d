import { seededRandom } from '../../../shared/random.ts';
import type { Row } from '../../../shared/predictive/table.ts';

/** A seeded synthetic table: label from a known logistic model on `x` and `origin`, plus noise columns. */
export function syntheticTable(n: number, seed: number): { rows: Row[]; labels: (0 | 1)[] } {
  const random = seededRandom(seed);
  const origins = ['ads', 'search', 'email', 'social'];
  const effect: Record<string, number> = { ads: -1, search: 1, email: 0, social: 0 };
  const rows: Row[] = [];
  const labels: (0 | 1)[] = [];
  for (let i = 0; i < n; i++) {
    const x = random() * 4 - 2;
    const origin = origins[Math.floor(random() * origins.length)]!;
    const t = -0.5 + 1.5 * x + effect[origin]!;
    labels.push(random() < 1 / (1 + Math.exp(-t)) ? 1 : 0);
    rows.push({ x: x.toFixed(4), origin, noise: String(Math.floor(random() * 1000) / 10) });
  }
  return { rows, labels };
}
