import type { Event } from '../contracts/event.ts';
import { classifyForm } from './classify.ts';
import { personTraits } from './traits.ts';

export { classifyForm, intentOfText, isHandRaiseIntent, VOCABULARIES, words, type FormSignals, type IntentResult } from './classify.ts';
export { personTraits, traitOf, type Person } from './traits.ts';

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

/**
 * An identify event from a form with its `person` fields sorted into traits (name, company,
 * job title; what the event already names wins) and the raw lines dropped.
 */
export function withPersonTraits(e: Event): Event {
  if (e.type !== 'identify' || !e.person) return e;
  const { person, ...rest } = e;
  return { ...rest, traits: { ...personTraits(person), ...e.traits } };
}
