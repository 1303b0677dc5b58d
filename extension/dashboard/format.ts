import type { RuleList } from '../../shared/contracts/admin.ts';
import { t, uiLanguage, type MessageKey } from '../i18n.ts';

// Numbers and dates for the dashboard, in the browser's language.

export const percent = (x: number | null | undefined, digits = 0): string =>
  x === null || x === undefined ? '–' : new Intl.NumberFormat(uiLanguage(), { style: 'percent', maximumFractionDigits: digits }).format(x);

export const decimal = (x: number | null | undefined, digits = 3): string =>
  x === null || x === undefined ? '–' : new Intl.NumberFormat(uiLanguage(), { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(x);

/** Days and mean points: at most one decimal, none when whole. */
export const short = (x: number | null | undefined): string =>
  x === null || x === undefined ? '–' : new Intl.NumberFormat(uiLanguage(), { maximumFractionDigits: 1 }).format(x);

export const count = (x: number): string => new Intl.NumberFormat(uiLanguage()).format(x);

export const day = (at: number): string => new Intl.DateTimeFormat(uiLanguage(), { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(at);

export const dateTime = (at: number): string => new Intl.DateTimeFormat(uiLanguage(), { dateStyle: 'medium', timeStyle: 'short' }).format(at);

/** Weeks start on Monday 00:00 UTC: label them by that day. */
export const weekLabel = (week: number): string => new Intl.DateTimeFormat(uiLanguage(), { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(week);

const LISTS: Record<RuleList, MessageKey> = { fitRules: 'dbFitRules', interestRules: 'dbInterestRules', negativeRules: 'dbNegativeRules', handRaise: 'dbHandRaise' };
export const listLabel = (list: RuleList): string => t(LISTS[list]);

/** A value in a change line: short JSON. */
export function shortJson(v: unknown): string {
  if (v === undefined) return '–';
  const s = JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}
