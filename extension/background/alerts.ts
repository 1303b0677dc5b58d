import { browser } from 'wxt/browser';
import type { StageChange } from '../../shared/index.ts';
import { wordStageReason } from '../../shared/scoring/wording.ts';
import { t, words } from '../i18n.ts';
import { readSettings, writeSettings } from '../settings.ts';

// A lead turning sales-ready: a browser notification, a badge count of unseen alerts, and an
// entry the hot list marks. Kept to the last 50.
const KEEP = 50;

export function isAlert(change: StageChange): boolean {
  return change.to === 'sales_ready' && change.from !== 'sales_ready';
}

export async function raiseAlert(change: StageChange): Promise<void> {
  const { alerts } = await readSettings();
  const next = [{ change, seen: false }, ...alerts.filter((a) => a.change.leadId !== change.leadId)].slice(0, KEEP);
  await writeSettings({ alerts: next });
  await showBadge(next.filter((a) => !a.seen).length);
  await browser.notifications.create(`stage:${change.leadId}:${change.at}`, {
    type: 'basic',
    iconUrl: 'icon/128.png',
    title: t('notifySalesReady', [change.name ?? change.email ?? change.leadId]),
    message: wordStageReason(change.reason, words),
  });
}

export async function clearAlerts(): Promise<void> {
  const { alerts } = await readSettings();
  await writeSettings({ alerts: alerts.map((a) => ({ ...a, seen: true })) });
  await showBadge(0);
}

async function showBadge(count: number): Promise<void> {
  await browser.action.setBadgeText({ text: count ? String(count) : '' });
  if (count) await browser.action.setBadgeBackgroundColor({ color: '#d9480f' });
}
