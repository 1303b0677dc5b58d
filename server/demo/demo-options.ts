// What a caller may choose about the demo history, and the defaults `npm start` uses.

export type DemoOptions = {
  /** PRNG seed (default 1). */
  seed?: number;
  /** Identified leads (default 300). */
  leads?: number;
  /** Visitors who never fill in a form (default 40% of leads). */
  anonymous?: number;
  /** How far back the history goes (default 90). */
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

export function resolveDemoOptions(options: DemoOptions): DemoSettings {
  const leads = options.leads ?? 300;
  return {
    seed: options.seed ?? 1,
    leads,
    anonymous: options.anonymous ?? Math.round(leads * 0.4),
    days: options.days ?? 90,
    // Whole milliseconds: event timestamps are integers.
    now: Math.floor(options.now),
    origin: (options.origin ?? DEFAULT_DEMO_ORIGIN).replace(/\/+$/, ''),
    site: options.site ?? 'demo',
  };
}
