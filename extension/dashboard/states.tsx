import { browser } from 'wxt/browser';
import { t } from '../i18n.ts';
import { warnFailed } from '../warn.ts';

// The dashboard's states before it can show anything: not connected, or not an admin.

const openOptions = () => void browser.runtime.openOptionsPage().catch(warnFailed('opening the options page'));

export const OpenOptions = ({ title, body }: { title: string; body: string }) => (
  <section class="message" data-testid="not-connected">
    <h2>{title}</h2>
    <p>{body}</p>
    <button type="button" onClick={openOptions}>
      {t('openOptions')}
    </button>
  </section>
);

export const NeedsAdmin = () => <OpenOptions title={t('dbNeedsAdminTitle')} body={t('dbNeedsAdminBody')} />;
