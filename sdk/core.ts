import { downloadPattern, resolveConfig } from './config.ts';
import { blocked, canPersist, canSend, initConsent, setConsent, setOptOut } from './consent.ts';
import { cut, doc, guard, loc, on, win } from './dom.ts';
import { watchDownloads } from './downloads.ts';
import { takeEmailToken } from './email-link.ts';
import { beginEngagement, reportEngagement, resumeEngagement } from './engagement.ts';
import { watchForms } from './forms.ts';
import { ids, persistIds, uuid } from './identity.ts';
import { createOutbox } from './outbox.ts';
import { pageview, watchNavigation } from './pageview.ts';
import { createQueue, type Queue } from './queue.ts';
import { fetchTags, watchTaggedClicks } from './tags.ts';
import { send } from './transport.ts';
import type { Config, EventInput, LgEvent, Options, Props, Stats, Traits } from './types.ts';

// The core wires configuration, privacy, identity and delivery to the capture modules.
// Every public entry point is guarded: nothing here may throw into the host page.

let cfg: Config | undefined;
let queue: Queue | undefined;
let token: string | undefined;

export const stats: Stats = { rejected: 0, dropped: 0 };

/** Completes an event with id, time, site, ids and URL, and queues it, if tracking is allowed now. */
export function emit(input: EventInput): LgEvent | undefined {
  if (!cfg || !canSend()) return;
  const now = Date.now();
  const [anonymousId, sessionId] = ids(now);
  const e = { id: uuid(now), ts: now, site: cfg.site, anonymousId, sessionId, url: cut(loc.href, 2048), ...input } as LgEvent;
  queue!.push_(e);
  return e;
}

function page(): void {
  const pv = pageview(emit, cfg!.hash, reportEngagement);
  if (pv) beginEngagement(pv, emit);
}

/** Tracking may begin: at start, or when consent arrives. */
function begin(): void {
  if (token) emit({ type: 'identify', traits: {}, token, source: 'email_link' });
  token = undefined;
  page();
  // Last: a browser without fetch throws here, after the page view is queued (beacon fallback).
  fetchTags(cfg!.server, cfg!.site);
}

function hide(): void {
  reportEngagement();
  queue?.flush_(true);
}

export const start = guard((options: Options, origin: string = loc.origin) => {
  const w = win as { __leadglow?: 1 };
  // Loaded twice (snippet pasted twice, snippet plus npm): the first copy keeps tracking.
  if (w.__leadglow) return;
  w.__leadglow = 1;
  const c = resolveConfig(options, origin);
  if (!c) return;
  // Strip the email token even when we will not track: it must not linger in the address bar.
  token = takeEmailToken();
  if (blocked(c)) return;
  initConsent(c);
  persistIds(canPersist());
  const limit = +c.outboxLimit! || 500;
  queue = createQueue({
    size_: +c.batchSize! || 10,
    delay_: +c.flushInterval! || 1000,
    limit_: limit,
    outbox_: createOutbox(canPersist(), limit),
    drop_: (n) => (stats.dropped += n),
    send_: (events) => send(c.server + '/v1/events', events, stats),
  });
  cfg = c;
  if (c.spa !== false) watchNavigation(page, c.hash);
  watchDownloads(downloadPattern(c.downloads), emit);
  watchForms(emit);
  watchTaggedClicks(emit);
  on(doc, 'visibilitychange', () => (doc.hidden ? hide() : resumeEngagement()));
  on(win, 'pagehide', hide);
  on(win, 'online', () => queue!.flush_());
  // Events a previous page could not deliver.
  queue.drain_();
  if (canSend()) begin();
});

const str = (v: unknown) => (v == null ? undefined : cut(v));

/** A custom event. Props keep strings, numbers, booleans and null, cut to the contract's limits. */
export const track = guard((name: string, props?: Record<string, unknown>) => {
  let clean: Props | undefined;
  let n = 0;
  for (const k in props) {
    const v = props[k] as string;
    if (n < 20 && (v === null || 'string number boolean'.includes(typeof v)) && ++n) (clean ||= {})[cut(k, 40)] = v?.slice?.(0, 500) ?? v;
  }
  if (name) emit({ type: 'custom', name: cut(name, 40), props: clean });
});

/** Ties this visitor to a lead. Needs an email address; other traits are optional. */
export const identify = guard((t: Traits) => {
  if (t?.email)
    emit({
      type: 'identify',
      traits: { email: cut(t.email, 254), name: str(t.name), company: str(t.company), jobTitle: str(t.jobTitle) },
      source: 'api',
    });
});

/** The visitor's consent answer, from the site's consent banner. */
export const consent = guard((state: 'granted' | 'denied') => {
  if (!cfg) return;
  const yes = state === 'granted';
  setConsent(yes);
  persistIds(canPersist());
  if (yes) begin();
  else if (!canSend()) queue!.clear_();
});

/** Stops all tracking in this browser, now and on later visits, and erases stored ids and the outbox. */
export const optOut = guard(() => {
  setOptOut();
  persistIds(false);
  queue?.clear_();
  cfg = undefined;
});

// biome-ignore lint/suspicious/noExplicitAny: the queue's arguments are untyped by nature; each command is guarded and checks its own
const commands: Record<string, (...a: any[]) => void> = { track, identify, consent, optOut };

/** `leadglow('track', name, props)` and friends, from the snippet's queue. */
export const command = guard((args: ArrayLike<unknown>) => {
  const [name, ...rest] = Array.from(args);
  commands[name as string]?.(...rest);
});
