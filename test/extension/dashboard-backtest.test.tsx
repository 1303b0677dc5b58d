// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Predictive } from '../../extension/dashboard/Predictive.tsx';
import { renderDashboard } from './dashboard-harness.tsx';
import { createFakeAdminApi } from './fake-admin-api.ts';
import { installBrowserStubs } from './setup.ts';

// Backtest of the draft in the editor against live, with its list of moves that open a lead;
// the predictive model's status and retraining.

async function openBacktest() {
  const view = renderDashboard();
  await screen.findByText(/starts from live version 2/);
  return view;
}

describe('backtest', () => {
  beforeEach(() => void installBrowserStubs());
  afterEach(cleanup);

  it('runs the unsaved draft and shows live and draft side by side, per week, and the moves', async () => {
    const { admin } = await openBacktest();
    fireEvent.input(screen.getByLabelText('MQL at interest'), { target: { value: '75' } });
    fireEvent.click(screen.getByRole('button', { name: 'Backtest' }));
    const sent: unknown[] = [];
    const run = admin.api.backtest;
    admin.api.backtest = (draft, weeks) => (sent.push(draft), run(draft, weeks));
    fireEvent.click(screen.getByRole('button', { name: 'Run the backtest' }));
    const table = await screen.findByTestId('side-by-side');
    expect((sent[0] as { thresholds: { mql: { interest: number } } }).thresholds.mql.interest).toBe(75);
    const rows = within(table).getAllByRole('row').map((r) => [...r.children].map((c) => c.textContent));
    expect(rows).toEqual([
      ['', 'live (version 2)', 'draft'],
      ['MQLs now', '16', '12'],
      ['Precision at the MQL threshold', '50%', '62.5%'],
      ['Recall at the MQL threshold', '60%', '55%'],
      ['ROC AUC', '0.780', '0.810'],
    ]);
    const weeks = screen.getByTestId('backtest-weeks');
    expect(weeks.querySelectorAll('rect.bar')).toHaveLength(4);
    expect(weeks.querySelectorAll('circle.dot')[3]!.getAttribute('aria-label')).toBe('MQLs in the week of Jun 23 (draft): 6');
    const moves = screen.getByTestId('moves');
    expect(moves.textContent).toContain('Leads that would change stage: 2');
    expect(moves.textContent).toContain('MQL → Engaged');
    expect(moves.textContent).toContain('64 → 48 (−16)');
  });

  it('opens a lead from the moves with its live scores and reasons', async () => {
    await openBacktest();
    fireEvent.click(screen.getByRole('button', { name: 'Backtest' }));
    fireEvent.click(screen.getByRole('button', { name: 'Run the backtest' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Anna de Vries' }));
    const detail = await screen.findByTestId('lead-detail');
    await waitFor(() => expect(within(detail).getByTestId('lead-detail-name').textContent).toBe('Anna de Vries'));
    expect(within(detail).getByTestId('interest').textContent).toMatch(/Interest\d+/);
    expect(within(detail).getByTestId('reasons').textContent).toContain('Pricing');
    expect(screen.getByRole('button', { name: 'Anna de Vries' }).getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(within(detail).getByRole('button', { name: 'Close' }));
    expect(screen.queryByTestId('lead-detail')).toBeNull();
  });

  it('a draft the server refuses shows its details', async () => {
    await openBacktest();
    fireEvent.click(screen.getByRole('button', { name: 'JSON' }));
    const json = screen.getByLabelText('The draft as JSON') as HTMLTextAreaElement;
    fireEvent.input(json, { target: { value: json.value.replace('"halfLifeDays": 21', '"halfLifeDays": -1') } });
    fireEvent.click(screen.getByRole('button', { name: 'Backtest' }));
    fireEvent.click(screen.getByRole('button', { name: 'Run the backtest' }));
    expect((await screen.findByRole('alert')).textContent).toContain('halfLifeDays');
    expect(screen.queryByTestId('side-by-side')).toBeNull();
  });
});

describe('predictive', () => {
  beforeEach(() => void installBrowserStubs());
  afterEach(cleanup);

  it('shows the evaluation and the last run, and retrains on demand until training ends', async () => {
    const fake = createFakeAdminApi();
    render(<Predictive api={fake.api} pollMs={20} />);
    const current = await screen.findByTestId('current-model');
    expect(within(current).getByTestId('mean-auc').textContent).toBe('0.840');
    expect(within(current).getByTestId('fold-aucs').textContent).toBe('0.820 · 0.850 · 0.830 · 0.860 · 0.840');
    expect(current.textContent).toContain('0.800'); // baseline
    expect(current.textContent).toContain('leads: 300, won: 60');
    expect(screen.getByTestId('last-run').textContent).toContain("kept the previous model. AUC 0.830 (cross-validated) is below the current model's 0.840 on the 40 leads decided");
    expect(within(screen.getByTestId('last-run')).getByTestId('mean-auc').textContent).toBe('0.830'); // the rejected candidate's
    expect(screen.getByTestId('schedule').textContent).toBe('Retrains every 24 hours.');
    fireEvent.click(screen.getByRole('button', { name: 'Retrain now' }));
    await waitFor(() => expect(screen.getByTestId('training').textContent).toBe('Training in the background…'));
    expect(fake.state.calls).toContain('train');
    expect((screen.getByRole('button', { name: 'Retrain now' }) as HTMLButtonElement).disabled).toBe(true);
    fake.state.predictive = { ...fake.state.predictive, training: false, lastRun: { at: Date.UTC(2025, 6, 2), accepted: true, reason: 'AUC 0.86 beats 0.84' } };
    await waitFor(() => expect(screen.getByTestId('training').textContent).toBe('Training finished.'));
    expect(screen.getByTestId('last-run').textContent).toContain('accepted, now in use. AUC 0.86 beats 0.84');
    expect(within(screen.getByTestId('last-run')).queryByTestId('mean-auc')).toBeNull();
  });

  it('without a model it says what is needed', async () => {
    const fake = createFakeAdminApi();
    const { current: _, ...rest } = fake.state.predictive;
    fake.state.predictive = { ...rest, scheduleHours: 0 };
    render(<Predictive api={fake.api} />);
    expect((await screen.findByTestId('no-predictive')).textContent).toContain('leadglow import outcomes');
    expect(screen.getByTestId('schedule').textContent).toBe('Retrains on demand only.');
  });
});
