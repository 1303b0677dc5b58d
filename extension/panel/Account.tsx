import { useEffect, useState } from 'preact/hooks';
import type { Account as AccountData } from '../../shared/index.ts';
import { t } from '../i18n.ts';
import type { Client } from './client.ts';
import { num, stageLabel } from './format.ts';
import { warnFailed } from '../warn.ts';

/** The company: its summed interest and the other people from it, hottest first. */
export function Account({ client, account, domain, leadId, onPick }: {
  client: Client;
  account: AccountData | undefined;
  domain: string | undefined;
  leadId: string;
  onPick: (email: string) => void;
}) {
  const [fetched, setFetched] = useState<AccountData | undefined>(undefined);
  useEffect(() => {
    if (account || !domain) return;
    let live = true;
    client.send({ type: 'get-account', domain }).then((r) => live && r.status === 'ok' && setFetched(r.account), warnFailed('loading the account'));
    return () => void (live = false);
  }, [client, account, domain]);
  const a = account ?? fetched;
  if (!a) return null;
  const members = [...a.members].sort((x, y) => y.interest - x.interest);
  return (
    <section class="account" data-testid="account">
      <h3>
        {t('account')}: {a.name ?? a.domain}
      </h3>
      <p class="muted">{t('accountInterest', [num(a.interest)])}</p>
      <ul>
        {members.map((m) => (
          <li key={m.id} class={m.id === leadId ? 'current' : ''}>
            <button type="button" class="link" onClick={() => onPick(m.email)}>
              {m.name ?? m.email}
            </button>
            {m.jobTitle ? <span class="muted"> · {m.jobTitle}</span> : null} <span class={`pill stage-${m.stage}`}>{stageLabel(m.stage)}</span>{' '}
            <span class="muted" title={t('interest')}>{num(m.interest)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
