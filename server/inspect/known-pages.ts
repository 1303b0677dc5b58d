import type { Kysely } from 'kysely';
import { keyOrigins } from '../auth/api-keys.ts';
import { storedUrl } from '../db/event-rows.ts';
import type { DB } from '../db/schema.ts';

// The pages the server knows: addresses its snippets reported in page views, on the origins
// the operator allowed for a site key (`leadglow keys create --site --origin`). The dashboard's
// page check offers them to pick from; pages on those origins are fetched even from a private
// address (routes/inspect.ts): the operator named the origin, as LEADGLOW_WEBHOOK_ALLOW_PRIVATE
// names every private target for a webhook.

/** Page views read, newest first: enough to know a site's pages without reading all history. */
const RECENT = 50_000;
const BATCH = 5_000;
const CACHE_MS = 60_000;

export type KnownPage = { url: string; views: number };

/** `https://www.example.com/pricing?x#y` -> `https://www.example.com/pricing` (lowercase origin), or undefined. */
export function pageKey(url: string): string | undefined {
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    return `${u.origin}${u.pathname}`;
  } catch {
    return undefined;
  }
}

const caches = new WeakMap<object, { at: number; pages: Promise<KnownPage[]> }>();

/** Known pages, most viewed first; kept a minute (`owner` keys the cache, one per server). */
export function knownPages(owner: object, db: Kysely<DB>, now: number): Promise<KnownPage[]> {
  const cached = caches.get(owner);
  if (cached && now - cached.at < CACHE_MS) return cached.pages;
  const pages = readKnownPages(db);
  caches.set(owner, { at: now, pages });
  pages.catch(() => caches.delete(owner));
  return pages;
}

/** The origins of the operator's sites: every origin a live site key allows, lowercased. */
export async function siteOrigins(db: Kysely<DB>): Promise<Set<string>> {
  const keys = await db.selectFrom('keys').select(['id', 'origins']).where('role', '=', 'site').where('revoked_at', 'is', null).execute();
  // A key whose origins do not decode fails the page check, naming the key (auth/api-keys.ts).
  return new Set(keys.flatMap((k) => keyOrigins(k).map((o) => o.toLowerCase())));
}

async function readKnownPages(db: Kysely<DB>): Promise<KnownPage[]> {
  const origins = await siteOrigins(db);
  const views = new Map<string, number>();
  let before: { ts: number; id: string } | undefined;
  for (let read = 0; read < RECENT; read += BATCH) {
    let q = db.selectFrom('events').select(['id', 'ts', 'body']).where('type', '=', 'page_view');
    if (before) {
      const b = before;
      q = q.where((eb) => eb.or([eb('ts', '<', b.ts), eb.and([eb('ts', '=', b.ts), eb('id', '<', b.id)])]));
    }
    const rows = await q.orderBy('ts', 'desc').orderBy('id', 'desc').limit(BATCH).execute();
    for (const r of rows) {
      const url = storedUrl(r.body);
      const key = url !== undefined ? pageKey(url) : undefined;
      if (key && origins.has(new URL(key).origin.toLowerCase())) views.set(key, (views.get(key) ?? 0) + 1);
    }
    if (rows.length < BATCH) break;
    before = { ts: rows[rows.length - 1]!.ts, id: rows[rows.length - 1]!.id };
    // Let requests in between pages of rows.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return [...views].map(([url, n]) => ({ url, views: n })).sort((a, b) => b.views - a.views || (a.url < b.url ? -1 : 1));
}
