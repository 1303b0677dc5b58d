import type { LeadView } from '../../shared/index.ts';
import { t } from '../i18n.ts';
import { Account } from './Account.tsx';
import { Actions } from './Actions.tsx';
import type { Client } from './client.ts';
import { ago } from './format.ts';
import { Prediction } from './Prediction.tsx';
import { Reasons } from './Reasons.tsx';
import { Scores, StageLine } from './Scores.tsx';
import { Timeline } from './Timeline.tsx';

type Props = {
  client: Client;
  view: LeadView;
  fetchedAt: number;
  offline: boolean;
  refreshing: boolean;
  pageUrl: string | undefined;
  now: number;
  onPick: (email: string) => void;
  onRefresh: () => void;
};

/** One lead: who, scores, stage, why, what happened, the company, and what to do. */
export function LeadCard({ client, view, fetchedAt, offline, refreshing, pageUrl, now, onPick, onRefresh }: Props) {
  const { lead } = view;
  const score = lead.scores[0];
  const company = lead.company?.name ?? lead.company?.domain;
  return (
    <article class="lead" data-testid="lead">
      {offline ? (
        <p class="banner warn" role="alert" data-testid="offline">
          {t('offlineBanner', [ago(fetchedAt, now)])}
        </p>
      ) : null}
      <header>
        <h2 data-testid="lead-name">{lead.name ?? lead.emails[0] ?? lead.id}</h2>
        <p class="muted">{[lead.jobTitle, company].filter(Boolean).join(' · ')}</p>
        <p class="muted small">
          {lead.emails[0]} · {refreshing ? t('refreshing') : t('updated', [ago(fetchedAt, now)])}
        </p>
      </header>
      {score ? (
        <>
          <Scores score={score} trend={view.trend} />
          <Prediction predicted={lead.predicted} withheld={lead.predictionWithheld} />
          <StageLine score={score} />
          <Reasons score={score} now={now} />
        </>
      ) : null}
      <Actions client={client} view={view} pageUrl={pageUrl} onSent={onRefresh} />
      {offline ? null : <Timeline client={client} leadId={lead.id} now={now} />}
      <Account client={client} account={view.account} domain={offline ? undefined : lead.company?.domain} leadId={lead.id} onPick={onPick} />
    </article>
  );
}
