import { sql, type Kysely } from 'kysely';
import type { ServedTag } from '../../shared/analytics/tags.ts';
import type { TagFound, TagHealthItem, TagHealthReport, TagState } from '../../shared/contracts/tag-health.ts';
import { globMatcher } from '../../shared/scoring/glob.ts';
import type { DB } from '../db/schema.ts';

// The lost-tag report: the tags script says, per page load and path, how each tag of that page
// was found; here those reports are summed per tag and path. Reports come from browsers and can
// be forged, so only tags the server serves count, on paths their scope covers, and a tag keeps
// at most MAX_PATHS paths; a forged report can at worst make a tag look lost until the next
// real page view.

const MAX_PATHS = 50;
/** Most lines taken from one report (20 pages of a site-wide tag set could be 4,000). */
const MAX_LINES = 400;
/** Rows per INSERT (9 values each, well under SQLite's 32,766 parameters). */
const CHUNK = 100;

/** One report line the server accepts: a served tag, on one of its pages. */
export interface HealthLine {
  tagId: string;
  selector: string;
  path: string;
  found: TagFound;
}

/** The report's lines for tags the server serves, on their pages; the rest is dropped. */
export function acceptedLines(report: TagHealthReport, served: readonly ServedTag[]): HealthLine[] {
  const byId = new Map(served.filter((t) => t.element.id).map((t) => [t.element.id!, { t, test: t.path === undefined ? () => true : globMatcher(t.path) }]));
  const out: HealthLine[] = [];
  const seen = new Set<string>();
  for (const page of report.pages) {
    const path = page.path.toLowerCase();
    for (const [id, found] of Object.entries(page.found)) {
      const s = byId.get(id);
      if (!s || !s.test(path) || seen.has(`${id}\n${path}`)) continue;
      if (out.length >= MAX_LINES) return out;
      seen.add(`${id}\n${path}`);
      out.push({ tagId: id, selector: s.t.element.selector, path, found });
    }
  }
  return out;
}

/**
 * Adds the lines to the summary, in a few statements. The state's `since` stays while reports agree and restarts when
 * the state (or the tag's selector) changes, so "lost since Tuesday" is the first report after
 * the last one that found it by selector.
 */
export async function recordHealth(db: Kysely<DB>, lines: readonly HealthLine[], now: number): Promise<void> {
  if (lines.length === 0) return;
  const ids = [...new Set(lines.map((l) => l.tagId))];
  const rows = await db.selectFrom('tag_health').select(['tag_id', 'path']).where('tag_id', 'in', ids).execute();
  const known = new Set(rows.map((r) => `${r.tag_id}\n${r.path}`));
  const paths = new Map<string, number>();
  for (const r of rows) paths.set(r.tag_id, (paths.get(r.tag_id) ?? 0) + 1);
  const rows2: HealthLine[] = [];
  for (const l of lines) {
    if (!known.has(`${l.tagId}\n${l.path}`)) {
      const n = paths.get(l.tagId) ?? 0;
      if (n >= MAX_PATHS) continue;
      paths.set(l.tagId, n + 1);
    }
    rows2.push(l);
  }
  // Many rows per statement; each (tag, path) once in a report (acceptedLines), as PostgreSQL's
  // ON CONFLICT DO UPDATE requires.
  for (let i = 0; i < rows2.length; i += CHUNK) {
    await db
      .insertInto('tag_health')
      .values(
        rows2.slice(i, i + CHUNK).map((l) => ({
          tag_id: l.tagId,
          path: l.path,
          selector: l.selector,
          state: l.found,
          since: now,
          last_at: now,
          by_selector: +(l.found === 's'),
          by_fingerprint: +(l.found === 'f'),
          missed: +(l.found === 'n'),
        })),
      )
      .onConflict((oc) =>
        oc.columns(['tag_id', 'path']).doUpdateSet({
          // Both dialects read tag_health.* as the row before the update, excluded.* as the new values.
          since: sql<number>`CASE WHEN tag_health.state = excluded.state AND tag_health.selector = excluded.selector THEN tag_health.since ELSE excluded.since END`,
          state: sql<'s' | 'f' | 'n'>`excluded.state`,
          selector: sql<string>`excluded.selector`,
          last_at: sql<number>`excluded.last_at`,
          by_selector: sql<number>`tag_health.by_selector + excluded.by_selector`,
          by_fingerprint: sql<number>`tag_health.by_fingerprint + excluded.by_fingerprint`,
          missed: sql<number>`tag_health.missed + excluded.missed`,
        }),
      )
      .execute();
  }
}

const STATES: Record<TagFound, TagState> = { s: 'ok', f: 'fingerprint', n: 'lost' };
const ORDER: Record<TagState, number> = { lost: 0, fingerprint: 1, ok: 2 };

/**
 * The summary for the tags served now (rows of removed or re-saved tags are left out): lost
 * first, then those only the fingerprint finds, then the rest; longest-standing first, then by
 * path and tag.
 */
export async function healthOf(db: Kysely<DB>, served: readonly ServedTag[]): Promise<TagHealthItem[]> {
  const byId = new Map(served.filter((t) => t.element.id).map((t) => [t.element.id!, t.element]));
  if (byId.size === 0) return [];
  const rows = await db.selectFrom('tag_health').selectAll().where('tag_id', 'in', [...byId.keys()]).execute();
  const items: TagHealthItem[] = [];
  for (const r of rows) {
    const el = byId.get(r.tag_id);
    if (!el || el.selector !== r.selector) continue;
    items.push({
      id: r.tag_id,
      tag: el.tag,
      selector: r.selector,
      path: r.path,
      state: STATES[r.state] ?? 'lost',
      since: Number(r.since),
      lastSeen: Number(r.last_at),
      views: { selector: Number(r.by_selector), fingerprint: Number(r.by_fingerprint), none: Number(r.missed) },
    });
  }
  const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return items.sort((a, b) => ORDER[a.state] - ORDER[b.state] || a.since - b.since || text(a.path, b.path) || text(a.tag, b.tag) || text(a.id, b.id));
}
