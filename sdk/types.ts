import type { Event, Props, Traits, Utm } from '../shared/contracts/event.ts';

// Types only: the contracts are zod schemas, and zod must never reach the browser bundle.
export type { Props, Traits, Utm };
export type LgEvent = Event;

/** Fields every event gets from the core; capture modules send the rest. */
type Base = 'id' | 'ts' | 'site' | 'anonymousId' | 'sessionId';
type Without<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type EventInput = Without<LgEvent, Base | 'url'> & { url?: string };
export type Emit = (input: EventInput) => LgEvent | undefined;

export type ConsentMode = 'required' | 'anonymous-until-consent' | 'none';

/**
 * Options for `init()`. The snippet takes the same names as data-* attributes
 * (`respectDnt` is `data-respect-dnt`); a bare attribute means true.
 */
export interface Options {
  /** Public site key. Required. */
  site: string;
  /** Origin that receives `POST /v1/events`. Default: the script's own origin (snippet) or the page's (npm). */
  server?: string;
  /** `required`: nothing stored or sent before `consent('granted')`. `anonymous-until-consent`: sent, with in-memory ids only. Default `none`. */
  consent?: ConsentMode;
  /** Never persist an identifier: ids live in memory for one page load. */
  cookieless?: boolean;
  /** File extensions that count as downloads, replacing the default list: `['pdf', 'zip']` or `"pdf,zip"`. */
  downloads?: string[] | string;
  /** Page views on pushState/replaceState/popstate. Default true. */
  spa?: boolean;
  /** Treat `#/route` changes as page views (hash routers). Default false. */
  hash?: boolean;
  /** Honour Do-Not-Track. Default true; the site owner may turn it off. */
  respectDnt?: boolean;
  /** Honour Global Privacy Control. Default true. */
  respectGpc?: boolean;
  /** Track browsers driven by automation (`navigator.webdriver`). Default false; tests set it. */
  allowAutomation?: boolean;
  /** Flush as soon as this many events wait. Default 10. */
  batchSize?: number;
  /** Flush waiting events after this many ms. Default 1000. */
  flushInterval?: number;
  /** Most events kept (in memory and in the outbox) while the server is unreachable; older ones are dropped first and counted. Default 500. */
  outboxLimit?: number;
}

/** Options after checking: a server origin and a known consent mode. */
export type Config = Options & { server: string; consent: ConsentMode };

/** Counters a site can read (`stats()`), so losses are visible rather than silent. */
export interface Stats {
  /** Events the server refused (4xx, or listed in `rejected`): dropped, never retried. */
  rejected: number;
  /** Events dropped, oldest first, because more than `outboxLimit` waited while the server was unreachable. */
  dropped: number;
}

declare global {
  // Build flag: `true` in the core variant, which ships without the IndexedDB outbox.
  // Read through globalThis so unit tests (no define) see `undefined` and get the full build.
  var LEADGLOW_CORE: boolean | undefined;
}
