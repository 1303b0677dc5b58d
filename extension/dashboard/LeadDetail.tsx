import { useEffect, useState } from 'preact/hooks';
import type { LeadView } from '../../shared/index.ts';
import type { Api } from '../background/api.ts';
import { t } from '../i18n.ts';
import { Reasons } from '../panel/Reasons.tsx';
import { Scores, StageLine } from '../panel/Scores.tsx';
import { Problem } from './Problem.tsx';

// One lead as the read API shows it (live scores and reasons), beside a backtest's moves.

export type LeadReader = Pick<Api, 'lead'>;

export function LeadDetail({ read, leadId, now, onClose }: { read: LeadReader; leadId: string; now: number; onClose: () => void }) {
  const [view, setView] = useState<LeadView | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  useEffect(() => {
    let live = true;
    setView(undefined);
    setError(undefined);
    void read.lead(leadId).then((r) => {
      if (!live) return;
      if (r.ok) setView(r.data);
      else setError(r.message ?? r.problem);
    });
    return () => void (live = false);
  }, [read, leadId]);

  const { lead } = view ?? {};
  const score = lead?.scores[0];
  return (
    <aside class="lead-detail card" aria-label={t('dbLeadDetail')} data-testid="lead-detail">
      <button type="button" class="quiet" onClick={onClose}>
        {t('dbClose')}
      </button>
      {error ? <Problem message={error} /> : null}
      {!view && !error ? <p class="muted">{t('loading')}</p> : null}
      {lead ? (
        <>
          <h3 class="lead-name" data-testid="lead-detail-name">{lead.name ?? lead.emails[0] ?? lead.id}</h3>
          <p class="muted small">{[lead.emails[0], lead.jobTitle, lead.company?.name ?? lead.company?.domain].filter(Boolean).join(' · ')}</p>
          {score ? (
            <>
              <Scores score={score} trend={view!.trend} />
              <StageLine score={score} />
              <Reasons score={score} now={now} />
            </>
          ) : null}
        </>
      ) : null}
    </aside>
  );
}
