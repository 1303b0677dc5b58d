import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { LeadView } from '../shared/index.ts';

// Leads the rep has seen, so a lead shows at once and refreshes behind it.
// Keyed by lower-cased email; `fetchedAt` is when the background last got it from the server.

export type CachedLead = { email: string; leadId: string; view: LeadView; fetchedAt: number };

interface CacheSchema extends DBSchema {
  leads: { key: string; value: CachedLead; indexes: { leadId: string } };
}

export const DB_NAME = 'leadglow-extension';
/** A cached lead younger than this is shown without asking the server again. */
export const FRESH_MS = 60_000;

export function openCache(name = DB_NAME) {
  // Version 2: reasons and timeline items became data; views cached before are dropped.
  const db = openDB<CacheSchema>(name, 2, {
    upgrade(d, oldVersion) {
      if (oldVersion >= 1) d.deleteObjectStore('leads');
      d.createObjectStore('leads', { keyPath: 'email' }).createIndex('leadId', 'leadId');
    },
  });
  return cacheOn(db);
}

function cacheOn(dbp: Promise<IDBPDatabase<CacheSchema>>) {
  return {
    async get(email: string): Promise<CachedLead | undefined> {
      return (await dbp).get('leads', email.toLowerCase());
    },
    async put(email: string, view: LeadView, fetchedAt: number): Promise<void> {
      await (await dbp).put('leads', { email: email.toLowerCase(), leadId: view.lead.id, view, fetchedAt });
    },
    /** Marks every cached copy of a lead stale (a stage change arrived), keeping it for display. */
    async expire(leadId: string): Promise<string[]> {
      const db = await dbp;
      const rows = await db.getAllFromIndex('leads', 'leadId', leadId);
      await Promise.all(rows.map((r) => db.put('leads', { ...r, fetchedAt: 0 })));
      return rows.map((r) => r.email);
    },
    async clear(): Promise<void> {
      await (await dbp).clear('leads');
    },
    async close(): Promise<void> {
      (await dbp).close();
    },
  };
}
export type Cache = ReturnType<typeof openCache>;
