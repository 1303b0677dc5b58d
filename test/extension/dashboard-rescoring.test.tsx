// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RescoreProgress } from '../../extension/dashboard/rescoring/RescoreProgress.tsx';
import { setLanguage } from '../../extension/i18n.ts';
import { renderDashboard } from './dashboard-harness.tsx';
import { createFakeAdminApi } from './fake-admin-api.ts';
import { installBrowserStubs } from './setup.ts';

// Rescoring progress after a publish (GET /v1/rescoring), in the marketer's language with
// numbers in their locale, until every lead is done.

beforeEach(() => installBrowserStubs());
afterEach(() => {
  cleanup();
  setLanguage(undefined);
});

const text = () => screen.getByTestId('rescoring').textContent?.replace(/\s+/g, ' ').trim();

describe('rescoring progress', () => {
  it.each([
    ['en', 'Rescoring every lead under the new version: 1,000 of 2,480 (40%).', 'All 2,480 leads rescored under the new version'],
    ['nl', 'Alle leads worden opnieuw gescoord met de nieuwe versie: 1.000 van 2.480 (40%).', 'Alle 2.480 leads opnieuw gescoord met de nieuwe versie'],
    ['sv', 'Alla leads poängsätts om med den nya versionen: 1 000 av 2 480 (40 %).', 'Alla 2 480 leads har poängsatts om med den nya versionen'],
  ])('follows a rescoring to its end in %s', async (lang, running, finished) => {
    setLanguage(lang);
    const admin = createFakeAdminApi();
    // A publish started the job; the fake moves it 1,000 leads on per look.
    admin.state.rescore = { running: true, done: 0, total: 2_480, startedAt: 0 };
    render(<RescoreProgress api={admin.api} refreshKey={1} pollMs={5} />);
    await waitFor(() => expect(text()).toBe(running), { timeout: 10_000 });
    expect(screen.getByRole('progressbar')).toBeTruthy();
    await waitFor(() => expect(text()).toContain(finished), { timeout: 10_000 });
    expect(screen.queryByRole('progressbar')).toBeNull();
    // Three looks: 0, 1,000 and 2,000 running; the fourth finds it done and is the last.
    expect(admin.state.calls.filter((c) => c === 'rescoring')).toHaveLength(4);
  });

  it('shows nothing on opening the dashboard when no rescoring runs, and the progress after a publish from the editor', async () => {
    renderDashboard();
    fireEvent.input(await screen.findByLabelText('Interest half-life (days)'), { target: { value: '14' } });
    expect(screen.queryByTestId('rescoring')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Publish' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, go ahead' }));
    await waitFor(() => expect(text()).toMatch(/^Rescoring every lead under the new version: [\d,]+ of 2,480 \(\d+%\)\.$|^All 2,480 leads rescored/), { timeout: 10_000 });
  });
});
