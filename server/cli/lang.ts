import { WORDS, isLanguage, LANGUAGES, type Language } from '../../shared/scoring/languages.ts';
import { fill, type Words } from '../../shared/scoring/wording.ts';
import { duration as englishDuration } from './progress.ts';
import { CLI_EN, type CliKey } from './words-cli-en.ts';
import { CLI_NL } from './words-cli-nl.ts';
import { CLI_SV } from './words-cli-sv.ts';

// The language of the CLI's tables and the leads CSV: `--lang en|nl|sv`, else the
// environment's locale (LC_ALL, LC_MESSAGES, LANG, as POSIX orders them) when it is one of
// those, else English. Reasons, stages and next steps come from the shared wording catalogues;
// headings and sentences of the CLI's own from words-cli-*.ts. Numbers, percentages, dates and
// durations follow the language through Intl (nl 1.234,5; sv 1 234,5 with a no-break space and
// a real minus sign), so columns of figures line up as the reader expects.

export type Cli = {
  lang: Language;
  /** Reasons, stage names, next steps (shared/scoring/wording.ts). */
  words: Words;
  say(key: CliKey, subs?: readonly (string | number)[]): string;
  /** A figure with at most `digits` decimals; `–` for none. */
  num(x: number | null | undefined, digits?: number): string;
  /** A figure with exactly `digits` decimals (AUC, log loss): columns of them align. */
  fixed(x: number | null | undefined, digits: number): string;
  pct(x: number | null | undefined, digits?: number): string;
  /** A day (UTC): ISO in English, as before; the reader's short date in nl and sv. */
  day(at: number): string;
  dateTime(at: number): string;
  duration(ms: number): string;
};

const CATALOGUES: Record<Language, Record<CliKey, string>> = { en: CLI_EN, nl: CLI_NL, sv: CLI_SV };

/** `nl_NL.UTF-8` → nl; C, POSIX and other languages → en. */
export function languageFromEnv(env: Record<string, string | undefined>): Language {
  // The first variable that is set decides, even when it names another language: LC_ALL=de_DE means German (so English here), not LANG's.
  const tag = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v !== '') ?? '';
  const base = tag.slice(0, 2).toLowerCase();
  return isLanguage(base) && !/^[a-z]{3}/i.test(tag) ? base : 'en';
}

/** `--lang` if given (an error naming the choices if it is not one of them), else the environment's. */
export function chooseLanguage(flag: string | undefined, env: Record<string, string | undefined>): Language {
  if (flag === undefined) return languageFromEnv(env);
  const v = flag.trim().toLowerCase();
  if (!isLanguage(v)) throw new Error(`--lang: expected ${LANGUAGES.join(', ')}, got "${flag.slice(0, 40)}"`);
  return v;
}

export function cli(lang: Language): Cli {
  const catalogue = CATALOGUES[lang];
  const dash = '–';
  return {
    lang,
    words: WORDS[lang],
    say: (key, subs) => fill(catalogue[key], subs?.map(String)),
    num: (x, digits = 1) => (x === null || x === undefined ? dash : new Intl.NumberFormat(lang, { maximumFractionDigits: digits }).format(x)),
    fixed: (x, digits) => (x === null || x === undefined ? dash : new Intl.NumberFormat(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(x)),
    pct: (x, digits = 0) => (x === null || x === undefined ? dash : new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: digits, minimumFractionDigits: digits }).format(x)),
    day: (at) => (lang === 'en' ? new Date(at).toISOString().slice(0, 10) : new Intl.DateTimeFormat(lang, { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }).format(at)),
    dateTime: (at) =>
      lang === 'en'
        ? `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`
        : new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC', timeZoneName: 'short' }).format(at),
    duration: (ms) => {
      if (lang === 'en' || !Number.isFinite(ms) || ms < 0) return englishDuration(ms);
      // SI symbols, the same in all three languages; the figure in the language's format.
      const figure = (n: number, digits: number) => new Intl.NumberFormat(lang, { maximumFractionDigits: digits }).format(n);
      if (ms < 999.5) return `${figure(Math.round(ms), 0)} ms`;
      if (ms < 59_950) return `${figure(ms / 1000, 1)} s`;
      return `${figure(ms / 60_000, 1)} min`;
    },
  };
}

/** Reads `--lang` out of `args` (as `--lang X` or `--lang=X`), for commands that parse the rest themselves. */
export function takeLang(args: readonly string[]): { lang: string | undefined; rest: string[] } {
  const rest: string[] = [];
  let lang: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--lang') lang = args[++i] ?? '';
    else if (a.startsWith('--lang=')) lang = a.slice(7);
    else rest.push(a);
  }
  return { lang, rest };
}
