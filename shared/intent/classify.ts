import { HAND_RAISE_INTENTS, type FormIntent, type IntentSignal, type IntentSource } from '../contracts/event.ts';
import { de } from './vocabulary/de.ts';
import { en } from './vocabulary/en.ts';
import { nl } from './vocabulary/nl.ts';
import { sv } from './vocabulary/sv.ts';
import type { Vocabulary } from './vocabulary/types.ts';

// What a form is for, from its own words: pure, and explainable (the result names the text
// that decided it). Sources are read from the most to the least telling: the submit button
// says what the visitor asked for, the form's own attributes what its author called it, then
// the heading above it, the page title, the page path, and last the names of its fields.
// The first source with a known word decides, except that a plain "contact" gives way to a
// more specific hand-raise named anywhere else ("Contact us" above a "Book a demo" form).

/** The cheap signals of one submitted form, as the SDK sends them (plus the page). */
export type FormSignals = {
  formId: string;
  fields: readonly string[];
  formName?: string | undefined;
  formClass?: string | undefined;
  action?: string | undefined;
  autocomplete?: readonly string[] | undefined;
  kinds?: readonly string[] | undefined;
  button?: string | undefined;
  heading?: string | undefined;
  title?: string | undefined;
  /** The page URL (only its path is read). */
  url?: string | undefined;
};

export type IntentResult = { intent: FormIntent; signal?: IntentSignal };

export const VOCABULARIES: Record<string, Vocabulary> = { en, nl, sv, de };

/**
 * When one text names several intents, the more specific wins: a login or search box is never
 * a hand-raise, a job application names "apply" next to "contact", and "contact us for a demo"
 * is a demo request. `other` (a comment form) comes last: any intent named beside it wins.
 */
const PRECEDENCE: readonly FormIntent[] = ['login', 'search', 'job', 'newsletter', 'event', 'download', 'trial', 'pricing', 'quote', 'demo', 'contact', 'other'];

type Phrase = { words: string[]; prefix: boolean[] };

/** Every language's phrases per intent, compiled once. */
const PHRASES: [FormIntent, Phrase[]][] = PRECEDENCE.map((intent) => [
  intent,
  Object.values(VOCABULARIES).flatMap((v) => (v[intent as keyof Vocabulary] ?? []).map(compile)),
]);

function compile(phrase: string): Phrase {
  const parts = phrase.toLowerCase().split(/\s+/).filter(Boolean);
  return { words: parts.map((w) => w.replace(/\*$/, '')), prefix: parts.map((w) => w.endsWith('*')) };
}

/** Words of a text: camelCase split, lowercased, split at anything but letters and digits. */
export function words(text: string): string[] {
  return text
    .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

function has(tokens: string[], p: Phrase): boolean {
  const n = p.words.length;
  for (let i = 0; i + n <= tokens.length; i++) {
    let k = 0;
    while (k < n && (p.prefix[k] ? tokens[i + k]!.startsWith(p.words[k]!) : tokens[i + k] === p.words[k])) k++;
    if (k === n) return true;
  }
  return false;
}

/** The intent a text names, by precedence, or undefined. */
export function intentOfText(text: string): FormIntent | undefined {
  const tokens = words(text);
  if (!tokens.length) return;
  for (const [intent, phrases] of PHRASES) if (phrases.some((p) => has(tokens, p))) return intent;
}

const pathOf = (url: string): string => /^[a-z]+:\/\/[^/?#]*([^?#]*)/i.exec(url)?.[1] || '/';

/** The texts of each source, in the order they are read. */
function sources(s: FormSignals): [IntentSource, string][] {
  const out: [IntentSource, string][] = [];
  const add = (source: IntentSource, text: string | undefined) => text && out.push([source, text]);
  add('button', s.button);
  add('form', s.formId);
  add('form', s.formName);
  add('form', s.formClass);
  add('form', s.action);
  add('heading', s.heading);
  add('title', s.title);
  if (s.url) add('path', decodeURIComponentSafe(pathOf(s.url)));
  for (const f of [...(s.kinds ?? []), ...(s.autocomplete ?? []), ...s.fields]) add('field', f);
  return out;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const SPECIFIC: ReadonlySet<FormIntent> = new Set(HAND_RAISE_INTENTS.filter((i) => i !== 'contact'));

/** Classifies one form. `other` (without a signal) when no source names an intent. */
export function classifyForm(s: FormSignals): IntentResult {
  let found: IntentResult | undefined;
  for (const [source, text] of sources(s)) {
    const intent = intentOfText(text);
    if (!intent) continue;
    if (!found) {
      found = { intent, signal: { source, text: text.slice(0, 300) } };
      if (intent !== 'contact') return found;
    } else if (SPECIFIC.has(intent)) return { intent, signal: { source, text: text.slice(0, 300) } };
  }
  return found ?? { intent: 'other' };
}

/** Whether the starter model treats an intent as a hand-raise. */
export const isHandRaiseIntent = (intent: FormIntent | undefined): boolean => (HAND_RAISE_INTENTS as readonly string[]).includes(intent ?? '');
