import type { TimelineItem } from '../../shared/index.ts';

// One small line drawing per activity type, in SVG: emoji fonts are missing on many Linux
// desktops and would show as empty boxes.

const PATHS: Record<TimelineItem['type'], string> = {
  page_view: 'M4 1.5h5.5L12.5 4.5V14.5H4z M9.5 1.5V4.5H12.5 M6 8h4.5 M6 10.5h4.5',
  engagement: 'M8 2a6 6 0 1 0 0.01 0z M8 4.5V8l2.5 1.5',
  download: 'M8 2v8 M4.5 7 8 10.5 11.5 7 M3 13.5h10',
  form_submit: 'M2.5 2.5h11v11h-11z M5 8l2 2 4-4',
  click: 'M5 2.5v9l2.5-2.2 1.8 4 1.6-.7-1.8-4 3.2-.3z',
  identify: 'M8 2.5a2.5 2.5 0 1 0 0.01 0z M3 13.5c.5-3 2.5-4.5 5-4.5s4.5 1.5 5 4.5',
  email_open: 'M2 4.5h12v8H2z M2 4.5l6 4.5 6-4.5',
  email_click: 'M2 4.5h12v8H2z M2 4.5l6 4.5 6-4.5 M10.5 11.5l3 3',
  custom: 'M8 1.8l1.9 3.9 4.3.6-3.1 3 .7 4.3L8 11.6l-3.8 2 .7-4.3-3.1-3 4.3-.6z',
};

export function TimelineIcon({ type, label }: { type: TimelineItem['type']; label: string }) {
  return (
    <svg class="icon" data-type={type} width="16" height="16" viewBox="0 0 16 16" role="img" aria-label={label}>
      <title>{label}</title>
      <path d={PATHS[type]} fill="none" stroke="currentColor" stroke-width="1.3" stroke-linejoin="round" stroke-linecap="round" />
    </svg>
  );
}
