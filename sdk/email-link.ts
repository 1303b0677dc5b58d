import { cut, loc } from './dom.ts';
// An email link carries `lg_t`, a signed token the server resolves to a lead.

/**
 * Takes the token out of the address bar before anything else runs, so it never lands in a
 * page_view URL, a bookmark or a link the visitor shares.
 */
export function takeEmailToken(): string | undefined {
  const u = new URL(loc.href);
  const q = u.searchParams;
  const t = q.get('lg_t');
  if (t == null) return;
  q.delete('lg_t');
  history.replaceState(history.state, '', u.href);
  return cut(t) || undefined;
}
