// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Reports } from '../../extension/dashboard/reports/Reports.tsx';
import { createFakeAdminApi, sampleReport } from './fake-admin-api.ts';
import { installBrowserStubs } from './setup.ts';

// Reports render their charts from a Report: one bar per week with its count, the draft's
// line over them, conversion bars with counts, paired bars per rule, ROC and lift with AUC.

function show(report = sampleReport()) {
  const fake = createFakeAdminApi();
  fake.state.report = report;
  const view = render(<Reports api={fake.api} modelId="b2b-starter" refreshKey={0} />);
  return { ...view, fake };
}

const titles = (el: Element, selector: string) => [...el.querySelectorAll(selector)].map((e) => e.getAttribute('aria-label'));

describe('reports', () => {
  beforeEach(() => void installBrowserStubs());
  afterEach(cleanup);

  it('MQLs per week: one bar per week with its count, and the draft as a line', async () => {
    const { fake } = show();
    const chart = await screen.findByTestId('mql-weeks');
    expect(titles(chart, 'rect.bar')).toEqual(['MQLs in the week of Jun 2 (live): 3', 'MQLs in the week of Jun 9 (live): 5', 'MQLs in the week of Jun 16 (live): 0', 'MQLs in the week of Jun 23 (live): 8']);
    expect(titles(chart, 'circle.dot')).toEqual(['MQLs in the week of Jun 2 (draft): 4', 'MQLs in the week of Jun 9 (draft): 6', 'MQLs in the week of Jun 16 (draft): 1', 'MQLs in the week of Jun 23 (draft): 9']);
    // Taller bar, larger count: the 8 is the tallest, the 0 has no height.
    const heights = [...chart.querySelectorAll('rect.bar')].map((r) => Number(r.getAttribute('height')));
    expect(Math.max(...heights)).toBe(heights[3]);
    expect(heights[2]).toBe(0);
    expect(chart.querySelector('polyline.overlay')).toBeTruthy();
    expect(fake.state.calls).toContain('report b2b-starter 26');
    expect(screen.getByTestId('report-summary').textContent).toContain('Leads: 120, won: 12, lost: 18');
  });

  it('conversion per band and per stage with counts, times, and top rules as pairs', async () => {
    show();
    const bands = await screen.findByTestId('bands');
    expect(titles(bands, 'rect.bar')).toEqual([
      '0–29: 10% converted (won 1, lost 9, leads 70)',
      '30–59: 33% converted (won 3, lost 6, leads 30)',
      '60+: 73% converted (won 8, lost 3, leads 20)',
    ]);
    expect([...bands.querySelectorAll('text.value')].map((t) => t.textContent)).toEqual(['10%', '33%', '73%']);
    expect(titles(screen.getByTestId('stages'), 'rect.bar')).toEqual(['MQL: 60% converted (won 6, lost 4, leads 15)', 'Known: 17% converted (won 2, lost 10, leads 80)']);
    expect(screen.getByTestId('time-to-mql').textContent).toContain('9.5 days');
    expect(screen.getByTestId('time-to-won').textContent).toContain('75% within 45 days · leads: 12');
    expect(titles(screen.getByTestId('top-rules'), 'rect.bar')).toEqual([
      'Visited pricing: 28 points per won lead',
      'Visited pricing: 9 points per lost lead',
      'Read blog posts: 3 points per won lead',
      'Read blog posts: 4 points per lost lead',
    ]);
  });

  it('ROC curve and lift per scorer, with the AUC', async () => {
    show(sampleReport({ curves: [...sampleReport().curves, { scorer: 'predictive (leads decided after it was trained)', auc: 0.9, roc: [{ fpr: 0, tpr: 0 }, { fpr: 0.1, tpr: 0.8 }, { fpr: 1, tpr: 1 }], lift: [{ depth: 0.1, lift: 3 }, { depth: 1, lift: 1 }] }] }));
    const roc = await screen.findByTestId('roc');
    const paths = roc.querySelectorAll('path.curve');
    expect([...paths].map((p) => p.getAttribute('aria-label'))).toEqual(['b2b-starter v2: AUC 0.780', 'predictive (leads decided after it was trained): AUC 0.900']);
    // (0,0) -> (0.2, 0.6) -> (1,1): three points, starting bottom-left.
    expect(paths[0]!.getAttribute('d')!.split(/[ML]/).filter(Boolean)).toHaveLength(3);
    expect(roc.querySelector('line.reference')).toBeTruthy();
    expect(screen.getByTestId('aucs').textContent).toContain('predictive (leads decided after it was trained): AUC 0.900');
    expect(screen.getByTestId('lift').querySelectorAll('path.curve')).toHaveLength(2);
  });

  it('a band without outcomes is a dash, not a zero', async () => {
    const report = sampleReport();
    show({ ...report, bands: [...report.bands, { label: '100+', leads: 4, won: 0, lost: 0, conversion: null }] });
    const bands = await screen.findByTestId('bands');
    expect([...bands.querySelectorAll('text.value')].map((t) => t.textContent)).toEqual(['10%', '33%', '73%', '–']);
    expect(titles(bands, 'rect.bar')[3]).toBe('100+: no outcomes (leads 4)');
  });

  it('without outcomes it says how to import them, and shows no conversion charts', async () => {
    show(sampleReport({ won: 0, lost: 0, curves: [] }));
    const note = await screen.findByTestId('no-outcomes');
    expect(note.textContent).toContain('leadglow import outcomes FILE.csv');
    expect(screen.queryByTestId('bands')).toBeNull();
    expect(screen.queryByTestId('roc')).toBeNull();
    expect(screen.getByTestId('mql-weeks')).toBeTruthy();
  });

  it('without leads it says where leads come from', async () => {
    show(sampleReport({ leads: 0, won: 0, lost: 0, mqlsPerWeek: [], draftMqlsPerWeek: undefined, bands: [], stages: [], curves: [], topRules: [] }));
    expect((await screen.findByTestId('no-leads')).textContent).toContain('Add the snippet');
    expect(screen.getByText('No MQLs in this period.')).toBeTruthy();
    expect(within(document.body).queryByTestId('no-outcomes')).toBeNull();
  });

  it('imports outcomes from a CRM export: the summary with rejected lines, then the report again with them', async () => {
    const { fake } = show();
    await screen.findByTestId('report-summary');
    const section = screen.getByTestId('import-outcomes');
    const button = within(section).getByRole('button', { name: 'Import' });
    expect((button as HTMLButtonElement).disabled).toBe(true);
    const csv = 'email,result,date,value\nann@initech.com,won,2026-11-01,12000\nbob@initech.com,lost,2026-11-02,\ncy@initech.com,maybe,2026-11-03,\n';
    fireEvent.change(within(section).getByLabelText('CSV file'), { target: { files: [new File([csv], 'deals.csv', { type: 'text/csv' })] } });
    fireEvent.click(button);
    const status = await within(screen.getByTestId('import-outcomes')).findByRole('status');
    expect(status.textContent).toContain('Imported: 2. Skipped (no lead with that email): 0. Rejected: 1.');
    expect(status.textContent).toContain('Line 4: result: expected one of won, lost');
    expect(fake.state.calls).toContain('import outcomes');
    await waitFor(() => expect(screen.getByTestId('report-summary').textContent).toContain('won: 13, lost: 19'));
    expect(fake.state.calls.filter((c) => c.startsWith('report ')).length).toBe(2);
  });
});
