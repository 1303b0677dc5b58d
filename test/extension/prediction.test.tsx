// @vitest-environment happy-dom
import { cleanup, render, screen, within } from '@testing-library/preact';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Client } from '../../extension/panel/client.ts';
import { LeadCard } from '../../extension/panel/LeadCard.tsx';
import { Prediction } from '../../extension/panel/Prediction.tsx';
import { createFakeApi, visit } from './fake-api.ts';
import { installBrowserStubs } from './setup.ts';

// The predictive model's probability and top factors beside the point scores in the side panel,
// factors in words, and why there is no probability when the model has not earned one, in
// English, Dutch and Swedish.

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
    // Factors without a column (older servers) keep their English label.
    expect(factors.map((f) => f.textContent)).toEqual(['company.size 50-5000 — raises', 'free email domain — lowers', 'visits to /pricing — raises', 'days since last visit — lowers', 'blog posts read — raises']);
    expect(factors[1]!.className).toBe('minus');
    expect(factors[0]!.title).toBe('+0.9');
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

  it('words each lead feature from its column and value', () => {
    render(
      <Prediction
        predicted={{
          ...predicted,
          factors: [
            { feature: 'count_tag_pricing = 3', column: 'count_tag_pricing', value: 3, weight: 1.2 },
            { feature: 'days_since_page_view = 2.5', column: 'days_since_page_view', value: 2.5, weight: 0.4 },
            { feature: 'days_since_download = missing', column: 'days_since_download', value: null, weight: -0.3 },
            { feature: 'job_title = missing', column: 'job_title', value: null, weight: -0.2 },
            { feature: 'company_size = 120', column: 'company_size', value: 120, weight: 0.1 },
          ],
        }}
      />,
    );
    const factors = within(screen.getByRole('list', { name: 'What weighs most in the prediction' })).getAllByRole('listitem');
    expect(factors.map((f) => f.textContent)).toEqual([
      '“pricing” tag: 3 times — raises',
      'last page view: 2.5 days ago — raises',
      'no download yet — lowers',
      'job title: unknown — lowers',
      'company size: 120 employees — raises',
    ]);
  });

  it('says why there is no chance to win yet, with the counts', () => {
    render(<Prediction predicted={undefined} withheld={{ reason: 'outcomes', won: 34, lost: 13, needed: 50 }} />);
    expect(screen.getByTestId('prediction-withheld').textContent).toBe('No chance to win yet: not enough closed deals (34 won, 13 lost; needs 50 of each)');
    expect(screen.queryByTestId('probability')).toBeNull();
  });
});

describe('prediction in Dutch and Swedish', () => {
  function speak(lang: 'nl' | 'sv') {
    const messages = JSON.parse(readFileSync(resolve(`extension/public/_locales/${lang}/messages.json`), 'utf8')) as Record<string, { message: string }>;
    const b = fakeBrowser as unknown as Record<string, Record<string, unknown>>;
    b.i18n = {
      getMessage: (key: string, subs?: string[]) => (messages[key]?.message ?? '').replace(/\$(\d)/g, (_, n: string) => subs?.[Number(n) - 1] ?? ''),
      getUILanguage: () => lang,
    };
  }
  beforeEach(() => void installBrowserStubs());
  afterEach(cleanup);

  const factors = [
    { feature: 'count_tag_pricing = 3', column: 'count_tag_pricing', value: 3, weight: 1.2 },
    { feature: 'pages_per_visit = 2.5', column: 'pages_per_visit', value: 2.5, weight: -0.4 },
  ];

  it('in Dutch: the factors, the direction, decimal commas and the reason for withholding', () => {
    speak('nl');
    render(<Prediction predicted={{ ...predicted, factors }} />);
    const items = within(screen.getByRole('list')).getAllByRole('listitem');
    expect(items.map((f) => f.textContent)).toEqual(['tag “pricing”: 3 keer — verhoogt', "pagina's per bezoek: 2,5 — verlaagt"]);
    cleanup();
    render(<Prediction predicted={undefined} withheld={{ reason: 'auc', auc: 0.553, needed: 0.6 }} />);
    expect(screen.getByTestId('prediction-withheld').textContent).toBe('Geen winkans getoond: het voorspellende model rangschikt leads nog niet duidelijk beter dan toeval (AUC 0,55, nodig: 0,6)');
  });

  it('in Swedish', () => {
    speak('sv');
    render(<Prediction predicted={{ ...predicted, factors }} />);
    const items = within(screen.getByRole('list')).getAllByRole('listitem');
    expect(items.map((f) => f.textContent)).toEqual(['taggen ”pricing”: 3 gånger — höjer', 'sidor per besök: 2,5 — sänker']);
    cleanup();
    render(<Prediction predicted={undefined} withheld={{ reason: 'outcomes', won: 34, lost: 13, needed: 50 }} />);
    expect(screen.getByTestId('prediction-withheld').textContent).toBe('Ingen vinstchans än: för få avslutade affärer (34 vunna, 13 förlorade; behöver 50 av varje)');
  });
});
