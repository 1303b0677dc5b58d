import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../i18n.ts';
import type { LeadReply, PageLeads, StatusReply } from '../../shared/contracts/messages.ts';
import type { Client } from './client.ts';
import { HotList } from './HotList.tsx';
import { LeadCard } from './LeadCard.tsx';
import { NotFound, PageFacts } from './PageFacts.tsx';
import { TaggingToggle } from './TaggingToggle.tsx';
import { LeadPicker, Loading, Message, NotConfigured, Search, SignedOut, Unreachable } from './states.tsx';
import { warnFailed } from '../warn.ts';

// The side panel for one tab: status first (configured? signed in?), then the leads the
// tab's page names, then the selected lead. Each answer from the background re-renders;
// a `changed` broadcast makes the panel ask again.

/** `initialLead`, `initialView`: what a notification's click opens. */
type Props = { client: Client; tabId: number | undefined; now?: () => number; initialLead?: string | undefined; initialView?: 'lead' | 'hot' | undefined };

/** Tagging marks up the marketer's own site; a mail or CRM page is never one. */
export const isMailOrCrm = (site: PageLeads['site'] | undefined) => site !== undefined && site !== 'generic';

export function App({ client, tabId, now = Date.now, initialLead, initialView }: Props) {
  const [status, setStatus] = useState<StatusReply | undefined>(undefined);
  const [page, setPage] = useState<PageLeads | undefined>(undefined);
  const [selected, setSelected] = useState<string | undefined>(initialLead?.toLowerCase());
  const [reply, setReply] = useState<LeadReply | undefined>(undefined);
  const [view, setView] = useState<'lead' | 'hot'>(initialView ?? 'lead');
  // Answers can arrive after the rep picked another lead; only the current one is shown.
  const current = useRef<string | undefined>(undefined);
  current.current = selected;
  const pickedByRep = useRef(Boolean(initialLead));

  const loadStatus = useCallback(() => client.send({ type: 'get-status' }).then(setStatus, warnFailed('reading the connection status')), [client]);
  const loadTab = useCallback(async () => {
    if (tabId === undefined) return;
    const r = await client.send({ type: 'get-tab', tabId }).catch(warnFailed('reading the leads found on this tab'));
    setPage(r?.page);
    // A new page picks its own best lead, unless the rep picked one that is still on it
    // (or searched for one, on a page without leads).
    const leads = r?.page?.leads ?? [];
    const keep = (cur: string | undefined) => cur && pickedByRep.current && (!leads.length || leads.some((l) => l.email === cur));
    setSelected((cur) => (keep(cur) ? cur : leads[0]?.email));
    if (!keep(current.current)) pickedByRep.current = false;
  }, [client, tabId]);
  const loadLead = useCallback(
    async (email: string, refresh = false) => {
      // why: a background that does not answer is shown as the server being unreachable, with Retry.
      const r = await client.send({ type: 'get-lead', email, refresh }).catch(() => ({ status: 'problem' as const, problem: 'unreachable' as const }));
      if (current.current === email) setReply(r);
    },
    [client],
  );

  useEffect(() => {
    void loadStatus();
    void loadTab();
  }, [loadStatus, loadTab]);

  useEffect(() => {
    if (!selected) return;
    setReply(undefined);
    void loadLead(selected);
  }, [selected, loadLead]);

  useEffect(
    () =>
      client.onChanged((c) => {
        // Going offline or back online changes how the lead is shown (cached, with its age).
        if (c.what === 'status') void loadStatus().then(() => (selected ? loadLead(selected) : undefined));
        if (c.what === 'tab' && c.tabId === tabId) void loadTab();
        if (c.what === 'lead' && selected && c.email === selected) void loadLead(selected);
      }),
    [client, tabId, selected, loadStatus, loadTab, loadLead],
  );

  const pick = (email: string) => {
    pickedByRep.current = true;
    setView('lead');
    setSelected(email.toLowerCase());
  };
  const unseen = status?.alerts.filter((a) => !a.seen).length ?? 0;

  return (
    <main class="panel">
      <nav class="tabs">
        <button type="button" aria-pressed={view === 'lead'} onClick={() => setView('lead')}>{t('tabLead')}</button>
        <button type="button" aria-pressed={view === 'hot'} onClick={() => setView('hot')} data-testid="tab-hot">
          {t('tabHot')}
          {unseen ? <span class="badge" data-testid="alert-count">{unseen}</span> : null}
        </button>
      </nav>
      {status?.configured && status.me?.role === 'admin' && !isMailOrCrm(page?.site) ? <TaggingToggle client={client} tabId={tabId} /> : null}
      {!status ? (
        <Loading />
      ) : !status.configured ? (
        <NotConfigured />
      ) : status.connection === 'unauthorized' ? (
        <SignedOut />
      ) : view === 'hot' ? (
        <HotList client={client} alerts={status.alerts} now={now()} onPick={pick} />
      ) : (
        <>
          {page && page.leads.length > 1 ? <LeadPicker leads={page.leads} selected={selected} onPick={pick} /> : null}
          {page && !selected && page.expected && !page.leads.length ? <NotFound page={page} onSearch={pick} /> : null}
          <LeadBody
            hidden={Boolean(page && !selected && page.expected && !page.leads.length)}
            client={client}
            status={status}
            selected={selected}
            reply={reply}
            pageUrl={page?.url}
            now={now()}
            onPick={pick}
            onRefresh={() => selected && void loadLead(selected, true)}
          />
          {page?.leads.length && page.dropped?.length ? <PageFacts page={page} /> : null}
        </>
      )}
    </main>
  );
}

type BodyProps = {
  /** The not-found state stands in its place. */
  hidden?: boolean;
  client: Client;
  status: StatusReply;
  selected: string | undefined;
  reply: LeadReply | undefined;
  pageUrl: string | undefined;
  now: number;
  onPick: (email: string) => void;
  onRefresh: () => void;
};

function LeadBody({ hidden, client, status, selected, reply, pageUrl, now, onPick, onRefresh }: BodyProps) {
  if (hidden) return null;
  if (!selected)
    return (
      <Message testId="no-lead" title={t('noLeadTitle')} body={t('noLeadBody')}>
        <Search onSearch={onPick} />
      </Message>
    );
  if (!reply) return <Loading />;
  if (reply.status === 'ok' || reply.status === 'offline')
    return (
      <LeadCard
        client={client}
        view={reply.view}
        fetchedAt={reply.fetchedAt}
        offline={reply.status === 'offline'}
        refreshing={reply.status === 'ok' && reply.refreshing}
        pageUrl={pageUrl}
        now={now}
        onPick={onPick}
        onRefresh={onRefresh}
      />
    );
  switch (reply.problem) {
    case 'not-found':
      return (
        <Message testId="unknown" title={t('unknownTitle', [selected])} body={t('unknownBody')}>
          <Search onSearch={onPick} />
        </Message>
      );
    case 'unauthorized':
      return <SignedOut />;
    case 'not-configured':
      return <NotConfigured />;
    default:
      return <Unreachable server={status.serverUrl ?? ''} onRetry={onRefresh} />;
  }
}
