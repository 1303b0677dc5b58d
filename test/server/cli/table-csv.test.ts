import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CommandIO } from '../../../server/cli/io.ts';
import { decodeText, detectSeparator, numberStyle, parseTable } from '../../../server/cli/table-csv.ts';
import { trainCommand } from '../../../server/cli/train.ts';
import { toLabel } from '../../../shared/predictive/table.ts';

// The CSV shapes CRMs and Excel write, made from a real sample (test/fixtures/predictive/README.md):
// Dutch/Swedish Excel (semicolons, decimal commas), tabs, UTF-16 "Unicode text", Windows-1252,
// a BOM, pandas' 1.0/0.0 labels, Salesforce's Closed Won/Closed Lost, duplicate columns.

const SAMPLE = readFileSync(join(import.meta.dirname, '../../fixtures/predictive/xeducation-sample.csv'), 'utf8');
const lines = SAMPLE.trim().split('\n');
const dir = mkdtempSync(join(tmpdir(), 'leadglow-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The sample's cells (none of them holds a comma or quote), rewritten with another separator and decimal mark. */
const cells = lines.map((l) => l.split(','));
function write(sep: string, decimal: '.' | ',', quoteDecimals = false): string {
  return `${cells.map((row) => row.map((c) => (/^\d+\.\d+$/.test(c) && decimal === ',' ? (quoteDecimals ? `"${c.replace('.', ',')}"` : c.replace('.', ',')) : c)).join(sep)).join('\r\n')}\r\n`;
}
const bytes = (s: string) => new TextEncoder().encode(s);

describe('reading a CRM or Excel export', () => {
  const plain = parseTable(bytes(SAMPLE), 'sample.csv');

  it('reads the real sample as it is: comma-separated UTF-8, every row', () => {
    expect(plain.separator).toBe(',');
    expect(plain.rows).toHaveLength(62);
    expect(plain.rejects).toEqual([]);
    expect(plain.rows[0]!['Lead Source']).toBe('Olark Chat');
  });

  it('detects semicolons and decimal commas as Dutch and Swedish Excel write them, and says so', () => {
    const t = parseTable(bytes(write(';', ',')), 'nl.csv');
    expect(t.separator).toBe(';');
    expect(t.rows).toEqual(plain.rows);
    expect(t.notes.join('\n')).toMatch(/separator: ";" \(detected/);
    expect(t.notes.join('\n')).toMatch(/Page Views Per Visit \(decimal commas\)/);
  });

  it('reads quoted decimal commas in a comma-separated file as numbers, not as categories', () => {
    const t = parseTable(bytes(write(',', ',', true)), 'quoted.csv');
    expect(t.rows.map((r) => r['Page Views Per Visit'])).toEqual(plain.rows.map((r) => r['Page Views Per Visit']));
    expect(t.rows.some((r) => r['Page Views Per Visit'] === '3.25')).toBe(true);
  });

  it('detects tabs, and reads UTF-16 (Excel "Unicode text") by its BOM', () => {
    const text = write('\t', '.');
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const t = parseTable(le, 'unicode.txt');
    expect(t.separator).toBe('\t');
    expect(t.rows).toEqual(plain.rows);
    expect(t.notes).toContain('encoding: UTF-16 LE');
  });

  it('strips a UTF-8 BOM from the first column name', () => {
    const t = parseTable(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SAMPLE)]), 'bom.csv');
    expect(t.header[0]).toBe('Prospect ID');
    expect(t.rows).toEqual(plain.rows);
  });

  it('reads Windows-1252 when the bytes are not UTF-8 (older Excel), keeping accented letters', () => {
    const text = `${lines[0]}\n${cells[1]!.map((c, i) => (i === 8 ? 'Sverige (Malmö)' : c)).join(',')}\n`;
    const latin1 = Buffer.from(text, 'latin1');
    expect(decodeText(latin1).encoding).toMatch(/Windows-1252/);
    const t = parseTable(latin1, 'ansi.csv');
    expect(t.rows[0]!.Country).toBe('Sverige (Malmö)');
  });

  it('calls a repeated column name an error that names it and its positions', () => {
    const text = SAMPLE.replace('Lead Source,', 'Converted,');
    expect(() => parseTable(bytes(text), 'dupes.csv')).toThrow(/dupes\.csv: column "Converted" appears 2 times \(columns 4, 11\)/);
  });

  it('skips a row with the wrong field count with one line naming its line, and keeps the rest', () => {
    const broken = SAMPLE.split('\n');
    broken[5] = `${broken[5]},extra`;
    const t = parseTable(bytes(broken.join('\n')), 'broken.csv');
    expect(t.rows).toHaveLength(61);
    expect(t.rejects).toEqual([{ line: 6, reason: expect.stringMatching(/^12 fields where the header has 11 \(separator ","\)/) }]);
  });

  it('says which separator it used when no row fits, and that --sep sets it', () => {
    // Forced to commas, a semicolon file is one column.
    expect(() => parseTable(bytes(write(';', ',')), 'nl.csv', { sep: ',' })).toThrow(/one column .* set the separator with --sep/);
  });

  it('tells decimal commas from thousands separators', () => {
    expect(numberStyle(['2,5', '10', '1.234,5'], ';')).toBe('decimal-comma');
    expect(numberStyle(['1,234', '12,000.5', '7'], ',')).toBe('thousands');
    expect(numberStyle(['Berlin', '2,5'], ';')).toBeUndefined();
    expect(detectSeparator('a;b;c\n1;2,5;3\n')).toBe(';');
  });

  it('reads labels as pandas, CRMs and people write them', () => {
    for (const yes of ['1', '1.0', 'true', 'Yes', 'won', 'Closed Won', 'closed_won', 'Closed-Won']) expect(toLabel(yes), yes).toBe(1);
    for (const no of ['0', '0.0', 'FALSE', 'no', 'Lost', 'Closed Lost', 'closedlost']) expect(toLabel(no), no).toBe(0);
    for (const neither of ['2', 'maybe', '', '0.5']) expect(toLabel(neither), neither).toBeUndefined();
  });
});

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CommandIO = { out: (s) => void (stdout += s), err: { write: (s: string) => (stderr += s) }, now: () => Date.now(), env: {} };
  return { code: await trainCommand(args, io), stdout, stderr };
}

