import { render } from '@testing-library/preact';
import { createApi } from '../../extension/background/api.ts';
import { Dashboard, type ReadApi } from '../../extension/dashboard/Dashboard.tsx';
import type { Me } from '../../shared/index.ts';
import { createFakeAdminApi, T0 } from './fake-admin-api.ts';
import { createFakeApi, visit } from './fake-api.ts';

// The dashboard over a fake admin API and the fake read API (for opening a lead), as an
// admin (or a rep) would see it.

const DAY = 86_400_000;
export const NOW = T0 + 30 * DAY;

export function renderDashboard({ role = 'admin' as Me['role'] } = {}) {
  const admin = createFakeAdminApi({ now: () => NOW });
  const reads = createFakeApi({ now: () => NOW });
  reads.addLead(
    { email: 'anna.devries@acme-logistics.nl', name: 'Anna de Vries', jobTitle: 'Head of Operations', company: { domain: 'acme-logistics.nl', name: 'Acme Logistics' } },
    visit('site-1', 's1', NOW - 2 * DAY, [{ path: '/pricing', title: 'Pricing' }, { download: 'whitepaper.pdf' }]),
  );
  const api = createApi({ serverUrl: 'http://leadglow.test', token: reads.token }, reads.handle);
  const read: ReadApi = { me: async () => ({ ok: true, data: { role, name: 'Mia Marketer', workspaceDomains: [] } }), lead: api.lead };
  const view = render(<Dashboard admin={admin.api} read={read} now={() => NOW} />);
  return { ...view, admin, reads };
}
