import type { Event } from '../contracts/event.ts';
import { classifyForm } from './classify.ts';

export { classifyForm, intentOfText, isHandRaiseIntent, VOCABULARIES, words, type FormSignals, type IntentResult } from './classify.ts';
export { readForm, traitOf, type FormRead } from './extract.ts';

/**
 * A form_submit with its intent decided here, whatever the browser sent in `intent` (a visitor
 * must not be able to make themselves a hand-raise). Other events are returned as they are.
 */
export function withIntent(e: Event): Event {
  if (e.type !== 'form_submit') return e;
  const { intent, signal } = classifyForm(e);
  const out = { ...e, intent };
  if (signal) out.intentSignal = signal;
  else delete out.intentSignal;
  return out;
}
