import { doc } from './dom.ts';
// First-party storage: localStorage, or a first-party cookie where storage is blocked
// (some embedded browsers and privacy modes throw on any localStorage access).

export function read(key: string): string | null | undefined {
  try {
    return localStorage.getItem(key);
  } catch {
    return doc.cookie.match('(^|; )' + key + '=([^;]*)')?.[2];
  }
}

/** Writes `value`, or removes the key when it is undefined. */
export function write(key: string, value?: string): void {
  try {
    value == null ? localStorage.removeItem(key) : localStorage.setItem(key, value);
  } catch {
    doc.cookie = key + '=' + (value || '') + ';path=/;samesite=lax;max-age=' + (value == null ? 0 : 31536000);
  }
}
