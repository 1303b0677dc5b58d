// First-party storage: localStorage only. Browsers block localStorage exactly when they block
// the site's cookies (one "site data" setting in Chrome, Firefox and Safari), so a cookie
// fallback (~90 bytes for every visitor) would almost never run. Where storage throws anyway
// (old Safari private mode, storage turned off), ids live in memory for the page: the visit
// still counts, it is just not joined to the next one.

export function read(key: string): string | null | undefined {
  try {
    return localStorage.getItem(key);
  } catch {}
}

/** Writes `value`, or removes the key when it is undefined. */
export function write(key: string, value?: string): void {
  try {
    value == null ? localStorage.removeItem(key) : localStorage.setItem(key, value);
  } catch {}
}
