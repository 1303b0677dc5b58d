import type { FormIntent, IntentSignal } from '../shared/contracts/event.ts';
import { signalSourceName, intentName as wordIntent } from '../shared/scoring/wording.ts';
import { t, words } from './i18n.ts';

// A form's intent and the words that decided it, in the reader's language: the dashboard's
// page check and tagging mode's hand-raise control say it the way the side panel's reasons do
// (shared/scoring/wording.ts, with the extension's catalogue).

/** "a demo request" */
export const intentName = (intent: FormIntent): string => wordIntent(intent, words);

/** "decided by button “Boka demo”", "decided by the page address /kontakt-offert/", or that no known word was found. */
export function decidedBy(signal: IntentSignal | undefined): string {
  if (!signal) return t('pcNoSignal');
  if (signal.source === 'path') return t('pcDecidedByPath', [signal.text]);
  return t('pcDecidedBy', [signalSourceName(signal.source, words), signal.text]);
}
