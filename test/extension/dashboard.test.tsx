// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderDashboard } from './dashboard-harness.tsx';
import { installBrowserStubs } from './setup.ts';

// The dashboard's frame: who may use it, the models list, and the views of one model.

describe('dashboard', () => {
  beforeEach(() => void installBrowserStubs());
  afterEach(cleanup);

  it('lists the models with their live version and opens the first one as a draft', async () => {
    const { admin } = renderDashboard();
    const models = await screen.findByTestId('models');
    const row = within(models).getByRole('button', { name: 'B2B starter' });
    expect(row.getAttribute('aria-pressed')).toBe('true');
    expect(models.textContent).toContain('b2b-starter · version 2 · live');
    expect(await screen.findByText('No draft yet: this starts from live version 2. Save to create the draft.')).toBeTruthy();
    expect(admin.state.calls).toContain('draft b2b-starter');
    expect(admin.state.calls).toContain('model b2b-starter');
    expect((screen.getByLabelText('Interest half-life (days)') as HTMLInputElement).value).toBe('21');
  });

  it('a rep token is told it needs an admin token, and no admin call is made', async () => {
    const { admin } = renderDashboard({ role: 'rep' });
    expect((await screen.findByTestId('not-connected')).textContent).toContain('The dashboard needs an admin token');
    expect(screen.getByRole('button', { name: 'Open options' })).toBeTruthy();
    expect(admin.state.calls).toEqual([]);
  });

  it('a saved draft marks the model and is what the editor opens', async () => {
    const { admin } = renderDashboard();
    await screen.findByText(/starts from live version 2/);
    fireEvent.input(screen.getByLabelText('Interest half-life (days)'), { target: { value: '14' } });
    expect(screen.getByTestId('draft-state').textContent).toBe('Unsaved changes.');
    fireEvent.click(screen.getByRole('button', { name: 'Save draft' }));
    await waitFor(() => expect(screen.getByTestId('draft-state').textContent).toBe('Draft saved.'));
    expect(admin.rows('b2b-starter').find((r) => r.status === 'draft')?.model.halfLifeDays).toBe(14);
    fireEvent.click(screen.getByRole('button', { name: 'Discard draft' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, go ahead' }));
    await waitFor(() => expect((screen.getByLabelText('Interest half-life (days)') as HTMLInputElement).value).toBe('21'));
    expect(admin.state.calls).toContain('discardDraft b2b-starter');
    expect(admin.rows('b2b-starter').some((r) => r.status === 'draft')).toBe(false);
  });

  it('switches to the predictive view', async () => {
    renderDashboard();
    await screen.findByTestId('models');
    fireEvent.click(screen.getByRole('button', { name: 'Predictive' }));
    const current = await screen.findByTestId('current-model');
    expect(within(current).getByTestId('mean-auc').textContent).toBe('0.840');
    // The family cross-validation chose, whether reps see it, and the out-of-fold reliability plot.
    expect(within(current).getByTestId('family').textContent).toBe('gradient-boosted trees (chosen by cross-validated AUC: logistic regression 0.810 · gradient-boosted trees 0.840)');
    expect(within(current).getByTestId('shown-to-reps').textContent).toBe('yes: enough outcomes and clearly better than chance');
    const points = within(current).getAllByTestId('reliability-point');
    expect(points).toHaveLength(5);
    expect(points[1]!.getAttribute('aria-label')).toBe('predicted 12%, won 15% (60 leads)');
  });

  it('says in the predictive view why reps do not see the model yet', async () => {
    const { admin } = renderDashboard();
    const status = admin.state.predictive;
    admin.state.predictive = { ...status, current: { ...status.current!, evaluation: { ...status.current!.evaluation, rows: 80, positives: 34 } } };
    await screen.findByTestId('models');
    fireEvent.click(screen.getByRole('button', { name: 'Predictive' }));
    const current = await screen.findByTestId('current-model');
    expect(within(current).getByTestId('shown-to-reps').textContent).toBe('No chance to win yet: not enough closed deals (34 won, 46 lost; needs 50 of each)');
  });
});
