import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CustomEvent } from '../../../shared/contracts/event.ts';
import { uuidv7Time } from '../../../shared/ids.ts';
import {
  CsvError,
  createCsvParser,
  createHeaderMapper,
  parseCsv,
  parseOutcomeRows,
  parseTouchpointRows,
  readCsv,
  streamOutcomeRows,
  touchpointEvent,
  type CsvRow,
} from '../../../server/import/csv.ts';

function fieldsOf(rows: CsvRow[]): string[][] {
  return rows.map((r) => r.fields);
}

function csvError(fn: () => unknown): CsvError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CsvError) return err;
    throw err;
  }
  throw new Error('expected a CsvError');
}

async function collectRows(source: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>): Promise<CsvRow[]> {
  const rows: CsvRow[] = [];
  for await (const row of readCsv(source)) rows.push(row);
  return rows;
}

describe('parseCsv', () => {
  it('splits plain fields and keeps empty ones', () => {
    expect(parseCsv('a,b,c\n1,,3\n,,\n')).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', '', '3'] },
      { line: 3, fields: ['', '', ''] },
    ]);
  });

  it('handles quotes, doubled quotes, delimiters and newlines inside quotes, with line numbers', () => {
    const text = 'name,note\r\n"Doe, Jane","said ""hi""\r\nand left"\r\n"",x\r\nlast,"multi\nline\nnote"\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['name', 'note'] },
      { line: 2, fields: ['Doe, Jane', 'said "hi"\r\nand left'] },
      { line: 4, fields: ['', 'x'] },
      { line: 5, fields: ['last', 'multi\nline\nnote'] },
    ]);
  });

  it('accepts LF, CRLF and lone CR line ends, with or without a final line end', () => {
    expect(fieldsOf(parseCsv('a\nb'))).toEqual([['a'], ['b']]);
    expect(fieldsOf(parseCsv('a\r\nb\r\n'))).toEqual([['a'], ['b']]);
    expect(parseCsv('a\rb\r\nc')).toEqual([
      { line: 1, fields: ['a'] },
      { line: 2, fields: ['b'] },
      { line: 3, fields: ['c'] },
    ]);
  });

  it('skips blank lines but counts them', () => {
    expect(parseCsv('a\n\n\r\nb\n\n')).toEqual([
      { line: 1, fields: ['a'] },
      { line: 4, fields: ['b'] },
    ]);
    expect(parseCsv('""\n')).toEqual([{ line: 1, fields: [''] }]);
    expect(parseCsv('')).toEqual([]);
  });

  it('strips a UTF-8 BOM only at the very start', () => {
    expect(parseCsv('\uFEFFemail,x\n\uFEFFa,b')).toEqual([
      { line: 1, fields: ['email', 'x'] },
      { line: 2, fields: ['\uFEFFa', 'b'] },
    ]);
  });

  it('keeps spaces, which are part of the field in RFC 4180', () => {
    expect(fieldsOf(parseCsv(' a , b '))).toEqual([[' a ', ' b ']]);
  });

  it('supports another delimiter (European Excel writes semicolons)', () => {
    expect(fieldsOf(parseCsv('a;"b;c";d', { delimiter: ';' }))).toEqual([['a', 'b;c', 'd']]);
    expect(() => createCsvParser({ delimiter: '"' })).toThrow(RangeError);
  });

  it('reports an unterminated quote at the line where it opened', () => {
    const err = csvError(() => parseCsv('a,b\n1,2\n3,"open\nmore\nstill'));
    expect(err.line).toBe(3);
    expect(err.message).toBe('line 3: unterminated quoted field: the quote opened here is never closed');
  });

  it('reports text after a closing quote, and a quote inside an unquoted field', () => {
    expect(csvError(() => parseCsv('a\n"x"y\n')).message).toMatch(/^line 2: unexpected "y" after the closing quote/);
    expect(csvError(() => parseCsv('a\n"x" \n')).message).toMatch(/^line 2: unexpected space after the closing quote/);
    expect(csvError(() => parseCsv('a\nab"c\n')).message).toMatch(/^line 2: unexpected quote inside an unquoted field/);
    // The line of the error is the physical line, also inside a multi-line row.
    expect(csvError(() => parseCsv('a\n"x\ny"z')).line).toBe(3);
  });

  it('bounds a runaway field', () => {
    const err = csvError(() => parseCsv(`a\n"${'x'.repeat(200)}`, { maxFieldChars: 100 }));
    expect(err.line).toBe(2);
    expect(err.message).toMatch(/longer than 100 characters/);
    expect(() => parseCsv('x'.repeat(200), { maxFieldChars: 100 })).toThrow(CsvError);
  });

  it('gives the same rows however the input is chunked, CRLF and "" split across chunks included', () => {
    const text = 'h1,h2\r\n"a ""q""\r\nb",c\r\n\r\nd,"e,f"\r\ng,h';
    const whole = parseCsv(text);
    for (let size = 1; size <= text.length; size++) {
      const p = createCsvParser();
      const rows: CsvRow[] = [];
      for (let i = 0; i < text.length; i += size) rows.push(...p.push(text.slice(i, i + size)));
      rows.push(...p.end());
      expect(rows, `chunk size ${size}`).toEqual(whole);
    }
    expect(whole.map((r) => r.line)).toEqual([1, 2, 5, 6]);
  });

  it('round-trips any table written with RFC 4180 quoting, in any chunking (property)', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'b', ' ', ',', '"', '\n', '\r', '\r\n', 'é', '😀'), maxLength: 6 });
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 6 }),
        fc.constantFrom('\n', '\r\n'),
        fc.integer({ min: 1, max: 7 }),
        (table, eol, size) => {
          const quote = (s: string) => (/[",\r\n]/.test(s) || s === '' ? `"${s.replace(/"/g, '""')}"` : s);
          const lines = table.map((row) => row.map(quote).join(','));
          const text = lines.join(eol);
          // Expected start line of each row: 1 + line breaks before it.
          const starts: number[] = [];
          let seen = 1;
          for (const l of lines) {
            starts.push(seen);
            seen += (l.match(/\r\n|\r|\n/g) ?? []).length + 1;
          }
          const p = createCsvParser();
          const rows: CsvRow[] = [];
          for (let i = 0; i < text.length; i += size) rows.push(...p.push(text.slice(i, i + size)));
          rows.push(...p.end());
          expect(rows).toEqual(table.map((fields, i) => ({ line: starts[i], fields })));
        },
      ),
      { numRuns: 300 },
    );
    // 300 tables in many chunkings: past the 20 s default on a loaded 2-core machine.
  }, 120_000);
});

describe('readCsv', () => {
  it('reads a Node stream of bytes, with multi-byte characters split across chunks', async () => {
    const bytes = Buffer.from('\uFEFFemail,title\nanna@acme.example,"Café ""Ünïcode"" 😀"\n', 'utf8');
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 3) chunks.push(bytes.subarray(i, i + 3));
    const rows = await collectRows(Readable.from(chunks));
    expect(rows).toEqual([
      { line: 1, fields: ['email', 'title'] },
      { line: 2, fields: ['anna@acme.example', 'Café "Ünïcode" 😀'] },
    ]);
  });

  it('reads strings too', async () => {
    expect(await collectRows(['a,', 'b\nc', ',d'])).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['c', 'd'] },
    ]);
  });

  it('refuses bytes that are not UTF-8 (a Windows-1252 export)', async () => {
    const latin1 = Buffer.from('email,title\nx@acme.example,Caf\xe9\n', 'latin1');
    await expect(collectRows([latin1])).rejects.toThrow(/not UTF-8/);
    // A truncated multi-byte sequence at the very end is caught when the stream ends.
    await expect(collectRows([Buffer.from('a\n'), Buffer.from([0xc3])])).rejects.toThrow(CsvError);
  });

  it('surfaces a parse error from a stream', async () => {
    await expect(collectRows(['a\n"b'])).rejects.toMatchObject({ line: 2 });
  });
});

describe('createHeaderMapper', () => {
  const rows = (text: string) => parseCsv(text);

  it('maps by header name, case- and space-insensitively, ignoring unknown columns', () => {
    const map = createHeaderMapper({ required: ['email'], optional: ['title'] });
    const [header, row] = rows(' Email ,Company,TITLE\nx@y.z,Acme,CTO');
    expect(map(header!)).toBeUndefined();
    expect(map(row!)).toEqual({ line: 2, values: { email: 'x@y.z', title: 'CTO' } });
  });

  it('rejects rows with the wrong column count, with the line', () => {
    const map = createHeaderMapper({ required: ['a', 'b'] });
    const [h, short, long] = rows('a,b\n1\n1,2,3');
    map(h!);
    expect(map(short!)).toEqual({ line: 2, errors: ['expected 2 columns as in the header, found 1'] });
    expect(map(long!)).toEqual({ line: 3, errors: ['expected 2 columns as in the header, found 3'] });
  });

  it('throws on missing or repeated columns, naming them', () => {
    const err = csvError(() => createHeaderMapper({ required: ['email', 'result', 'date'] })({ line: 1, fields: ['Email', 'when'] }));
    expect(err.message).toBe('line 1: missing columns "result", "date"; the header is: "email", "when"');
    const dup = csvError(() => createHeaderMapper({ required: ['email'] })({ line: 3, fields: ['email', 'EMAIL'] }));
    expect(dup.message).toBe('line 3: column "email" appears twice in the header');
    // Repeated columns nobody asked for are fine.
    expect(createHeaderMapper({ required: ['email'] })({ line: 1, fields: ['email', 'x', 'x'] })).toBeUndefined();
  });
});

describe('parseOutcomeRows', () => {
  it('validates and normalises rows, and rejects bad ones with their line and every problem', () => {
    const text = [
      'Email,Result,Date,Value,Owner',
      ' Jane@Acme.Example ,WON,2024-03-05,1234.50,bob',
      'joe@acme.example,lost,2024-03-05T14:30:00+02:00,,bob',
      'not-an-email,maybe,2024-02-30,1,234,x',
      'ann@acme.example,won,05/03/2024,"1,234",bob',
      '"multi',
      'line@acme.example",won,2024-01-01,,',
      'kim@acme.example,won,2024-01-01,,',
    ].join('\n');
    const { records, rejects } = parseOutcomeRows(text);
    expect(records).toEqual([
      { line: 2, email: 'jane@acme.example', result: 'won', at: Date.UTC(2024, 2, 5), value: 1234.5 },
      { line: 3, email: 'joe@acme.example', result: 'lost', at: Date.UTC(2024, 2, 5, 12, 30) },
      { line: 8, email: 'kim@acme.example', result: 'won', at: Date.UTC(2024, 0, 1) },
    ]);
    expect(rejects).toEqual([
      { line: 4, errors: ['expected 5 columns as in the header, found 6'] },
      {
        line: 5,
        errors: [
          'date: expected an ISO date such as 2024-03-05 or 2024-03-05T14:30:00Z, got "05/03/2024"',
          'value: expected a number such as 1234.50 without separators or currency, got "1,234"',
        ],
      },
      { line: 6, errors: ['email: expected an email address'] },
    ]);
  });

  it('names each invalid field', () => {
    const { rejects } = parseOutcomeRows('email,result,date\nnope,maybe,2024-02-30\n');
    expect(rejects).toEqual([
      {
        line: 2,
        errors: [
          'email: expected an email address',
          'result: expected won or lost',
          'date: expected an ISO date such as 2024-03-05 or 2024-03-05T14:30:00Z, got "2024-02-30"',
        ],
      },
    ]);
  });

  it.each([
    ['2024-03-05T14:30:00', false],
    ['2024-03-05T14:30Z', true],
    ['2024-03-05t14:30:00.123z', true],
    ['2024-02-29', true],
    ['2023-02-29', false],
    ['2024-02-30T10:00:00Z', false],
    ['1999-12-31', false],
    ['2100-01-01', false],
    ['20240305', false],
    ['', false],
  ])('date %j valid: %s', (date, valid) => {
    const { records } = parseOutcomeRows(`email,result,date\na@b.example,won,${date}`);
    expect(records.length === 1).toBe(valid);
  });

  it('works without the optional value column', () => {
    expect(parseOutcomeRows('email,result,date\na@b.example,lost,2024-01-02').records).toEqual([
      { line: 2, email: 'a@b.example', result: 'lost', at: Date.UTC(2024, 0, 2) },
    ]);
  });

  it('throws on an empty file or a missing column, and on broken quoting', () => {
    expect(() => parseOutcomeRows('')).toThrow(/empty/);
    expect(() => parseOutcomeRows('email,date\n')).toThrow('line 1: missing column "result"');
    expect(() => parseOutcomeRows('email,result,date\n"a@b.example,won,2024-01-01\n')).toThrow(/line 2: unterminated/);
  });

  it('streams from a byte source', async () => {
    const source = Readable.from([Buffer.from('email,result,date\r\na@b.example,won,2024-01-02\r\nbad,won,2024-01-02\r\n')]);
    const items = [];
    for await (const item of streamOutcomeRows(readCsv(source))) items.push(item);
    expect(items).toEqual([
      { ok: true, record: { line: 2, email: 'a@b.example', result: 'won', at: Date.UTC(2024, 0, 2) } },
      { ok: false, reject: { line: 3, errors: ['email: expected an email address'] } },
    ]);
  });
});

describe('parseTouchpointRows and touchpointEvent', () => {
  const text = 'email,kind,date,title\na@b.example,Webinar,2024-05-01,"Scoring 101"\nc@d.example,trade_fair,2024-05-02,\ne@f.example,lunch,2024-05-03,x\n';

  it('parses touchpoints and rejects unknown kinds', () => {
    const { records, rejects } = parseTouchpointRows(text);
    expect(records).toEqual([
      { line: 2, email: 'a@b.example', kind: 'webinar', at: Date.UTC(2024, 4, 1), title: 'Scoring 101' },
      { line: 3, email: 'c@d.example', kind: 'trade_fair', at: Date.UTC(2024, 4, 2) },
    ]);
    expect(rejects).toEqual([{ line: 4, errors: ['kind: expected one of webinar, trade_fair, call, meeting, other'] }]);
  });

  it('rejects over-long titles', () => {
    const { rejects } = parseTouchpointRows(`email,kind,date,title\na@b.example,call,2024-05-01,${'x'.repeat(301)}`);
    expect(rejects).toEqual([{ line: 2, errors: ['title: expected a title of at most 300 characters'] }]);
  });

  it('becomes a valid custom event named after its kind, with a stable id at its time', () => {
    const { records } = parseTouchpointRows(text);
    const base = { site: 'offline', anonymousId: 'lead:1', sessionId: 'import' };
    const event = touchpointEvent(records[0]!, base);
    expect(CustomEvent.parse(event)).toEqual(event);
    expect(event).toMatchObject({ type: 'custom', name: 'webinar', ts: Date.UTC(2024, 4, 1), title: 'Scoring 101', ...base });
    expect(uuidv7Time(event.id)).toBe(Date.UTC(2024, 4, 1));
    // Re-importing the same row gives the same id (so ingest dedupes it); another row does not.
    expect(touchpointEvent({ ...records[0]!, line: 99 }, base).id).toBe(event.id);
    expect(touchpointEvent({ ...records[0]!, title: 'Other' }, base).id).not.toBe(event.id);
    const second = touchpointEvent(records[1]!, base);
    expect(second.title).toBeUndefined();
    expect(CustomEvent.safeParse(second).success).toBe(true);
  });
});
