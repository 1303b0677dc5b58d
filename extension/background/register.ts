import { browser } from 'wxt/browser';
import type { SiteId } from '../../shared/contracts/messages.ts';
import { siteById } from '../sites/index.ts';

// Content scripts for the sites the rep enabled, registered at run time. Host access is
// optional: a site whose permission was not granted (or was revoked) is left out.
const PREFIX = 'leadglow-';
export const FINDER_JS = 'content-scripts/finder.js';

export function matchesFor(sites: readonly SiteId[], origins: readonly string[]): { id: string; matches: string[] }[] {
  const named = sites.filter((s) => s !== 'generic').map((s) => ({ id: PREFIX + s, matches: siteById(s).matches }));
  const custom = origins.map((o, i) => ({ id: `${PREFIX}origin-${i}`, matches: [`${o.replace(/\/+$/, '')}/*`] }));
  return [...named, ...custom];
}

export async function registerFinders(sites: readonly SiteId[], origins: readonly string[]): Promise<string[]> {
  const existing = await browser.scripting.getRegisteredContentScripts();
  const ours = existing.map((s) => s.id).filter((id) => id.startsWith(PREFIX));
  if (ours.length) await browser.scripting.unregisterContentScripts({ ids: ours });
  const wanted = [];
  for (const w of matchesFor(sites, origins)) {
    if (await browser.permissions.contains({ origins: w.matches })) wanted.push(w);
  }
  if (wanted.length) {
    await browser.scripting.registerContentScripts(
      wanted.map((w) => ({ id: w.id, matches: w.matches, js: [FINDER_JS], runAt: 'document_idle' as const, persistAcrossSessions: true })),
    );
  }
  return wanted.map((w) => w.id);
}
