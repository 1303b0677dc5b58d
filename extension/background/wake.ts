import { browser } from 'wxt/browser';
import { readSettings, writeSettings } from '../settings.ts';

// Keeping the rep's live view alive across service-worker sleeps, and notifications that open
// their lead. Chrome stops an idle MV3 worker after about 30 s; nothing wakes it for a stream
// that went quiet, so an alarm does, every minute, and the stream is reopened if it is not
// running. Firefox keeps its background alive, and the alarm costs it nothing.

export const STREAM_ALARM = 'leadglow-stream';

export function keepStreamOpen(ensureStream: () => void): void {
  void browser.alarms.create(STREAM_ALARM, { periodInMinutes: 1 });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === STREAM_ALARM) ensureStream();
  });
}

/** `stage:{leadId}:{at}`, the id `raiseAlert` gives a notification. */
export function leadIdOfNotification(id: string): string | undefined {
  return id.match(/^stage:(.+):\d+$/)?.[1];
}

/**
 * A click on a sales-ready notification: opens the panel page in a tab on that lead (a tab,
 * because Chrome opens a side panel only from a click inside the browser UI), marks the alert
 * seen and closes the notification. Returns the URL opened.
 */
export async function openNotifiedLead(id: string): Promise<string | undefined> {
  const leadId = leadIdOfNotification(id);
  if (!leadId) return undefined;
  const { alerts } = await readSettings();
  const alert = alerts.find((a) => a.change.leadId === leadId);
  const email = alert?.change.email;
  // WXT types getURL for files it knows; a query string is ours to add.
  const runtime = browser.runtime as unknown as { getURL(path: string): string };
  const url = runtime.getURL(email ? `/sidepanel.html?lead=${encodeURIComponent(email)}` : '/sidepanel.html?view=hot');
  await browser.tabs.create({ url });
  await writeSettings({ alerts: alerts.map((a) => (a.change.leadId === leadId ? { ...a, seen: true } : a)) });
  // why: the notification may be gone already (closed by the rep or the system): nothing to clear.
  await browser.notifications.clear(id).catch(() => undefined);
  return url;
}
