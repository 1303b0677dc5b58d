import { LIMITS } from '../../shared/contracts/event.ts';

// What a caller may choose about the demo history, the defaults `npm start` uses, and the
// checks that keep a choice from producing a history that is quietly wrong.

export type DemoOptions = {
  /** PRNG seed (default 1). */
  seed?: number;
  /** Identified leads (default 300). */
  leads?: number;
  /** Visitors who never fill in a form (default 40% of leads). */
  anonymous?: number;
  /** How far back the history goes (default 90, at least MIN_DEMO_DAYS). */
  days?: number;
  /** The end of the history, ms (default: required for determinism; seedDemo uses Date.now()). */
  now: number;
  /** The demo site's origin, for event URLs (default http://127.0.0.1:8788). */
  origin?: string;
  /** The site id written in events (default "demo"). */
  site?: string;
};

export type DemoSettings = Required<DemoOptions>;

export const DEFAULT_DEMO_ORIGIN = 'http://127.0.0.1:8788';

/** The longest story (a dormant lead) starts up to 60 days back and needs two more days. */
export const MIN_DEMO_DAYS = 62;
const MAX_PEOPLE = 100_000;

/** The options with their defaults; a choice the generator cannot honour is a RangeError naming it. */
export function resolveDemoOptions(options: DemoOptions): DemoSettings {
  const leads = options.leads ?? 300;
  const settings: DemoSettings = {
    seed: options.seed ?? 1,
    leads,
    anonymous: options.anonymous ?? Math.round(leads * 0.4),
    days: options.days ?? 90,
    // Whole milliseconds: event timestamps are integers.
    now: Math.floor(options.now),
    origin: (options.origin ?? DEFAULT_DEMO_ORIGIN).replace(/\/+$/, ''),
    site: options.site ?? 'demo',
  };
  if (!Number.isFinite(options.now)) throw new RangeError(`demo option now: expected a time in ms, got ${options.now}`);
  if (!Number.isSafeInteger(settings.seed)) throw new RangeError(`demo option seed: expected an integer, got ${settings.seed}`);
  for (const name of ['leads', 'anonymous'] as const) {
    const v = settings[name];
    if (!Number.isInteger(v) || v < 0 || v > MAX_PEOPLE) throw new RangeError(`demo option ${name}: expected a whole number from 0 to ${MAX_PEOPLE}, got ${v}`);
  }
  if (!Number.isInteger(settings.days) || settings.days < MIN_DEMO_DAYS || settings.days > 3650) {
    throw new RangeError(`demo option days: expected a whole number from ${MIN_DEMO_DAYS} to 3650, got ${settings.days}`);
  }
  if (!isHttpOrigin(settings.origin)) throw new RangeError(`demo option origin: expected an http(s) origin such as ${DEFAULT_DEMO_ORIGIN}, got "${options.origin}"`);
  if (settings.site.length < 1 || settings.site.length > LIMITS.key) throw new RangeError(`demo option site: expected 1 to ${LIMITS.key} characters, got "${settings.site}"`);
  return settings;
}

function isHttpOrigin(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === s;
  } catch {
    return false;
  }
}
