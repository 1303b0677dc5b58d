import type { TimelineItem } from '../../shared/index.ts';

// The timeline as a rep reads it: by day, then by visit (session), each visit one line:
// "Pricing (3 min), downloaded whitepaper.pdf". Engagement items fold into the page they
// measured; email items stand on their own.

export type VisitPart = { text: string; url?: string; engagedMs?: number; machine?: boolean; type: TimelineItem['type'] };
export type Visit = { sessionId: string; at: number; parts: VisitPart[] };
export type Day = { at: number; visits: Visit[] };

const dayKey = (ts: number) => new Date(ts).toDateString();

/** "visited Pricing (/pricing)" → "Pricing"; "visited /blog/x" → "/blog/x". */
export function pageName(title: string): string {
  const bare = title.replace(/^visited /, '');
  return bare.replace(/ \((\/[^)]*)\)$/, '') || bare;
}

export function groupTimeline(items: readonly TimelineItem[]): Day[] {
  const sorted = [...items].sort((a, b) => b.ts - a.ts);
  const days: Day[] = [];
  const visits = new Map<string, Visit>();
  // Oldest first within a visit, so a line reads in the order things happened.
  for (const item of [...sorted].reverse()) {
    const key = `${dayKey(item.ts)}|${item.sessionId}`;
    let visit = visits.get(key);
    if (!visit) {
      visit = { sessionId: item.sessionId, at: item.ts, parts: [] };
      visits.set(key, visit);
    }
    visit.at = Math.max(visit.at, item.ts);
    if (item.type === 'engagement') {
      const pages = visit.parts.filter((p) => p.type === 'page_view').reverse();
      const target = pages.find((p) => p.url === item.url) ?? pages[0];
      if (target) target.engagedMs = (target.engagedMs ?? 0) + (item.engagedMs ?? 0);
      continue;
    }
    const part: VisitPart = { type: item.type, text: item.type === 'page_view' ? pageName(item.title) : item.title };
    if (item.url) part.url = item.url;
    if (item.engagedMs) part.engagedMs = item.engagedMs;
    if (item.machine) part.machine = true;
    visit.parts.push(part);
  }
  for (const visit of [...visits.values()].sort((a, b) => b.at - a.at)) {
    if (!visit.parts.length) continue;
    const last = days[days.length - 1];
    if (last && dayKey(last.at) === dayKey(visit.at)) last.visits.push(visit);
    else days.push({ at: visit.at, visits: [visit] });
  }
  return days;
}
