import { describe, expect, it } from 'vitest';
import { encodeRows, fitFeatures } from '../../../shared/predictive/encode.ts';
import { seededRandom } from '../../../shared/random.ts';
import { detectColumns, type Row } from '../../../shared/predictive/table.ts';

const correlation = (a: readonly number[], b: readonly number[]): number => {
  const ma = a.reduce((s, v) => s + v, 0) / a.length;
  const mb = b.reduce((s, v) => s + v, 0) / b.length;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  a.forEach((v, i) => {
    sab += (v - ma) * (b[i]! - mb);
    saa += (v - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  });
  return sab / Math.sqrt(saa * sbb);
};

describe('encoders', () => {
  it('are fitted on the training rows only: rows evaluated later change nothing', () => {
    const train: Row[] = Array.from({ length: 10 }, (_, i) => ({ amount: String(i), plan: i % 2 ? 'pro' : 'free' }));
    const labels = train.map((_, i) => (i % 2) as 0 | 1);
    const columns = detectColumns(train);
    const f = fitFeatures(columns, train, labels);
    const numeric = f.encoders.find((e) => e.type === 'numeric')!;
    expect(numeric).toMatchObject({ mean: 4.5 });
    const [outlier, unseen] = encodeRows(f, [{ amount: '1000', plan: 'enterprise' }, { amount: 'NA', plan: '' }]);
    expect(outlier![0]).toBeGreaterThan(100); // standardised with the training mean and spread
    // An unseen level is "other" only when training had rare levels; here it lights nothing.
    expect(f.names).toEqual(['amount', 'plan = free', 'plan = pro']);
    expect(Array.from(outlier!.slice(1))).toEqual([0, 0]);
    expect(unseen![0]).toBe(0); // mean imputation
  });

  it('encode missing numbers as the training mean plus an indicator', () => {
    const rows: Row[] = [{ n: '2' }, { n: 'NA' }, { n: '4' }, { n: '' }];
    const f = fitFeatures(detectColumns(rows), rows, [0, 1, 0, 1]);
    expect(f.names).toEqual(['n', 'n missing']);
    expect(f.training.map((x) => Array.from(x))).toEqual([[-1, 0], [0, 1], [1, 0], [0, 1]]);
  });

  it('send rare levels to "other" and give missing its own level', () => {
    const rows: Row[] = [...Array.from({ length: 30 }, () => ({ c: 'a' })), ...Array.from({ length: 30 }, () => ({ c: 'b' })), { c: 'rare' }, { c: 'NA' }];
    const f = fitFeatures(detectColumns(rows), rows, rows.map((_, i) => (i % 2) as 0 | 1));
    expect(f.names).toEqual(['c = a', 'c = b', 'c = other', 'c missing']);
    expect(Array.from(f.training[60]!)).toEqual([0, 0, 1, 0]);
    expect(Array.from(f.training[61]!)).toEqual([0, 0, 0, 1]);
  });

  it('encode weekday and hour of day, and month and year only when asked', () => {
    const rows: Row[] = Array.from({ length: 30 }, (_, i) => ({ at: `2024-03-${String(i + 1).padStart(2, '0')} ${String(i % 24).padStart(2, '0')}:00:00` }));
    const labels = rows.map((_, i) => (i % 2) as 0 | 1);
    const plain = fitFeatures(detectColumns(rows), rows, labels);
    expect(plain.names.filter((n) => n.includes('weekday'))).toHaveLength(7);
    expect(plain.names.filter((n) => n.includes('hour'))).toHaveLength(4);
    expect(plain.names.some((n) => n.includes('month') || n.includes('year'))).toBe(false);
    const absolute = fitFeatures(detectColumns(rows), rows, labels, { absoluteTime: true });
    expect(absolute.names).toContain('at month = Mar');
    expect(absolute.names).toContain('at year');
  });

  it('compute a high-cardinality target encoding out of fold inside the training rows', () => {
    // 300 noise levels: an encoding that saw each row's own label would correlate with it.
    const random = seededRandom(5);
    const rows: Row[] = Array.from({ length: 1_500 }, () => ({ page: `p${Math.floor(random() * 300)}` }));
    const labels = rows.map(() => (random() < 0.5 ? 1 : 0) as 0 | 1);
    const f = fitFeatures(detectColumns(rows), rows, labels);
    expect(f.encoders[0]!.type).toBe('target');
    const oof = f.training.map((x) => x[0]!);
    expect(correlation(oof, labels)).toBeLessThan(0.1);
    // The same rows encoded as new rows use every training label, their own included.
    const inFold = encodeRows(f, rows).map((x) => x[0]!);
    expect(correlation(inFold, labels)).toBeGreaterThan(0.3);
  });

  it('keep no value seen only once in a target encoding (an erased lead must not live on in a model)', () => {
    const rows: Row[] = Array.from({ length: 60 }, (_, i) => ({ title: i < 30 ? `title ${i % 10}` : `one-off ${i}` }));
    const f = fitFeatures(detectColumns(rows, { idShare: 1.1 }), rows, rows.map((_, i) => (i % 2) as 0 | 1));
    const e = f.encoders[0]!;
    if (e.type !== 'target') throw new Error(`expected a target encoding, got ${e.type}`);
    expect(e.stats.map(([l]) => l)).toEqual(Array.from({ length: 10 }, (_, i) => `title ${i}`));
  });

  it('give the reference style one-hot of frequent values (as OneHotEncoder with min_frequency) instead of target encodings', () => {
    const random = seededRandom(6);
    const rows: Row[] = Array.from({ length: 1_000 }, (_, i) => ({ page: i < 300 ? 'home' : `p${Math.floor(random() * 100)}` }));
    const labels = rows.map(() => (random() < 0.5 ? 1 : 0) as 0 | 1);
    const f = fitFeatures(detectColumns(rows), rows, labels, { style: 'reference' });
    expect(f.encoders.map((e) => e.type)).toEqual(['onehot']);
    const e = f.encoders[0] as Extract<(typeof f.encoders)[number], { type: 'onehot' }>;
    expect(e.levels[0]).toBe('home');
    // Every level seen at least 10 times (1% of 1,000) has its own column; the rest are "other".
    expect(e.levels.length).toBeGreaterThan(20);
    expect(e.other).toBe(true);
  });
});
