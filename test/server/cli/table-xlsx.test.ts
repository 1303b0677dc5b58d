import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandIO } from '../../../server/cli/io.ts';
import { parseTable, readTable } from '../../../server/cli/table-csv.ts';
import { parseXlsx, serialDate } from '../../../server/cli/table-xlsx.ts';
import { zipEntries } from '../../../server/cli/table-zip.ts';
import { trainCommand } from '../../../server/cli/train.ts';

// .xlsx as marketers export it. Two real producers: Microsoft Excel (a real workbook from a
// public repository, test/fixtures/predictive/README.md) and openpyxl (python3-openpyxl), which
// writes workbooks from the real X Education sample here, and the hostile variants: a zip
// bomb, a part that lies about its size, a sheet cut short, an unclosed cell, a shared string
// that is not there. openpyxl writes inline strings and Excel shared strings, so both are read.

const FIXTURES = join(import.meta.dirname, '../../fixtures/predictive');
const dir = mkdtempSync(join(tmpdir(), 'leadglow-xlsx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Writes the sample as a workbook (numbers as numbers, Converted as 0/1, a date column, a
// boolean), then variants of it with one part replaced.
const PYTHON = String.raw`
import csv, datetime, sys, zipfile, openpyxl
src, out = sys.argv[1], sys.argv[2]
rows = list(csv.reader(open(src, encoding='utf-8')))
wb = openpyxl.Workbook()
ws = wb.active
ws.title = 'Leads'
ws.append(rows[0] + ['Created', 'Opted in'])
def cell(v):
    try:
        return int(v) if v.isdigit() else float(v)
    except ValueError:
        return v if v != '' else None
for i, r in enumerate(rows[1:]):
    ws.append([cell(v) for v in r] + [datetime.datetime(2024, 3, 4 + i % 7, 9 + i % 8, 30), i % 3 == 0])
wb.create_sheet('Notes')
wb.save(out + '/sample.xlsx')
def variant(name, change):
    with zipfile.ZipFile(out + '/sample.xlsx') as zin, zipfile.ZipFile(out + '/' + name, 'w', zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == 'xl/worksheets/sheet1.xml':
                data = change(data)
            zout.writestr(info.filename, data)
variant('bomb.xlsx', lambda d: d.replace(b'<sheetData>', b'<sheetData>' + b' ' * (3 << 20)))
variant('cut.xlsx', lambda d: d[: d.index(b'<row r="40"')])
variant('unclosed.xlsx', lambda d: d.replace(b'</c></row><row r="30"', b'</row><row r="30"', 1))
variant('badstring.xlsx', lambda d: d.replace(b'<c r="A5" t="inlineStr"><is><t>', b'<c r="A5" t="s"><v>9999</v><is><t>', 1))
`;

function io() {
  let out = '';
  let err = '';
  const cmd: CommandIO = { out: (s) => void (out += s), err: { write: (s: string) => ((err += s), true) }, env: {}, now: () => Date.UTC(2026, 0, 1) };
  return { cmd, out: () => out, err: () => err };
}

beforeAll(() => {
  const r = spawnSync('/usr/bin/python3', ['-c', PYTHON, join(FIXTURES, 'xeducation-sample.csv'), dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`writing workbooks with openpyxl failed (apt-get install python3-openpyxl): ${r.stderr || r.error?.message}`);
});

describe('reading .xlsx', () => {
  it('reads a real Excel workbook: shared strings, and a table that starts at B3', () => {
    const t = parseXlsx(readFileSync(join(FIXTURES, 'leads-data-dictionary.xlsx')), 'dictionary.xlsx');
    expect(t.header).toEqual(['Variables', 'Description']);
    expect(t.rows).toHaveLength(37);
    expect(t.rows[0]).toEqual({ Variables: 'Prospect ID', Description: 'A unique ID with which the customer is identified.' });
    expect(t.lines[0]).toBe(4);
    expect(t.unit).toBe('row');
    expect(t.notes).toContain('table starts at B3');
  });

  it('reads an openpyxl workbook as the CSV it was written from: inline strings, numbers, dates from day serials, booleans', async () => {
    const csv = parseTable(readFileSync(join(FIXTURES, 'xeducation-sample.csv')), 'sample.csv');
    const t = await readTable(join(dir, 'sample.xlsx'));
    expect(t.header).toEqual([...csv.header, 'Created', 'Opted in']);
    expect(t.rows).toHaveLength(csv.rows.length);
    for (const [i, row] of t.rows.entries()) {
      for (const h of csv.header) {
        const want = csv.rows[i]![h]!;
        // openpyxl stores 3.0 as 3: the same number.
        expect(/^\d+(\.\d+)?$/.test(want) ? Number(row[h]) : row[h]).toEqual(/^\d+(\.\d+)?$/.test(want) ? Number(want) : want);
      }
    }
    expect(t.rows[0]!['Created']).toBe('2024-03-04 09:30:00');
    expect(t.rows[0]!['Opted in']).toBe('true');
    expect(t.rows[1]!['Opted in']).toBe('false');
    expect(t.notes.join('\n')).toMatch(/sheet "Leads" \(the first of 2/);
    expect(t.notes.join('\n')).toMatch(/62 dates read from Excel day numbers/);
  });

  it('trains from an .xlsx file exactly as from the CSV it holds', async () => {
    const fromCsv = io();
    expect(await trainCommand(['--csv', join(FIXTURES, 'xeducation-sample.csv'), '--label', 'Converted', '--folds', '3', '--json'], fromCsv.cmd)).toBe(0);
    const fromXlsx = io();
    expect(await trainCommand(['--csv', join(dir, 'sample.xlsx'), '--label', 'Converted', '--folds', '3', '--drop', 'Created,Opted in', '--json'], fromXlsx.cmd)).toBe(0);
    const a = JSON.parse(fromCsv.out()) as { auc: number; rows: number; family: string };
    const b = JSON.parse(fromXlsx.out()) as { auc: number; rows: number; family: string };
    expect(b.rows).toBe(a.rows);
    expect(b.family).toBe(a.family);
    expect(b.auc).toBeCloseTo(a.auc, 10);
  });

  it('names a row of the sheet, not a line, when a label is unusable', async () => {
    const run = io();
    expect(await trainCommand(['--csv', join(dir, 'sample.xlsx'), '--label', 'Lead Origin', '--folds', '3'], run.cmd)).toBe(1);
    expect(run.err()).toMatch(/sample\.xlsx row 2: label "[^"]+" in "Lead Origin" is not 1\/0/);
  });

  it('converts day serials in both date systems, times included', () => {
    expect(serialDate(45292, false)).toBe('2024-01-01');
    expect(serialDate(45292.75, false)).toBe('2024-01-01 18:00:00');
    expect(serialDate(61, false)).toBe('1900-03-01');
    expect(serialDate(0, true)).toBe('1904-01-01');
    expect(serialDate(-1, false)).toBeUndefined();
  });
});

describe('hostile and damaged .xlsx files', () => {
  it('refuses a part that unpacks beyond the cap, before inflating it when it says so', () => {
    expect(() => parseXlsx(readFileSync(join(dir, 'bomb.xlsx')), 'bomb.xlsx', { maxPartBytes: 1 << 20 })).toThrow(/bomb\.xlsx: xl\/worksheets\/sheet1\.xml unpacks to 3 MB, over the limit of 1 MB/);
  });

  it('stops inflating at the cap when a part lies about its size (a zip bomb)', () => {
    const bytes = readFileSync(join(dir, 'bomb.xlsx'));
    const entry = zipEntries(bytes).get('xl/worksheets/sheet1.xml')!;
    // Rewrite the declared size in the central directory to 1 KB.
    let at = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    for (;;) {
      const nameLength = bytes.readUInt16LE(at + 28);
      if (bytes.subarray(at + 46, at + 46 + nameLength).toString() === entry.name) break;
      at += 46 + nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
    }
    bytes.writeUInt32LE(1024, at + 24);
    const liar = join(dir, 'liar.xlsx');
    writeFileSync(liar, bytes);
    expect(() => parseXlsx(readFileSync(liar), 'liar.xlsx', { maxPartBytes: 1 << 20 })).toThrow(/unpacks to more than 1 MB \(it declares 0 MB\): refused as a possible zip bomb/);
  });

  it('names where a sheet was cut short, where a cell is not closed, and a missing shared string', () => {
    expect(() => parseXlsx(readFileSync(join(dir, 'cut.xlsx')), 'cut.xlsx')).toThrow(/cut\.xlsx: xl\/worksheets\/sheet1\.xml ends inside the sheet's data \(near row 39\)/);
    expect(() => parseXlsx(readFileSync(join(dir, 'unclosed.xlsx')), 'unclosed.xlsx')).toThrow(/unclosed\.xlsx: xl\/worksheets\/sheet1\.xml: cell [A-Z]+29 is not closed/);
    expect(() => parseXlsx(readFileSync(join(dir, 'badstring.xlsx')), 'badstring.xlsx')).toThrow(/badstring\.xlsx: xl\/worksheets\/sheet1\.xml cell A5 refers to shared string 9999, of 0/);
  });

  it('says what a truncated archive, an old .xls and a password-protected workbook are', async () => {
    const good = readFileSync(join(dir, 'sample.xlsx'));
    expect(() => parseXlsx(good.subarray(0, good.length - 100), 'half.xlsx')).toThrow(/half\.xlsx: not a zip archive \(no end of central directory\): cut short/);
    const ole = join(dir, 'old.xls');
    writeFileSync(ole, Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]));
    await expect(readTable(ole)).rejects.toThrow(/old\.xls is an old Excel \.xls file or a workbook saved with a password; save it as \.xlsx/);
  });
});
