import type { Evidence, TimelineItem } from '../../shared/index.ts';

// The timeline as a rep reads it: by day, newest first, one line per activity. Engagement
// items fold into the page view they measured (same visit, same page) as its time on page.

export type Line = { id: string; at: number; type: TimelineItem['type']; what: Evidence; url?: string; engagedMs?: number; machine?: boolean };
export type Day = { at: number; lines: Line[] };

const dayKey = (ts: number) => new Date(ts).toDateString();

export function groupTimeline(items: readonly TimelineItem[]): Day[] {
  const lines: Line[] = [];
  // Oldest first, so an engagement finds the page view before it.
  const lastPage = new Map<string, Line>();
  for (const item of [...items].sort((a, b) => a.ts - b.ts)) {
    if (item.type === 'engagement') {
      const page = lastPage.get(`${item.sessionId}|${item.url ?? ''}`) ?? lastPage.get(item.sessionId);
      if (page) page.engagedMs = (page.engagedMs ?? 0) + (item.engagedMs ?? 0);
      continue;
    }
    const line: Line = { id: item.id, at: item.ts, type: item.type, what: item.what };
    if (item.url) line.url = item.url;
    if (item.engagedMs) line.engagedMs = item.engagedMs;
    if (item.machine) line.machine = true;
    if (item.type === 'page_view') {
      lastPage.set(`${item.sessionId}|${item.url ?? ''}`, line);
      lastPage.set(item.sessionId, line);
    }
    lines.push(line);
  }
  const days: Day[] = [];
  for (const line of lines.reverse()) {
    const last = days[days.length - 1];
    if (last && dayKey(last.at) === dayKey(line.at)) last.lines.push(line);
    else days.push({ at: line.at, lines: [line] });
  }
  return days;
}
