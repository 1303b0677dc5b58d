import '../../zod-jitless.ts';
import { render } from 'preact';
import { connect } from '../../dashboard/connect.ts';
import { Dashboard } from '../../dashboard/Dashboard.tsx';
import { OpenOptions } from '../../dashboard/states.tsx';
import { languageFromPage, t } from '../../i18n.ts';

// The marketer's dashboard, an unlisted page: options links to it (dashboard.html).

const root = document.getElementById('app')!;
languageFromPage();
document.title = t('dbTitle');
void connect().then((api) =>
  render(
    <main class="dashboard">
      <h1>{t('dbTitle')}</h1>
      {api ? <Dashboard admin={api.admin} read={api.read} /> : <OpenOptions title={t('notConfiguredTitle')} body={t('dbNotConnectedBody')} />}
    </main>,
    root,
  ),
);