describe('leadglow train on an Excel export', () => {
  it('trains on a semicolon file with 1.0/0.0 labels, leaves out the identifiers and names them; one line per rejected label', async () => {
    const file = join(dir, 'nl.csv');
    const text = write(';', ',')
      .split('\r\n')
      .map((l, i) => (i === 0 || !l ? l : l.replace(/;([01])$/, ';$1.0')))
      .join('\r\n');
    // Line 4 gets a label no one can read.
    const withBad = text.split('\r\n');
    withBad[3] = withBad[3]!.replace(/;[01]\.0$/, ';unknown');
    writeFileSync(file, withBad.join('\r\n'));
    const r = await cli(['--csv', file, '--label', 'converted', '--folds', '3', '--json']);
    expect(r.stderr).toMatch(/separator: ";" \(detected/);
    expect(r.stderr).toMatch(/^.*nl\.csv line 4: label "unknown" in "Converted" is not 1\/0 .*; row skipped$/m);
    expect(r.stderr).toMatch(/left out: "Prospect ID" looks like an identifier/);
    expect(r.stderr).toMatch(/left out: "Lead Number" looks like a sequence number/);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.rows).toBe(61);
    expect(out.separator).toBe(';');
    expect(out.excluded.map((e: { column: string }) => e.column)).toEqual(['Prospect ID', 'Lead Number']);
    expect(['logistic', 'trees']).toContain(out.family);
  });

  it('leaves out a column filled in after the outcome, and uses it with --keep', async () => {
    const file = join(dir, 'leaky.csv');
    const withStage = lines.map((l, i) => (i === 0 ? `${l},Stage` : `${l},${l.endsWith(',1') ? 'Closed - enrolled' : 'Closed - no interest'}`));
    writeFileSync(file, withStage.join('\n'));
    const r = await cli(['--csv', file, '--label', 'Converted', '--folds', '3', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/left out: "Stage" alone has AUC 1\.000 \(over 0\.95\): probably filled in after the outcome; --keep "Stage" uses it/);
    const kept = await cli(['--csv', file, '--label', 'Converted', '--folds', '3', '--json', '--keep', 'stage']);
    expect(kept.stderr).not.toMatch(/"Stage"/);
    expect(JSON.parse(kept.stdout).auc).toBeGreaterThan(JSON.parse(r.stdout).auc);
  });

  it('names duplicate columns and stops, instead of silently using the last', async () => {
    const file = join(dir, 'dupes.csv');
    writeFileSync(file, SAMPLE.replace('Country,', 'TotalVisits,'));
    const r = await cli(['--csv', file, '--label', 'Converted']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/column "TotalVisits" appears 2 times \(columns 5, 9\)/);
  });

  it('takes --sep tab, and rejects a separator it does not know', async () => {
    const file = join(dir, 'tabs.txt');
    writeFileSync(file, write('\t', '.'));
    const r = await cli(['--csv', file, '--label', 'Converted', '--sep', 'tab', '--folds', '3', '--json', '--family', 'logistic']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ separator: '\t', family: 'logistic', rows: 62 });
    const bad = await cli(['--csv', file, '--label', 'Converted', '--sep', 'x']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--sep: expected , ; tab or \|, got "x"/);
  });
});
