import { z } from 'zod';
import type { KeyRecord } from '../auth/api-keys.ts';
import type { ServerContext } from './context.ts';

// Which web origins may send events or tag beacons for a site key.

/** A key without origins accepts any origin (server-side senders send none). */
export function originAllowed(key: KeyRecord, origin: string): boolean {
  return key.origins.length === 0 || key.origins.includes(origin.toLowerCase());
}

/** The stored `keys.origins` column: lowercased origins (auth/api-keys.ts writes it). */
const StoredOrigins = z.array(z.string());

const originCaches = new WeakMap<ServerContext, { at: number; origins: Set<string>; open: boolean }>();

/** For a preflight that names no key: whether any live site key allows `origin` (kept 5 s). */
export async function anySiteAllows(ctx: ServerContext, origin: string): Promise<boolean> {
  const now = ctx.now();
  let originCache = originCaches.get(ctx);
  if (!originCache || now - originCache.at > 5_000) {
    const rows = await ctx.db.read.selectFrom('keys').select(['id', 'origins']).where('role', '=', 'site').where('revoked_at', 'is', null).execute();
    const origins = new Set<string>();
    let open = false;
    for (const r of rows) {
      const list = decodeOrigins(r.origins);
      // A row that does not decode allows nothing (closed, not open), and says so.
      if (!list) {
        ctx.log.warn({ key: r.id }, 'keys.origins of a site key is not a list of origins; it allows no origin in preflights');
        continue;
      }
      if (list.length === 0) open = true;
      for (const o of list) origins.add(o);
    }
    originCache = { at: now, origins, open };
    originCaches.set(ctx, originCache);
  }
  return originCache.open || originCache.origins.has(origin.toLowerCase());
}

function decodeOrigins(text: string): string[] | undefined {
  try {
    const parsed = StoredOrigins.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
