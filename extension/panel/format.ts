import type { Reason, Stage } from '../../shared/index.ts';
import { t, uiLanguage, type MessageKey } from '../i18n.ts';

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
  return r > 0 ? `+${r}` : r < 0 ? `−${-r}` : '0';
}

/**
 * Behaviour reads best as what happened and when: "+18 visited Pricing (/pricing) (2 days ago)";
 * a profile fact needs its rule's name: "+30 Senior decision maker: jobTitle "CTO"".
 */
export function reasonLine(r: Reason, now = Date.now()): string {
  if (r.at === undefined) return `${points(r.points)} ${r.label}: ${r.evidence}`;
  const times = r.count && r.count > 1 ? ` ×${r.count}` : '';
  return `${points(r.points)} ${r.evidence}${times} (${ago(r.at, now)})`;
}

const STAGE_KEYS: Record<Stage, MessageKey> = {
  anonymous: 'stageAnonymous',
  known: 'stageKnown',
  engaged: 'stageEngaged',
  mql: 'stageMql',
  sales_ready: 'stageSalesReady',
  customer: 'stageCustomer',
  disqualified: 'stageDisqualified',
};
export const stageLabel = (s: Stage) => t(STAGE_KEYS[s]);

/** Hot list order: closest to a sale first. */
export const STAGE_RANK: Record<Stage, number> = { sales_ready: 0, mql: 1, engaged: 2, known: 3, customer: 4, anonymous: 5, disqualified: 6 };

function capitalize(s: string): string {
  return s.charAt(0).toLocaleUpperCase() + s.slice(1);
}
