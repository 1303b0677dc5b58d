import { z } from 'zod';
import { browser } from 'wxt/browser';
import { Me } from '../shared/index.ts';
import { Alert, SiteId } from '../shared/contracts/messages.ts';

// The rep's settings in `storage.local`. Only the background writes them; the token never
// leaves it except in the Authorization header.
export const Settings = z.object({
  serverUrl: z.string().optional(),
  token: z.string().optional(),
  me: Me.optional(),
  sites: z.array(SiteId).default([]),
  /** Origins the rep enabled for the generic finder, e.g. `https://crm.example.com`. */
  origins: z.array(z.string()).default([]),
  // Alerts stored by an older version (reasons as text) are dropped, not the whole settings.
  alerts: z.array(Alert).catch([]),
  /** The rep's own addresses as typed in the options page, besides the token's (`me.emails`). */
  ownEmails: z.array(z.string()).max(10).default([]),
});
export type Settings = z.infer<typeof Settings>;

const KEYS = ['serverUrl', 'token', 'me', 'sites', 'origins', 'alerts', 'ownEmails'] as const;

export async function readSettings(): Promise<Settings> {
  const raw = await browser.storage.local.get([...KEYS]);
  const parsed = Settings.safeParse(raw);
  // A corrupt store must not brick the extension: start over, as if never configured.
  return parsed.success ? parsed.data : Settings.parse({});
}

export async function writeSettings(patch: Partial<Settings>): Promise<void> {
  await browser.storage.local.set(patch);
}
