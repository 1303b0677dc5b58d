import { browser } from 'wxt/browser';
import type en from './public/_locales/en/messages.json';

// Text through `browser.i18n`, so the browser picks English, Dutch or Swedish from its own
// language with `_locales/` as the source. The key type comes from the English file.
export type MessageKey = Extract<keyof typeof en, string>;

type I18n = { getMessage(key: string, subs?: string | string[]): string; getUILanguage(): string };
const i18n = () => browser.i18n as unknown as I18n;

export function t(key: MessageKey, subs?: readonly (string | number)[]): string {
  // Chrome allows at most 9 substitutions and wants strings.
  return i18n().getMessage(key, subs?.map(String)) || key;
}

export function uiLanguage(): string {
  try {
    return i18n().getUILanguage() || 'en';
  } catch {
    return 'en';
  }
}
