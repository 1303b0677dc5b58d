import { t, type MessageKey } from '../i18n.ts';
import type { DropReason, PageLeads } from '../../shared/contracts/messages.ts';
import { Message, Search } from './states.tsx';
import './page-facts.css';

// The page's side of the panel when the adapter comes back empty: on a page that should name
// someone (an open message, a CRM record), say so, offer the email search, and show what
// Leadglow saw, so a rep or an admin can report a broken adapter with facts. Addresses that
// are not a person are listed greyed, never offered as the lead.

const REASON: Record<DropReason, MessageKey> = {
  self: 'dropSelf',
  colleague: 'dropColleague',
  role: 'dropRole',
  list: 'dropList',
  automated: 'dropAutomated',
};

/** "What Leadglow saw on this page": the adapter, the region it read, the addresses left out and why. */
export function PageFacts({ page, open = false }: { page: PageLeads; open?: boolean }) {
  const dropped = page.dropped ?? [];
  return (
    <details class="page-facts" data-testid="page-facts" open={open}>
      <summary>{t('sawSummary')}</summary>
      <dl>
        <dt>{t('sawSite')}</dt>
        <dd>{page.site}</dd>
        <dt>{t('sawRegion')}</dt>
        <dd><code>{page.region ?? '—'}</code></dd>
        <dt>{t('sawAddresses')}</dt>
        <dd>{t('sawCounts', [page.leads.length, dropped.length])}</dd>
      </dl>
      {dropped.length ? (
        <ul class="dropped" data-testid="dropped">
          {dropped.map((d) => (
            <li key={d.email} class="muted" data-reason={d.reason}>
              <span class="email">{d.email}</span> <span class="small">{t(REASON[d.reason])}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted small">{t('sawNoneDropped')}</p>
      )}
    </details>
  );
}

/** A page that should have a lead, and the adapter found none. */
export function NotFound({ page, onSearch }: { page: PageLeads; onSearch: (email: string) => void }) {
  return (
    <Message testId="not-found" title={t('notFoundTitle')} body={t('notFoundBody')}>
      <Search onSearch={onSearch} />
      <PageFacts page={page} open />
    </Message>
  );
}
