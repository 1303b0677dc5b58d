import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backtestCommand } from '../../../server/cli/backtest.ts';
import type { CommandIO } from '../../../server/cli/io.ts';
import { cli, languageFromEnv } from '../../../server/cli/lang.ts';
import { defuse, LEAD_COLUMNS, leadsCommand, leadsCsv } from '../../../server/cli/leads.ts';
import { formatReport, reportCommand } from '../../../server/cli/report.ts';
import { trainCommand } from '../../../server/cli/train.ts';
import { CLI_EN } from '../../../server/cli/words-cli-en.ts';
import { CLI_NL } from '../../../server/cli/words-cli-nl.ts';
import { CLI_SV } from '../../../server/cli/words-cli-sv.ts';
import { parseCsv } from '../../../server/import/csv.ts';
import { seedDemo } from '../../../server/demo/seed.ts';
import { Report } from '../../../shared/contracts/marketing.ts';
import type { Lead } from '../../../shared/contracts/lead.ts';
import { WORDS } from '../../../shared/scoring/languages.ts';
import { EN_WORDS } from '../../../shared/scoring/words-en.ts';
import { NL_WORDS } from '../../../shared/scoring/words-nl.ts';
import { SV_WORDS } from '../../../shared/scoring/words-sv.ts';
import { defaultModel } from '../../../shared/scoring/index.ts';
import { testServer, type TestServer } from '../harness.ts';

// `--lang en|nl|sv` (or the locale in LC_ALL / LC_MESSAGES / LANG) for report, backtest, train
// and the leads CSV, on the seeded demo store: headings, stages, reasons and numbers in the
// language, and a check that fails when English is left in Dutch or Swedish output.

const ORIGIN = 'http://127.0.0.1:8788';
const XEDU = resolve('test/fixtures/predictive/xeducation-sample.csv');
const NBSP = /[\u00a0\u202f]/;

function capture(env: Record<string, string | undefined> = {}): CommandIO & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return { out: (t) => void (out += t), err: { write: (t: string) => void (err += t), isTTY: false }, env, now: Date.now, stdout: () => out, stderr: () => err };
}

