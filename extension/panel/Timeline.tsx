import { useEffect, useState } from 'preact/hooks';
import type { TimelinePage } from '../../shared/index.ts';
import { t } from '../i18n.ts';
import type { Client } from './client.ts';
import { dayLabel, minutes } from './format.ts';
import { groupTimeline, type VisitPart } from './timeline-groups.ts';

export function Timeline({ client, leadId, now }: { client: Client; leadId: string; now: number }) {
  const [page, setPage] = useState<TimelinePage | 'loading' | 'failed'>('loading');
  useEffect(() => {
    let live = true;
    setPage('loading');
    client.send({ type: 'get-timeline', leadId }).then(
      (r) => live && setPage(r.status === 'ok' ? r.page : 'failed'),
      () => live && setPage('failed'),
    );
    return () => void (live = false);
  }, [client, leadId]);

  if (page === 'loading') return <section class="timeline"><h3>{t('timeline')}</h3><p class="muted">{t('loading')}</p></section>;
  if (page === 'failed') return null;
  const days = groupTimeline(page.items);
  return (
    <section class="timeline" data-testid="timeline">
      <h3>{t('timeline')}</h3>
      {days.length === 0 ? <p class="muted">{t('timelineEmpty')}</p> : null}
      {days.map((d) => (
        <div class="day" key={d.at}>
          <h4>{dayLabel(d.at, now)}</h4>
          <ul>
            {d.visits.map((v) => (
              <li key={`${v.sessionId}-${v.at}`}>{v.parts.map(partText).join(', ')}</li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

function partText(p: VisitPart): string {
  const time = p.engagedMs ? ` (${minutes(p.engagedMs)})` : '';
  return `${p.text}${time}${p.machine ? ` [${t('machine')}]` : ''}`;
}
