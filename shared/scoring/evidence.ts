import type { Event } from '../contracts/event.ts';
import { pathOf } from './glob.ts';

/** A short, human account of an event, for reasons and timelines: "visited /pricing". */
export function describeEvent(e: Event): string {
  switch (e.type) {
    case 'page_view':
      return `visited ${e.title ? `${e.title} (${pathOf(e.url)})` : pathOf(e.url)}`;
    case 'engagement':
      return `spent ${Math.round(e.engagedMs / 1000)} s on ${pathOf(e.url)}`;
    case 'download':
      return `downloaded ${fileName(e.fileUrl)}`;
    case 'form_submit':
      return `submitted form ${e.formId}`;
    case 'click':
      return `clicked ${e.text ? `"${e.text}"` : e.selector}`;
    case 'identify':
      return e.source === 'email_link' ? 'arrived from an email link' : 'identified by a form';
    case 'email_open':
      return `opened email ${e.campaign ?? e.messageId}`;
    case 'email_click':
      return `clicked ${pathOf(e.target)} in email ${e.campaign ?? e.messageId}`;
    case 'custom':
      return e.title ? `${e.name}: ${e.title}` : e.name;
  }
}

function fileName(url: string): string {
  const path = pathOf(url);
  const name = path.slice(path.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(name) || path;
  } catch {
    return name || path;
  }
}
