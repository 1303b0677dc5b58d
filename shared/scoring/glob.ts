// URL helpers for event matchers: cheap enough for millions of events per second
// (no `new URL()` on the hot path).
//
// Globs never become regular expressions. A glob `p0*p1*…*pk` holds when the text starts with
// p0, ends with pk, and p1…p(k-1) occur in order in between; taking each middle part at its
// leftmost place is always right (a later place only leaves less room for the rest), so one
// left-to-right pass decides it with no backtracking. A backtracking regex for `*a*a*…*b`
// instead tries every split and froze the server on one 30-character path (issue 18).

/** Longest text a glob is tested against; longer text never matches (URLs are at most 2,048). */
export const MAX_GLOB_TEXT = 4096;

/** The path of an absolute URL, without query or fragment: `https://a.com/x/y?q#h` → `/x/y`. */
export function pathOf(url: string): string {
  const scheme = url.indexOf('://');
  const start = url.indexOf('/', scheme < 0 ? 0 : scheme + 3);
  if (start < 0) return '/';
  let end = url.length;
  const q = url.indexOf('?', start);
  if (q >= 0) end = q;
  const h = url.indexOf('#', start);
  if (h >= 0 && h < end) end = h;
  return url.slice(start, end);
}

/**
 * A test for lowercased text against a glob where `*` is any run of characters, matched whole
 * and ignoring case. Time is linear in the text for each part of the glob: no backtracking.
 */
export function globMatcher(glob: string): (lowercased: string) => boolean {
  const parts = glob.toLowerCase().split('*');
  if (parts.length === 1) {
    const whole = parts[0]!;
    return (t) => t === whole;
  }
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  const middle = parts.slice(1, -1).filter((p) => p.length > 0);
  const least = first.length + last.length + middle.reduce((n, p) => n + p.length, 0);
  // The common shapes (`/x*`, `*x*`, `*x`) stay single string calls on the hot path.
  if (middle.length === 0) {
    if (first === '' && last === '') return (t) => t.length <= MAX_GLOB_TEXT;
    if (last === '') return (t) => t.length <= MAX_GLOB_TEXT && t.startsWith(first);
    if (first === '') return (t) => t.length <= MAX_GLOB_TEXT && t.endsWith(last);
    return (t) => t.length >= least && t.length <= MAX_GLOB_TEXT && t.startsWith(first) && t.endsWith(last);
  }
  if (first === '' && last === '' && middle.length === 1) {
    const inner = middle[0]!;
    return (t) => t.length <= MAX_GLOB_TEXT && t.includes(inner);
  }
  return (t) => {
    if (t.length < least || t.length > MAX_GLOB_TEXT) return false;
    if (!t.startsWith(first) || !t.endsWith(last)) return false;
    const end = t.length - last.length;
    let at = first.length;
    for (const part of middle) {
      const found = t.indexOf(part, at);
      if (found < 0 || found + part.length > end) return false;
      at = found + part.length;
    }
    return true;
  };
}

/** Whether `text` (any case) matches `glob` (any case); compiles the glob on every call. */
export const globMatches = (glob: string, text: string): boolean => globMatcher(glob)(text.toLowerCase());
