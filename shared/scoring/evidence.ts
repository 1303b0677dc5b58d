import type { Event, FormIntent } from '../contracts/event.ts';
import type { Evidence } from '../contracts/lead.ts';
import { pathOf } from './glob.ts';

/**
 * What an event shows, as data for reasons and timelines: `{ kind: 'visited', page: '/pricing' }`.
 * Words come later, in the reader's language: `extension/panel/words.ts` in the extension,
 * `english.ts` for the server and CLI.
 */
export function evidenceOf(e: Event, overrides?: ReadonlyMap<string, FormIntent>): Evidence {
  switch (e.type) {
    case 'page_view':
      return visitedEvidence(e.url, e.title);
    case 'engagement':
      return { kind: 'engaged', page: pathOf(e.url), seconds: Math.round(e.engagedMs / 1000) };
    case 'download':
      return downloadedEvidence(e.fileUrl);
    case 'form_submit': {
      // A marketer's word on this form (the model's formIntents) is the signal, not the classifier's.
      const marked = overrides?.get(e.formId);
      if (marked !== undefined) {
        return marked === 'other'
          ? { kind: 'submitted', form: e.formId, intent: marked }
          : { kind: 'submitted', form: e.formId, intent: marked, signal: { source: 'override', text: e.formId }, page: pathOf(e.url) };
      }
      return e.intent && e.intent !== 'other' && e.intentSignal
        ? { kind: 'submitted', form: e.formId, intent: e.intent, signal: e.intentSignal, page: pathOf(e.url) }
        : e.intent
          ? { kind: 'submitted', form: e.formId, intent: e.intent }
          : { kind: 'submitted', form: e.formId };
    }
    case 'click':
      return e.text ? { kind: 'clicked', text: e.text, selector: e.selector } : { kind: 'clicked', selector: e.selector };
    case 'identify':
      return { kind: 'identified', source: e.source };
    case 'email_open':
      return { kind: 'email-opened', campaign: e.campaign ?? e.messageId };
    case 'email_click':
      return { kind: 'email-clicked', page: pathOf(e.target), campaign: e.campaign ?? e.messageId };
    case 'custom':
      return e.title ? { kind: 'custom', name: e.name, title: e.title } : { kind: 'custom', name: e.name };
  }
}

/** What a page view of `url` shows (the fold keeps one per distinct URL and title: url-facts.ts). */
export function visitedEvidence(url: string, title: string | undefined): Evidence {
  return title ? { kind: 'visited', page: pathOf(url), title } : { kind: 'visited', page: pathOf(url) };
}

/** What a download of `fileUrl` shows. */
export function downloadedEvidence(fileUrl: string): Evidence {
  return { kind: 'downloaded', file: fileName(fileUrl) };
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
