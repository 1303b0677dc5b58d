import { useEffect, useState } from 'preact/hooks';
import type { TimelineItem, TimelinePage } from '../../shared/index.ts';
import { wordEvidence } from '../../shared/scoring/wording.ts';
import { t, uiLanguage, words } from '../i18n.ts';
import type { Client } from './client.ts';
import { dayLabel, minutes } from './format.ts';
import { groupTimeline, type Line } from './timeline-groups.ts';
import { TimelineIcon } from './TimelineIcon.tsx';
import { EVENT_TYPE_LABELS } from '../event-type-labels.ts';
import { warnFailed } from '../warn.ts';

// What the lead did, newest first: a day heading, then one line per activity with an icon
// for its type (TimelineIcon). The server pages by 100; "Show older" asks for the next page.


type State = { items: TimelineItem[]; next?: string | undefined; loadingMore: boolean };

export function Timeline({ client, leadId, now }: { client: Client; leadId: string; now: number }) {
  const [state, setState] = useState<State | 'loading' | 'failed'>('loading');
  useEffect(() => {
    let live = true;
    setState('loading');
    client.send({ type: 'get-timeline', leadId }).then(
      (r) => live && setState(r.status === 'ok' ? fromPage([], r.page) : 'failed'),
      (error: unknown) => {
        warnFailed('loading the timeline')(error);
        if (live) setState('failed');
      },
    );
    return () => void (live = false);
  }, [client, leadId]);

  if (state === 'loading') return <section class="timeline"><h3>{t('timeline')}</h3><p class="muted">{t('loading')}</p></section>;
  if (state === 'failed') return null;
  const more = async () => {
    if (!state.next) return;
    setState({ ...state, loadingMore: true });
    const r = await client.send({ type: 'get-timeline', leadId, before: state.next }).catch(warnFailed('loading more of the timeline'));
    setState(r?.status === 'ok' ? fromPage(state.items, r.page) : { ...state, loadingMore: false });
  };
  const days = groupTimeline(state.items);
  return (
    <section class="timeline" data-testid="timeline">
      <h3>{t('timeline')}</h3>
      {days.length === 0 ? <p class="muted">{t('timelineEmpty')}</p> : null}
      {days.map((d) => (
        <div class="day" key={d.at}>
          <h4>{dayLabel(d.at, now)}</h4>
          <ul>
            {d.lines.map((l) => (
              <TimelineLine key={l.id} line={l} />
            ))}
          </ul>
        </div>
      ))}
      {state.next ? (
        <button type="button" class="link" data-testid="timeline-more" disabled={state.loadingMore} onClick={() => void more()}>
          {state.loadingMore ? t('loading') : t('timelineOlder')}
        </button>
      ) : null}
    </section>
  );
}

function fromPage(before: TimelineItem[], page: TimelinePage): State {
  return { items: [...before, ...page.items], next: page.next, loadingMore: false };
}

function TimelineLine({ line }: { line: Line }) {
  const time = new Intl.DateTimeFormat(uiLanguage(), { hour: '2-digit', minute: '2-digit' }).format(line.at);
  return (
    <li data-type={line.type}>
      <TimelineIcon type={line.type} label={t(EVENT_TYPE_LABELS[line.type])} />
      <span class="what">
        {wordEvidence(line.what, words)}
        {line.engagedMs ? <span class="muted"> · {minutes(line.engagedMs)}</span> : null}
        {line.machine ? <span class="muted"> · {t('machine')}</span> : null}
      </span>
      <span class="time">{time}</span>
    </li>
  );
}
