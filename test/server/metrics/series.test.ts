import { describe, expect, it } from 'vitest';
import { seriesMap } from '../../../server/metrics/series.ts';

// One metric's label sets: keys in declared label order, escaped once, a cap that drops new
// sets (and reports each drop) while existing ones keep counting.

describe('seriesMap', () => {
  it('keys label sets by their rendered text, in declared order, escaped', () => {
    const m = seriesMap({ name: 'm', help: 'h', labelNames: ['b', 'a'] }, [], () => 0, () => {});
    const s = m.get({ a: 'x"y', b: 2 })!;
    expect(s.labels).toBe('b="2",a="x\\"y"');
    expect(m.get({ b: '2', a: 'x"y' })).toBe(s);
    expect([...m.all()]).toEqual([s]);
  });

  it('starts an unlabelled metric with its one series; a labelled one with none', () => {
    expect([...seriesMap({ name: 'u', help: 'h' }, [], () => 7, () => {}).all()]).toEqual([{ labels: '', value: 7 }]);
    expect([...seriesMap({ name: 'l', help: 'h', labelNames: ['a'] }, [], () => 7, () => {}).all()]).toEqual([]);
  });

  it('peeks without creating', () => {
    const m = seriesMap({ name: 'p', help: 'h', labelNames: ['a'] }, [], () => 0, () => {});
    expect(m.peek({ a: 'x' })).toBeUndefined();
    expect([...m.all()]).toEqual([]);
    expect(() => m.peek({ b: 'x' })).toThrow(/unknown label "b" for p/);
  });

  it('drops new label sets past maxSeries, reporting each, and keeps the existing ones', () => {
    let drops = 0;
    const m = seriesMap({ name: 'c', help: 'h', labelNames: ['url'], maxSeries: 2 }, [], () => 0, () => drops++);
    m.get({ url: '/a' })!.value++;
    m.get({ url: '/b' });
    expect(m.get({ url: '/c' })).toBeUndefined();
    expect(m.get({ url: '/d' })).toBeUndefined();
    expect(drops).toBe(2);
    expect(m.get({ url: '/a' })!.value).toBe(1);
    expect([...m.all()].map((s) => s.labels)).toEqual(['url="/a"', 'url="/b"']);
  });

  it('refuses a reserved label name, naming the metric', () => {
    expect(() => seriesMap({ name: 'h', help: 'h', labelNames: ['le'] }, ['le'], () => 0, () => {})).toThrow('invalid label name "le" in h');
  });
});
