import type { Event, EventOf, FormIntent, IntentSource } from '../contracts/event.ts';
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
      return describeForm(e);
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

// Minimal English naming the signal; the extension words reasons in the reader's language from
// the event's `intent` and `intentSignal`.
const INTENT_WORDS: Record<FormIntent, string> = {
  demo: 'demo request',
  contact: 'contact request',
  quote: 'quote request',
  trial: 'trial sign-up',
  pricing: 'pricing request',
  newsletter: 'newsletter sign-up',
  download: 'download form',
  event: 'event registration',
  job: 'job application',
  login: 'login',
  search: 'search',
  other: 'form',
};
const SOURCE_WORDS: Record<IntentSource, string> = {
  override: 'marked by a marketer, form',
  form: 'form',
  button: 'button',
  field: 'field',
  heading: 'heading',
  title: 'page title',
  path: 'page',
};

/** "demo request: button 'Boka demo' on /boka-demo", or "submitted form X" without an intent. */
function describeForm(e: EventOf<'form_submit'>): string {
  const signal = e.intentSignal;
  if (!e.intent || e.intent === 'other' || !signal) return `submitted form ${e.formId}`;
  const path = pathOf(e.url);
  const what = INTENT_WORDS[e.intent];
  return signal.source === 'path' ? `${what}: page ${path}` : `${what}: ${SOURCE_WORDS[signal.source]} '${signal.text}' on ${path}`;
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
