import type { Reason, Stage } from '../../shared/index.ts';
import { ruleName, stageName, wordReasonEvidence } from '../../shared/scoring/wording.ts';
import { t, uiLanguage, words } from '../i18n.ts';

// Numbers, ages and labels in the browser's language.

const DAY = 86_400_000;

export function ago(at: number, now = Date.now()): string {
  const rtf = new Intl.RelativeTimeFormat(uiLanguage(), { numeric: 'auto' });
  const s = Math.round((at - now) / 1000);
  const abs = Math.abs(s);
  if (abs < 60) return rtf.format(0, 'second');
  if (abs < 3600) return rtf.format(Math.round(s / 60), 'minute');
  if (abs < 22 * 3600) return rtf.format(Math.round(s / 3600), 'hour');
  if (abs < 30 * 86_400) return rtf.format(Math.round(s / 86_400), 'day');
  return rtf.format(Math.round(s / (30 * 86_400)), 'month');
}

/** "Tuesday" within the last week, "today"/"yesterday", else a date. */
export function dayLabel(at: number, now = Date.now()): string {
  const lang = uiLanguage();
  const start = (x: number) => new Date(x).setHours(0, 0, 0, 0);
  const days = Math.round((start(now) - start(at)) / DAY);
  if (days <= 1) return capitalize(new Intl.RelativeTimeFormat(lang, { numeric: 'auto' }).format(-days, 'day'));
  if (days < 7) return capitalize(new Intl.DateTimeFormat(lang, { weekday: 'long' }).format(at));
  return new Intl.DateTimeFormat(lang, { day: 'numeric', month: 'short', year: days > 300 ? 'numeric' : undefined }).format(at);
}

export function minutes(ms: number): string {
  const lang = uiLanguage();
  if (ms < 60_000) return new Intl.NumberFormat(lang, { style: 'unit', unit: 'second', unitDisplay: 'short' }).format(Math.round(ms / 1000));
  return new Intl.NumberFormat(lang, { style: 'unit', unit: 'minute', unitDisplay: 'short' }).format(Math.round(ms / 60_000));
}

export function points(n: number): string {
  const r = Math.round(n);
  return r > 0 ? `+${num(r)}` : r < 0 ? `−${num(-r)}` : '0';
}

/** A number in the reader's format: "1.234" in Dutch, "1 234" in Swedish. */
export function num(n: number, digits = 0): string {
  return new Intl.NumberFormat(uiLanguage(), { maximumFractionDigits: digits }).format(n);
}

/**
 * A reason under its rule's name: what was seen, how often, when: "visited Pricing (/pricing),
 * 3 times · 2 days ago". Profile facts have no time: "Job title: “CTO”".
 */
export function reasonLine(r: Reason, now = Date.now()): string {
  const text = wordReasonEvidence(r, words);
  return r.at === undefined ? text : `${text} · ${ago(r.at, now)}`;
}

export const reasonName = (r: Reason) => ruleName(r.label, words);

export const stageLabel = (s: Stage) => stageName(s, words);

/** Hot list order: closest to a sale first. */
export const STAGE_RANK: Record<Stage, number> = { sales_ready: 0, mql: 1, engaged: 2, known: 3, customer: 4, anonymous: 5, disqualified: 6 };

function capitalize(s: string): string {
  return s.charAt(0).toLocaleUpperCase() + s.slice(1);
}
