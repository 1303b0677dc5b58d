import type { FormIntent, IntentSignal } from '../shared/contracts/event.ts';
import { t, type MessageKey } from './i18n.ts';

// A form's intent and the words that decided it, in the reader's language: the dashboard's
// page check and tagging mode's hand-raise control say it the way the side panel's reasons do
// (the same catalogue keys as shared/scoring/wording.ts).

const INTENTS: Record<FormIntent, MessageKey> = {
  demo: 'intentDemo',
  contact: 'intentContact',
  quote: 'intentQuote',
  trial: 'intentTrial',
  pricing: 'intentPricing',
  newsletter: 'intentNewsletter',
  download: 'intentDownload',
  event: 'intentEvent',
  job: 'intentJob',
  login: 'intentLogin',
  search: 'intentSearch',
  other: 'intentOther',
};

const SOURCES: Record<Exclude<IntentSignal['source'], 'path'>, MessageKey> = {
  override: 'intentSourceOverride',
  form: 'intentSourceForm',
  button: 'intentSourceButton',
  field: 'intentSourceField',
  heading: 'intentSourceHeading',
  title: 'intentSourceTitle',
};

/** "a demo request" */
export const intentName = (intent: FormIntent): string => t(INTENTS[intent]);

/** "decided by button “Boka demo”", "decided by the page address /kontakt-offert/", or that no known word was found. */
export function decidedBy(signal: IntentSignal | undefined): string {
  if (!signal) return t('pcNoSignal');
  if (signal.source === 'path') return t('pcDecidedByPath', [signal.text]);
  return t('pcDecidedBy', [t(SOURCES[signal.source]), signal.text]);
}