/** English fragments (between `$n`) of CLI and wording messages that `lang` words differently. */
function englishPieces(lang: 'nl' | 'sv'): string[] {
  const pairs: [string, string][] = [
    ...Object.entries(CLI_EN).map(([k, v]) => [v, (lang === 'nl' ? CLI_NL : CLI_SV)[k as keyof typeof CLI_EN]] as [string, string]),
    ...Object.entries(EN_WORDS).map(([k, v]) => [v, (lang === 'nl' ? NL_WORDS : SV_WORDS)[k as keyof typeof EN_WORDS]] as [string, string]),
  ];
  const pieces = new Set<string>();
  for (const [en, other] of pairs) {
    if (en === other) continue;
    for (const raw of en.split(/\$\d/)) {
      const piece = raw.trim().replace(/^[(:,·.;–-]+|[(:,·.;–-]+$/g, '').trim();
      if (!/[A-Za-z]{3,}/.test(piece) || piece.length < 4 || other.includes(piece)) continue;
      pieces.add(piece);
    }
  }
  return [...pieces];
}

/** The English pieces found in `text`, once names that are data (model and rule ids, emails, rule names, files) are taken out. */
function englishIn(text: string, lang: 'nl' | 'sv', allow: readonly string[] = []): string[] {
  let rest = text.replace(/\S+@\S+/g, ' ').replace(/\([a-z0-9]+(-[a-z0-9]+)+\)/g, ' ');
  for (const a of ['b2b-starter', ...allow]) rest = rest.split(a).join(' ');
  return englishPieces(lang).filter((p) => new RegExp(`(^|[^\\p{L}])${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\p{L}])`, 'u').test(rest));
}

describe('numbers and the language from the environment', () => {
  it('formats figures as each language writes them, with a no-break space in Swedish', () => {
    expect(cli('en').num(1234.5)).toBe('1,234.5');
    expect(cli('nl').num(1234.5)).toBe('1.234,5');
    const sv = cli('sv').num(-1234.5);
    // A no-break space (never a plain one, so a number never wraps or splits) and a real minus sign.
    expect(sv).toMatch(/^−1[\u00a0\u202f]234,5$/);
    expect(cli('sv').pct(0.125, 1)).toMatch(/^12,5[\u00a0\u202f]%$/);
    expect(cli('nl').fixed(0.5, 3)).toBe('0,500');
    expect(cli('nl').day(Date.UTC(2026, 11, 4))).toBe('04-12-2026');
    expect(cli('sv').day(Date.UTC(2026, 11, 4))).toBe('2026-12-04');
    expect(cli('en').day(Date.UTC(2026, 11, 4))).toBe('2026-12-04');
    expect(cli('nl').duration(4200)).toBe('4,2 s');
  });

  it('takes the language from LC_ALL, then LC_MESSAGES, then LANG, and English for anything else', () => {
    expect(languageFromEnv({ LANG: 'nl_NL.UTF-8' })).toBe('nl');
    expect(languageFromEnv({ LANG: 'sv_SE.UTF-8' })).toBe('sv');
    expect(languageFromEnv({ LANG: 'nl_BE.UTF-8', LC_ALL: 'sv_FI.UTF-8' })).toBe('sv');
    expect(languageFromEnv({ LANG: 'nl_NL.UTF-8', LC_MESSAGES: 'C' })).toBe('en');
    expect(languageFromEnv({ LANG: 'nl_NL.UTF-8', LC_ALL: '' })).toBe('nl');
    expect(languageFromEnv({ LANG: 'de_DE.UTF-8' })).toBe('en');
    expect(languageFromEnv({ LANG: 'C.UTF-8' })).toBe('en');
    expect(languageFromEnv({})).toBe('en');
  });

  it('a report over 12,345 leads prints the count the reader\'s way', () => {
    const r: Report = { modelId: 'm', modelVersion: 2, at: Date.UTC(2026, 11, 4, 9, 30), leads: 12_345, won: 1_200, lost: 3, mqlsPerWeek: [], bands: [], stages: [], timeToMql: { count: 0, medianDays: null, p75Days: null }, timeToWon: { count: 0, medianDays: null, p75Days: null }, topRules: [], curves: [] };
    expect(formatReport(r, cli('nl'))).toMatch(/^Rapport: m v2, 12\.345 leads \(1\.200 gewonnen, 3 verloren\), per 4 dec 2026/);
    expect(formatReport(r, cli('sv')).split('\n')[0]).toMatch(/^Rapport: m v2, 12[\u00a0\u202f]345 leads \(1[\u00a0\u202f]200 vunna, 3 förlorade\)/);
    expect(formatReport(r, cli('en'))).toMatch(/^Report: m v2, 12,345 leads \(1,200 won, 3 lost\), as of 2026-12-04 09:30 UTC/);
  });
});

describe('--lang on the demo seed', () => {
  let server: TestServer;
  let dir: string;
  let files: string;
  beforeAll(async () => {
    server = await testServer('sqlite', undefined);
    const siteKey = await server.createKey({ role: 'site', site: 'demo', origins: [ORIGIN] });
    await seedDemo({ url: server.url, db: server.db, siteKey, adminToken: server.admin, origin: ORIGIN }, { seed: 1 });
    dir = server.options.dataDir!;
    await server.close();
    files = mkdtempSync(join(tmpdir(), 'leadglow-lang-'));
    // A predictive model, as `npm start` trains one: the report then has its curve, whose name the server gives in English.
    expect(await trainCommand(['--data', dir], capture())).toBe(0);
  }, 180_000);
  afterAll(async () => {
    await server?.cleanup();
    rmSync(files, { recursive: true, force: true });
  });

  it('the check finds English when the output is English', async () => {
    const io = capture();
    expect(await reportCommand(['--data', dir, '--weeks', '4', '--lang', 'en'], io)).toBe(0);
    const found = englishIn(io.stdout(), 'nl');
    expect(found).toContain('MQLs per week');
    expect(found.length).toBeGreaterThan(8);
  });

  for (const lang of ['nl', 'sv'] as const) {
    it(`${lang}: report has its headings, stage names and decimal commas, and no English`, async () => {
      const io = capture();
      expect(await reportCommand(['--data', dir, '--weeks', '6', '--lang', lang], io)).toBe(0);
      const text = io.stdout();
      expect(text).toMatch(lang === 'nl' ? /^Rapport: b2b-starter v1, 300 leads \(\d+ gewonnen, \d+ verloren\)/ : /^Rapport: b2b-starter v1, 300 leads \(\d+ vunna, \d+ förlorade\)/);
      expect(text).toContain(WORDS[lang].say('stageSalesReady'));
      expect(text).toContain(lang === 'nl' ? 'voorspellend (leads beslist na het trainen)' : 'prediktiv (leads avgjorda efter träningen)');
      expect(text).not.toMatch(/sales_ready|Sales-ready/);
      // AUC with a decimal comma, the progress label in the language.
      expect(text).toMatch(/\b0,\d{3}\b/);
      expect(text).not.toMatch(/\b0\.\d{3}\b/);
      expect(io.stderr()).toMatch(lang === 'nl' ? /^rapport .*300/m : /^rapport .*300/m);
      expect(englishIn(text, lang)).toEqual([]);
    });

    it(`${lang}: backtest words stages, moves and figures in the language, with no English`, async () => {
      const draft = join(files, `draft-${lang}.json`);
      const { writeFileSync } = await import('node:fs');
      writeFileSync(draft, JSON.stringify({ ...defaultModel, version: 2, thresholds: { ...defaultModel.thresholds, mql: { ...defaultModel.thresholds.mql, interest: 30 } } }));
      const io = capture();
      expect(await backtestCommand(['--data', dir, '--draft', draft, '--weeks', '4', '--lang', lang], io)).toBe(0);
      const text = io.stdout();
      expect(text).toContain(lang === 'nl' ? 'nu MQL of verder' : 'MQL eller längre nu');
      expect(text).toMatch(new RegExp(`${WORDS[lang].say('stageEngaged')} → MQL`));
      expect(englishIn(text, lang)).toEqual([]);
    });

    it(`${lang}: train --csv on the X Education sample reports in the language, with no English`, async () => {
      const io = capture();
      expect(await trainCommand(['--csv', XEDU, '--label', 'Converted', '--folds', '3', '--lang', lang], io)).toBe(0);
      const text = io.stdout();
      expect(text).toMatch(lang === 'nl' ? /^62 rijen, \d+ positief \(\d+,\d[\u00a0\u202f]?%\)/ : /^62 rader, \d+ positiva \(\d+,\d[\u00a0\u202f]%\)/);
      expect(text).toMatch(lang === 'nl' ? /gestratificeerde kruisvalidatie met 3 delen/ : /stratifierad korsvalidering med 3 delar/);
      // Column names are the file's own (English here): data, not language.
      const columns = readFileSync(XEDU, 'utf8').split('\n')[0]!.split(',');
      expect(englishIn(text, lang, columns)).toEqual([]);
    });

    it(`${lang}: the leads CSV has stable keys, ";" and decimal commas, and reasons in the language`, async () => {
      const io = capture({ LANG: lang === 'nl' ? 'nl_NL.UTF-8' : 'sv_SE.UTF-8' });
      expect(await leadsCommand(['--data', dir, '--limit', '40'], io)).toBe(0);
      const text = io.stdout();
      expect(text.startsWith('\ufeff')).toBe(true);
      expect(text).toContain('\r\n');
      const rows = parseCsv(text.slice(1), { delimiter: ';' }).map((r) => r.fields);
      expect(rows[0]).toEqual([...LEAD_COLUMNS]);
      expect(rows.length).toBeGreaterThan(20);
      const at = (name: (typeof LEAD_COLUMNS)[number]) => LEAD_COLUMNS.indexOf(name);
      for (const row of rows.slice(1)) {
        expect(row).toHaveLength(LEAD_COLUMNS.length);
        expect(['sales_ready', 'mql', 'engaged']).toContain(row[at('stage')]);
        expect(row[at('interest')]).toMatch(/^\d+(,\d)?$/);
        expect(row[at('fit')]).toMatch(/^\d+(,\d)?$/);
        expect(row[at('last_seen')]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d$/);
      }
      expect(rows.slice(1).some((r) => r[at('interest')]!.includes(','))).toBe(true);
      expect(rows[1]![at('stage_name')]).toBe(WORDS[lang].say('stageSalesReady'));
      const people = rows.slice(1).flatMap((r) => [r[at('name')]!, r[at('company')]!]);
      const prose = rows.slice(1).map((r) => [r[at('stage_name')], r[at('stage_reason')], r[at('next_step')], r[at('reasons')]].join('\n')).join('\n');
      expect(prose).toContain(lang === 'nl' ? 'bezocht' : 'besökte');
      // Page titles of the demo site are its content, in English as the site is.
      const pages = ['Pricing', 'Northwind', 'Book a demo', 'Contact sales', 'Whitepaper', 'Case study', 'Product', 'Careers', 'Blog'];
      expect(englishIn(prose, lang, [...people, ...pages])).toEqual([]);
    });
  }

  it('en: the leads CSV keeps "," and decimal points; --sep and --lang override the environment', async () => {
    const en = capture({ LANG: 'en_GB.UTF-8' });
    expect(await leadsCommand(['--data', dir, '--limit', '5'], en)).toBe(0);
    const rows = parseCsv(en.stdout().slice(1)).map((r) => r.fields);
    expect(rows[0]).toEqual([...LEAD_COLUMNS]);
    expect(rows[1]![LEAD_COLUMNS.indexOf('stage_name')]).toBe('Sales-ready');
    const mixed = capture({ LANG: 'sv_SE.UTF-8' });
    expect(await leadsCommand(['--data', dir, '--limit', '5', '--lang', 'nl', '--sep', 'tab'], mixed)).toBe(0);
    const tabbed = parseCsv(mixed.stdout().slice(1), { delimiter: '\t' }).map((r) => r.fields);
    expect(tabbed[1]![LEAD_COLUMNS.indexOf('stage_name')]).toBe(WORDS.nl.say('stageSalesReady'));
    const out = join(files, 'leads.csv');
    const toFile = capture();
    expect(await leadsCommand(['--data', dir, '--limit', '3', '--lang', 'sv', '--out', out], toFile)).toBe(0);
    expect(toFile.stdout()).toBe('');
    expect(toFile.stderr()).toMatch(/^3 leads written to .*leads\.csv \(separator ";", sv\)/);
    expect(readFileSync(out, 'utf8').split('\r\n')[0]).toBe(`\ufeff${LEAD_COLUMNS.join(';')}`);
  });

  it('refuses an unknown language, naming the choices, for every command', async () => {
    for (const run of [reportCommand, backtestCommand, trainCommand, leadsCommand]) {
      const io = capture();
      expect(await run(['--data', dir, '--lang', 'de'], io)).toBe(1);
      expect(io.stderr()).toMatch(/--lang: expected en, nl, sv, got "de"/);
      expect(io.stdout()).toBe('');
    }
  });
});

describe('leads CSV fields', () => {
  const lead = (name: string, company: string): Lead => ({
    id: 'l1',
    emails: ['+31-mail@example.nl'],
    name,
    company: { domain: 'example.nl', name: company },
    firstSeen: 0,
    lastSeen: Date.UTC(2026, 11, 4, 9, 30),
    scores: [
      {
        modelId: 'm',
        modelVersion: 1,
        fit: { score: 45, grade: 'C', excluded: false, reasons: [{ rule: 'r', label: { en: 'Senior', nl: 'Senior beslisser', sv: 'Senior beslutsfattare' }, points: -12.4, evidence: { kind: 'attribute', attribute: 'company.size', value: 1200 } }] },
        interest: { score: 72.46, asOf: 0, reasons: [] },
        stage: 'mql',
        stageReason: { kind: 'mql', interest: 72, threshold: 60, grade: 'C' },
      },
    ],
  });

  it('a cell that a spreadsheet would run as a formula stays text; separators and quotes are quoted', () => {
    const text = leadsCsv([lead('=HYPERLINK("http://evil.example","click")', 'Smith; Jones & "Co"')], { words: WORDS.sv, sep: ';' });
    const [header, row] = parseCsv(text.slice(1), { delimiter: ';' }).map((r) => r.fields);
    expect(header).toEqual([...LEAD_COLUMNS]);
    const at = (c: (typeof LEAD_COLUMNS)[number]) => row![LEAD_COLUMNS.indexOf(c)];
    expect(at('name')).toBe('\'=HYPERLINK("http://evil.example","click")');
    expect(at('email')).toBe("'+31-mail@example.nl");
    expect(at('company')).toBe('Smith; Jones & "Co"');
    expect(at('interest')).toBe('72,5');
    expect(at('last_seen')).toBe('2026-12-04 09:30');
    // Swedish words; the 1 200 inside a sentence keeps Swedish grouping, the rule name goes first so no cell starts with a sign.
    expect(at('reasons')).toMatch(/^Senior beslutsfattare \(-12\): Företagsstorlek: 1[\u00a0\u202f]200 anställda$/);
    expect(defuse('-1')).toBe("'-1");
    expect(defuse('@sum')).toBe("'@sum");
    expect(defuse('Anna')).toBe('Anna');
  });

  it('the Swedish group separator never appears in a number cell', () => {
    const text = leadsCsv([{ ...lead('Anna', 'Acme'), scores: [{ ...lead('a', 'b').scores[0]!, interest: { score: 1234.56, asOf: 0, reasons: [] } }] }], { words: WORDS.sv, sep: ';' });
    const row = parseCsv(text.slice(1), { delimiter: ';' })[1]!.fields;
    expect(row[LEAD_COLUMNS.indexOf('interest')]).toBe('1234,6');
    expect(row[LEAD_COLUMNS.indexOf('interest')]).not.toMatch(NBSP);
  });
});
