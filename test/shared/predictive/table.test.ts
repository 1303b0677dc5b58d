import { describe, expect, it } from 'vitest';
import { fitModel, rawScore } from '../../../shared/predictive/predictive-model.ts';
import { detectColumns, isMissing, toDateParts, toLabel, toNumber, typedRows } from '../../../shared/predictive/table.ts';

describe('column detection', () => {
  const rows = Array.from({ length: 40 }, (_, i) => ({
    id: `lead-${i}`,
    size: i % 7 === 0 ? 'NA' : String(i * 10),
    origin: ['ads', 'search', 'email'][i % 3]!,
    created: `2024-03-${String((i % 28) + 1).padStart(2, '0')}`,
    seen: `2024-03-01 ${String(i % 24).padStart(2, '0')}:15:00`,
    plan: 'pro',
    partner: i % 2 ? 'yes' : '',
    won: i % 2 ? 'won' : 'lost',
  }));
  const kinds = Object.fromEntries(detectColumns(rows, { exclude: ['won'] }).map((c) => [c.name, c]));

  it('tells numbers, categories, dates, identifiers and constants apart', () => {
    expect(kinds.id!.kind).toBe('id');
    expect(kinds.size!.kind).toBe('numeric');
    expect(kinds.origin!.kind).toBe('categorical');
    expect(kinds.created!.kind).toBe('date');
    expect(kinds.created!.hasTime).toBe(false);
    expect(kinds.seen!.kind).toBe('date');
    expect(kinds.seen!.hasTime).toBe(true);
    expect(kinds.plan!.kind).toBe('constant');
    expect(kinds.won).toBeUndefined();
  });

  it('counts missing cells, and keeps a column whose only variation is missing or present', () => {
    expect(kinds.size!.missing).toBe(6);
    expect(kinds.partner!.kind).toBe('categorical');
    expect(kinds.partner!.missing).toBe(20);
  });

  it('calls a numeric column named like an identifier an id only when nearly all values differ', () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ account_id: String(1000 + i), region_id: String(i % 3) }));
    const k = Object.fromEntries(detectColumns(many).map((c) => [c.name, c.kind]));
    expect(k).toEqual({ account_id: 'id', region_id: 'numeric' });
  });
});

describe('cells', () => {
  it('reads the usual spellings of a missing value', () => {
    for (const m of ['', ' ', 'NA', 'n/a', 'null', 'NULL', 'None', 'NaN', '-', '?', null, undefined, Number.NaN]) expect(isMissing(m), String(m)).toBe(true);
    for (const v of ['0', 'no', 'false', 0, false, 'x']) expect(isMissing(v), String(v)).toBe(false);
  });

  it('parses numbers strictly', () => {
    expect(toNumber(' 12.5 ')).toBe(12.5);
    expect(toNumber('1e3')).toBe(1000);
    expect(toNumber('1,234')).toBeUndefined();
    expect(toNumber('NA')).toBeUndefined();
    expect(toNumber(true)).toBe(1);
  });

  it('reads weekday and hour as written, with or without a zone', () => {
    expect(toDateParts('2018-02-01')).toMatchObject({ weekday: 4, hour: 0, hasTime: false, month: 2, year: 2018 });
    expect(toDateParts('2018-02-26 19:58:54')).toMatchObject({ weekday: 1, hour: 19, hasTime: true });
    expect(toDateParts('2024-03-05T23:30:00+02:00')).toMatchObject({ weekday: 2, hour: 23 });
    expect(toDateParts('2024-13-05')).toBeUndefined();
    expect(toDateParts('yesterday')).toBeUndefined();
  });

  it('reads labels as 1/0, true/false, won/lost and yes/no', () => {
    expect(['1', 'true', 'WON', 'yes', ' y ', 1, true].map(toLabel)).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(['0', 'False', 'lost', 'no', 0, false].map(toLabel)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(['maybe', '', undefined, 2].map(toLabel)).toEqual([undefined, undefined, undefined, undefined]);
  });
});

describe('typed rows', () => {
  const rows = Array.from({ length: 60 }, (_, i) => ({
    id: `lead-${i}`,
    size: i % 7 === 0 ? 'NA' : ` ${i * 10} `,
    origin: [' ads', 'search ', 'email', 'N/A'][i % 4]!,
    created: `2024-03-${String((i % 28) + 1).padStart(2, '0')} 1${i % 10}:00`,
  }));
  const labels = rows.map((_, i) => (i % 3 === 0 || i % 4 === 1 ? 1 : 0) as 0 | 1);
  const columns = detectColumns(rows);

  it('hold numbers as numbers, levels trimmed, missing as null, and only the usable columns', () => {
    const typed = typedRows(rows, columns);
    expect(Object.keys(typed[0]!)).toEqual(['size', 'origin', 'created']);
    expect(typed[0]).toEqual({ size: null, origin: 'ads', created: '2024-03-01 10:00' });
    expect(typed[1]).toEqual({ size: 10, origin: 'search', created: '2024-03-02 11:00' });
    expect(typed[3]!.origin).toBeNull();
  });

  it('give the same model as the rows they came from', () => {
    const typed = typedRows(rows, columns);
    for (const family of ['logistic', 'trees'] as const) {
      const a = fitModel(columns, rows, labels, { seed: 0, tree: { minSamplesLeaf: 3 } }, family);
      const b = fitModel(columns, typed, labels, { seed: 0, tree: { minSamplesLeaf: 3 } }, family);
      expect(b).toEqual(a);
      expect(rows.map((r) => rawScore(b, r))).toEqual(rows.map((r) => rawScore(a, r)));
    }
  });
});

