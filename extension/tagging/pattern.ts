import { globMatches } from '../../shared/scoring/glob.ts';

// Page tags are path globs. The form proposes the page's own path and, for a page inside a
// section, the whole section (`/case-studies/acme` -> `/case-studies/*`).

export function proposals(path: string): string[] {
  const clean = path.split(/[?#]/)[0] || '/';
  const parts = clean.split('/').filter(Boolean);
  const out = [clean];
  if (parts.length >= 2) out.push(`/${parts.slice(0, -1).join('/')}/*`);
  if (parts.length >= 1 && !out.includes(`/${parts[0]}*`)) out.push(`/${parts[0]}*`);
  return out;
}

export const pathMatches = (glob: string, path: string): boolean => globMatches(glob, path);
