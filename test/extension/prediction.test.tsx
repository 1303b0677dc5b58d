// @vitest-environment happy-dom
import { cleanup, render, screen, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Client } from '../../extension/panel/client.ts';
import { LeadCard } from '../../extension/panel/LeadCard.tsx';
import { Prediction } from '../../extension/panel/Prediction.tsx';
import { createFakeApi, visit } from './fake-api.ts';
import { installBrowserStubs } from './setup.ts';

// The predictive model's probability and top factors beside the point scores in the side panel.

const NOW = Date.UTC(2025, 5, 12, 12);
const predicted = {
  probability: 0.374,
  modelId: 'pred-1',
  factors: [
    { feature: 'visits to /pricing', weight: 0.42 },
    { feature: 'company.size 50-5000', weight: 0.9 },
    { feature: 'free email domain', weight: -0.61 },
    { feature: 'blog posts read', weight: 0.05 },
    { feature: 'days since last visit', weight: -0.2 },
    { feature: 'webinar', weight: 0.01 },
  ],
};

describe('prediction in the side panel', () => {
  beforeEach(() => void installBrowserStubs());
  afterEach(cleanup);

  it('shows the probability as a percentage and the five strongest factors with signed weights', () => {
    render(<Prediction predicted={predicted} />);
    expect(screen.getByTestId('probability').textContent).toBe('37%');
    const factors = within(screen.getByRole('list', { name: 'What weighs most in the prediction' })).getAllByRole('listitem');
    expect(factors.map((f) => f.textContent)).toEqual(['+0.90 company.size 50-5000', '−0.61 free email domain', '+0.42 visits to /pricing', '−0.20 days since last visit', '+0.05 blog posts read']);
    expect(factors[1]!.className).toBe('minus');
  });

  it('renders nothing without a prediction', () => {
    const { container } = render(<Prediction predicted={undefined} />);
    expect(container.innerHTML).toBe('');
  });

  it('sits beside the point scores in the lead card', () => {
    const api = createFakeApi({ now: () => NOW });
    const id = api.addLead({ email: 'anna@acme.example', name: 'Anna' }, visit('site-1', 's1', NOW - 86_400_000, [{ path: '/pricing' }]));
    const view = api.view(id);
    view.lead.predicted = predicted;
    const client: Client = { send: vi.fn(async () => ({ status: 'ok', page: { items: [] } })) as unknown as Client['send'], onChanged: () => () => undefined };
    render(<LeadCard client={client} view={view} fetchedAt={NOW} offline={false} refreshing={false} pageUrl={undefined} now={NOW} onPick={() => undefined} onRefresh={() => undefined} />);
    const card = screen.getByTestId('lead');
    expect(within(card).getByTestId('prediction').textContent).toContain('Chance to win37%');
    // After the fit and interest scores, before the stage.
    const order = [...card.querySelectorAll('[data-testid="interest"], [data-testid="prediction"], [data-testid="stage"]')].map((e) => e.getAttribute('data-testid'));
    expect(order).toEqual(['interest', 'prediction', 'stage']);
  });
});
