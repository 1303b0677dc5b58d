import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dollarQuoted, int8Array, textArray } from '../../../server/db/pg-arrays.ts';
import { usePostgres } from '../harness.ts';

// The array literals db/pg-arrays.ts makes for bound parameters, read back by a real PostgreSQL:
// every element comes back exactly as node-postgres's own conversion of the same array delivers
// it, on the fast path (JSON.stringify) and on the slow one (control characters, surrogates);
// and a dollar-quoted constant in SQL text reads back as the text, whatever it holds.

const pgc = usePostgres();

const HOSTILE = [
  '',
  ' ',
  'NULL',
  'null',
  'a,b',
  '{x}',
  '"quoted"',
  'back\\slash',
  '\\"both\\',
  "it's",
  '$1',
  '{"url":"https://acme.test/?q=\\"x\\"","title":"Pricing — Ä ö å"}',
  'emoji 😀 pair',
  'tab\there',
  'line\nbreak',
  'cr\rlf',
  'bell\u0007',
  'lone \ud800 surrogate',
  '\u2028\u2029',
  'ends with backslash\\',
];

describe('PostgreSQL array literals', () => {
  let client: pg.Client;
  beforeAll(async () => {
    client = new pg.Client({ connectionString: await pgc().newDatabase() });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
  });

  const back = async (literal: string, type: 'text' | 'bigint'): Promise<unknown> => (await client.query(`SELECT $1::${type}[] AS a`, [literal])).rows[0].a;
  const viaPg = async (values: readonly unknown[], type: 'text' | 'bigint'): Promise<unknown> => (await client.query(`SELECT $1::${type}[] AS a`, [values])).rows[0].a;

  it('reads every hostile text element back as node-postgres sends it, alone and together', async () => {
    for (const v of HOSTILE) expect(await back(textArray([v]), 'text'), JSON.stringify(v)).toEqual(await viaPg([v], 'text'));
    // Together: one element on the slow path takes the whole array there; without them, the fast one.
    expect(await back(textArray(HOSTILE), 'text')).toEqual(await viaPg(HOSTILE, 'text'));
    const fast = HOSTILE.filter((v) => !/[\u0000-\u001f\ud800-\udfff]/.test(v));
    expect(fast.length).toBeGreaterThan(10);
    expect(textArray(fast)).toBe(`{${JSON.stringify(fast).slice(1, -1)}}`);
    expect(await back(textArray(fast), 'text')).toEqual(fast);
    expect(await back(textArray([]), 'text')).toEqual([]);
  });

  it('dollar-quotes text that holds the tags themselves, and array literals inside SQL text', async () => {
    const texts = [...HOSTILE, '$lg$', '$lg$ and $lg0$ and $lg1$', 'ends in $', '$lg', 'ends in $lg', '$lg0', '$$', "'); DROP TABLE events; --"];
    for (const t of texts) {
      const quoted = dollarQuoted(t);
      expect((await client.query(`SELECT ${quoted}::text AS t`)).rows[0].t, JSON.stringify(t)).toBe((await client.query('SELECT $1::text AS t', [t])).rows[0].t);
    }
    expect(dollarQuoted('$lg$ and $lg0$')).toBe('$lg1$$lg$ and $lg0$$lg1$');
    expect(dollarQuoted('ends in $lg')).toBe('$lg0$ends in $lg$lg0$');
    expect((await client.query(`SELECT ${dollarQuoted(textArray(texts))}::text[] AS a`)).rows[0].a).toEqual(await viaPg(texts, 'text'));
  });

  it('writes integers and bigints, and refuses anything else', async () => {
    const values = [0, -1, Number.MAX_SAFE_INTEGER, 1_733_400_000_000, -(2n ** 63n), 2n ** 63n - 1n];
    expect(await back(int8Array(values), 'bigint')).toEqual(['0', '-1', String(Number.MAX_SAFE_INTEGER), '1733400000000', String(-(2n ** 63n)), String(2n ** 63n - 1n)]);
    for (const bad of [1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) expect(() => int8Array([bad]), String(bad)).toThrow(RangeError);
  });
});
