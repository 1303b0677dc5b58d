import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { t } from '../i18n.ts';
import type { FoundLead } from '../../shared/contracts/messages.ts';
import type { MessageKey } from '../i18n.ts';
import { warnFailed } from '../warn.ts';

// The panel's states other than "showing a lead".

export function Message({ title, body, children, testId }: { title: string; body?: string; children?: ComponentChildren; testId: string }) {
  return (
    <section class="message" data-testid={testId}>
      <h2>{title}</h2>
      {body ? <p>{body}</p> : null}
      {children}
    </section>
  );
}

const openOptions = () => void browser.runtime.openOptionsPage().catch(warnFailed('opening the options page'));

export const Loading = () => <p class="muted" data-testid="loading">{t('loading')}</p>;

export const NotConfigured = () => (
  <Message testId="not-configured" title={t('notConfiguredTitle')} body={t('notConfiguredBody')}>
    <button type="button" onClick={openOptions}>{t('openOptions')}</button>
  </Message>
);

export const SignedOut = () => (
  <Message testId="signed-out" title={t('signedOutTitle')} body={t('signedOutBody')}>
    <button type="button" onClick={openOptions}>{t('openOptions')}</button>
  </Message>
);

export const Unreachable = ({ server, onRetry }: { server: string; onRetry: () => void }) => (
  <Message testId="unreachable" title={t('unreachableTitle')} body={t('unreachableBody', [server])}>
    <button type="button" onClick={onRetry}>{t('retry')}</button>
  </Message>
);

export function Search({ initial, onSearch }: { initial?: string; onSearch: (email: string) => void }) {
  const [value, setValue] = useState(initial ?? '');
  return (
    <form class="search" onSubmit={(e) => (e.preventDefault(), value.includes('@') && onSearch(value.trim()))}>
      <input type="email" aria-label={t('searchLabel')} placeholder={t('searchLabel')} value={value} onInput={(e) => setValue((e.target as HTMLInputElement).value)} />
      <button type="submit">{t('searchButton')}</button>
    </form>
  );
}

const ROLE: Record<FoundLead['role'], MessageKey> = { record: 'roleRecord', sender: 'roleSender', recipient: 'roleRecipient', mention: 'roleMention' };

/** Several leads on the page: the rep picks; the most relevant is first and preselected. */
export function LeadPicker({ leads, selected, onPick }: { leads: FoundLead[]; selected: string | undefined; onPick: (email: string) => void }) {
  return (
    <nav class="picker" data-testid="picker" aria-label={t('leadsOnPage')}>
      <ul>
        {leads.map((l) => (
          <li key={l.email}>
            <button type="button" aria-pressed={l.email === selected} onClick={() => onPick(l.email)}>
              <span>{l.name ?? l.email}</span> <span class="muted small">{t(ROLE[l.role])}</span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
