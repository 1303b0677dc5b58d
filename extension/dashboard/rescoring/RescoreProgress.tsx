import { useEffect, useState } from 'preact/hooks';
import type { RescoreStatus } from '../../../shared/contracts/admin.ts';
import type { AdminApi } from '../../admin-api.ts';
import { t } from '../../i18n.ts';
import { count, dateTime, percent } from '../format.ts';

// After a publish the server rescores every lead in the background, in chunks, on whichever
// instance has time (server/scoring/rescore.ts). This line follows GET /v1/rescoring while that runs,
// so a marketer knows when every lead's stage reflects the new version; it also shows a
// rescoring already under way when the dashboard opens. A finished one is shown only after a
// publish from here (`refreshKey` > 0), not as old news on every visit.

type Props = { api: Pick<AdminApi, 'rescoring'>; refreshKey: number; pollMs?: number };

export function RescoreProgress({ api, refreshKey, pollMs = 1_500 }: Props) {
  const [status, setStatus] = useState<RescoreStatus | undefined>(undefined);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      const r = await api.rescoring();
      if (stopped || !r.ok) return;
      setStatus(r.data);
      if (r.data.running) timer = setTimeout(() => void tick(), pollMs);
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [api, refreshKey, pollMs]);

  if (!status || status.total === undefined || status.done === undefined) return null;
  if (status.running) {
    const share = status.total > 0 ? status.done / status.total : 0;
    return (
      <p role="status" class="rescoring" data-testid="rescoring">
        {t('dbRescoring', [count(status.done), count(status.total), percent(share)])}{' '}
        <progress max={Math.max(1, status.total)} value={status.done} aria-label={percent(share)} />
      </p>
    );
  }
  if (refreshKey === 0 || status.finishedAt === undefined) return null;
  return (
    <p role="status" class="rescoring muted" data-testid="rescoring">
      {t('dbRescored', [count(status.total), dateTime(status.finishedAt)])}
    </p>
  );
}
