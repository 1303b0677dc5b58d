import { read, write } from './storage.ts';
import type { Config, ConsentMode } from './types.ts';

// One key holds the visitor's answer: "1" consent granted, "0" opted out for good.
const KEY = 'lg_consent';

let mode: ConsentMode;
let granted: boolean;
let cookieless: boolean | undefined;

/** True when we must not track at all: the visitor said so (DNT, GPC, opt-out) or no human is there. */
export function blocked(c: Config): unknown {
  const n = navigator as Navigator & { globalPrivacyControl?: boolean };
  return read(KEY) === '0' || (c.respectDnt !== false && n.doNotTrack === '1') || (c.respectGpc !== false && n.globalPrivacyControl) || (!c.allowAutomation && n.webdriver);
}

export function initConsent(c: Config): void {
  mode = c.consent;
  cookieless = c.cookieless;
  granted = mode === 'none' || read(KEY) === '1';
}

/** May events leave the page? In `anonymous-until-consent` they may, with in-memory ids. */
export const canSend = (): boolean => granted || mode === 'anonymous-until-consent';

/** May we store anything (ids, the IndexedDB outbox)? */
export const canPersist = (): boolean => granted && !cookieless;

/** Records the visitor's answer. A grant is remembered (not in cookieless mode) so the banner's answer holds on the next page. */
export function setConsent(yes: boolean): void {
  granted = yes;
  if (!cookieless) write(KEY, yes ? '1' : undefined);
}

/** Persists the opt-out (in cookieless mode too: it is the visitor's choice, not an identifier) and withdraws consent. */
export function setOptOut(): void {
  write(KEY, '0');
  granted = false;
  mode = 'required';
}
