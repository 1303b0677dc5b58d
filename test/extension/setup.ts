import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';

// What fakeBrowser leaves unimplemented, filled in for the extension's tests: i18n from the
// English messages, and recorders for the side panel and content-script registration.
const en = JSON.parse(readFileSync(resolve('extension/public/_locales/en/messages.json'), 'utf8')) as Record<string, { message: string }>;

export function getMessage(key: string, subs?: string | string[]): string {
  const list = typeof subs === 'string' ? [subs] : (subs ?? []);
  return (en[key]?.message ?? '').replace(/\$(\d)/g, (_, n: string) => list[Number(n) - 1] ?? '');
}

export function installBrowserStubs() {
  fakeBrowser.reset();
  const b = fakeBrowser as unknown as Record<string, Record<string, unknown>>;
  b.i18n = { getMessage, getUILanguage: () => 'en-US' };
  const registered: { id: string; matches: string[] }[] = [];
  b.scripting = {
    getRegisteredContentScripts: vi.fn(async () => registered),
    registerContentScripts: vi.fn(async (s: { id: string; matches: string[] }[]) => void registered.push(...s)),
    unregisterContentScripts: vi.fn(async ({ ids }: { ids: string[] }) => {
      for (const id of ids) registered.splice(registered.findIndex((r) => r.id === id), 1);
    }),
  };
  b.permissions = { contains: vi.fn(async () => true), request: vi.fn(async () => true) };
  const sidePanel = { setOptions: vi.fn(async () => undefined), setPanelBehavior: vi.fn(async () => undefined) };
  b.sidePanel = sidePanel;
  return { registered, sidePanel };
}
