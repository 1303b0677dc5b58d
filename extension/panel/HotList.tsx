import { useEffect, useState } from 'preact/hooks';
import type { HotLead } from '../../shared/index.ts';
import { t } from '../i18n.ts';
import type { Alert } from '../../shared/contracts/messages.ts';
import type { Client } from './client.ts';
import { ago, num, STAGE_RANK, stageLabel } from './format.ts';
import { warnFailed } from '../warn.ts';

export function sortHot(items: readonly HotLead[]): HotLead[] {
  return [...items].sort((a, b) => STAGE_RANK[a.stage] - STAGE_RANK[b.stage] || b.interest - a.interest || b.fit.score - a.fit.score);
}

const SEEN_KEY = 'leadglow.hotSeenAt';
/** Before the rep first opened the list, "new" means hot within the last day. */
const FIRST_LOOK_MS = 86_400_000;

/** When the rep last looked at the hot list (this page's storage), and records this look. */
function lastLook(now: number): number {
  let before = now - FIRST_LOOK_MS;
  try {
    const stored = Number(localStorage.getItem(SEEN_KEY));
    if (Number.isFinite(stored) && stored > 0) before = stored;
    localStorage.setItem(SEEN_KEY, String(now));
  } catch {
    // why: no storage (a locked-down profile): every look is a first look.
  }
  return before;
}

/** A lead is new when it became an MQL or sales-ready since the rep last looked. */
export const isNewSince = (h: HotLead, since: number) => h.hotSince !== undefined && h.hotSince > since;

/** Hot leads, closest to a sale first; new MQLs and unseen sales-ready alerts are marked. */
export function HotList({ client, alerts, now, onPick }: { client: Client; alerts: Alert[]; now: number; onPick: (email: string) => void }) {
  const [items, setItems] = useState<HotLead[] | 'loading' | 'failed'>('loading');
  const [since] = useState(() => lastLook(now));
  useEffect(() => {
    let live = true;
    // why: a list that could not be asked for says so, as one the server refused does.
    client.send({ type: 'get-hot' }).then((r) => live && setItems(r.status === 'ok' ? sortHot(r.hot.items) : 'failed'), () => live && setItems('failed'));
    // Opening the list is seeing the alerts.
    void client.send({ type: 'clear-alerts' }).catch(warnFailed('marking the alerts seen'));
    return () => void (live = false);
  }, [client, alerts.length]);
  if (items === 'loading') return <p class="muted">{t('loading')}</p>;
  if (items === 'failed') return <p class="muted">{t('unreachableTitle')}</p>;
  if (!items.length) return <p class="muted">{t('hotEmpty')}</p>;
  const alerted = new Set(alerts.filter((a) => !a.seen).map((a) => a.change.leadId));
  return (
    <ul class="hot" data-testid="hot">
      {items.map((h) => (
        <li key={h.id} class={alerted.has(h.id) ? 'alerted' : ''}>
          <button type="button" class="link" onClick={() => onPick(h.email)}>
            {h.name ?? h.email}
          </button>
          {isNewSince(h, since) ? <span class="pill new">{t('newMarker')}</span> : null}
          <div class="muted small">
            {h.company ? `${h.company} · ` : ''}
            <span class={`pill stage-${h.stage}`}>{stageLabel(h.stage)}</span> {t('fit')} {num(h.fit.score)} ({h.fit.grade}) · {t('interest')}{' '}
            {num(h.interest)} · {ago(h.lastSeen, now)}
          </div>
        </li>
      ))}
    </ul>
  );
}
