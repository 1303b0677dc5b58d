import { uiLanguage } from '../../i18n.ts';

// "since Tuesday": when a tag's state began, as a person says it. Today and yesterday by name,
// the last six days by weekday, older by date (with the year when it is not this year), in the
// reader's language and time zone.

const DAY_MS = 86_400_000;

/** Midnight (local) of the day `at` falls on. */
const startOfDay = (at: number): number => {
  const d = new Date(at);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
};

export function sinceDay(at: number, now: number, lang: string = uiLanguage()): string {
  // Rounded: a day with a daylight-saving change is 23 or 25 hours long.
  const days = Math.round((startOfDay(now) - startOfDay(at)) / DAY_MS);
  if (days <= 1 && days >= 0) return new Intl.RelativeTimeFormat(lang, { numeric: 'auto' }).format(-days, 'day');
  if (days > 1 && days < 7) return new Intl.DateTimeFormat(lang, { weekday: 'long' }).format(at);
  const sameYear = new Date(at).getFullYear() === new Date(now).getFullYear();
  return new Intl.DateTimeFormat(lang, { day: 'numeric', month: 'long', ...(sameYear ? {} : { year: 'numeric' }) }).format(at);
}
