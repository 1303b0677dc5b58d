import { read, write } from './storage.ts';

// A random first-party id per browser and a session id that rotates after 30 minutes of
// inactivity. Nothing is derived from the device: no fingerprinting.
export const SESSION_MS = 30 * 60_000;
// One key holds "anonymousId.sessionId.lastActivity": one read and one write per event.
const KEY = 'lg_id';

/**
 * A UUID v7: 48 bits of milliseconds, then random bits, so ids sort by creation time. Smaller
 * than shared/ids.ts (which the server uses): two random nibbles become the version and variant.
 */
export function uuid(now: number): string {
  let hex = now.toString(16).padStart(12, '0');
  for (const b of crypto.getRandomValues(new Uint8Array(10))) hex += (b + 256).toString(16).slice(1);
  return hex.replace(/^(.{8})(.{4}).(.{3}).(.{3})/, '$1-$2-7$3-8$4-');
}

let anon = '';
let session = '';
let last = 0;
let persist = false;

/** The ids for an event at `now`; counts as activity for the session. */
export function ids(now: number): [anonymousId: string, sessionId: string] {
  // Read every time: another tab may have moved the session on.
  const saved = persist && read(KEY)?.split('.');
  if (saved) {
    anon = saved[0] || anon;
    session = saved[1] || '';
    last = +saved[2]! || 0;
  }
  anon ||= uuid(now);
  if (!session || now - last > SESSION_MS) {
    session = uuid(now);
    last = 0;
  }
  // Storage writes are the costly part of an event: activity is kept to the nearest 5 s.
  if (now - last > 5000 || (persist && !saved)) {
    last = now;
    if (persist) write(KEY, anon + '.' + session + '.' + now);
  }
  return [anon, session];
}

/**
 * Switches between stored and in-memory ids. Turning persistence on keeps the in-memory ids,
 * so a visit made anonymously joins the same history once consent arrives; turning it off
 * erases what was stored.
 */
export function persistIds(on: boolean): void {
  persist = on;
  if (!on) write(KEY);
  else if (anon) ids(Date.now());
}
