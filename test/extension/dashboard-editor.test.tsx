// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderDashboard } from './dashboard-harness.tsx';
import { installBrowserStubs } from './setup.ts';

// The draft editor: form and JSON over one draft, errors at their fields (local and from the
// server), and save, publish and rollback against the fake admin API.

const json = () => screen.getByLabelText('The draft as JSON') as HTMLTextAreaElement;
const field = (container: Element, path: string) => container.querySelector(`[data-path="${path}"]`) as HTMLElement;
const input = (region: HTMLElement, label: string) => within(region).getByLabelText(label) as HTMLInputElement;

/** A rule card by its name, opened (cards show one line until opened). */
function openRule(name: string): HTMLElement {
  const region = screen.getByRole('region', { name });
  const summary = region.querySelector('summary')!;
  if (summary.getAttribute('aria-expanded') !== 'true') fireEvent.click(summary);
  return region;
}

async function openEditor() {
  const view = renderDashboard();
  await screen.findByText(/starts from live version 2/);
  return view;
}

describe('draft editor', () => {
  beforeEach(() => void installBrowserStubs());
  afterEach(cleanup);

  it('rule cards are one line until opened; the problem count in the sticky bar opens the first problem', async () => {
    const { container } = await openEditor();
    const product = screen.getByRole('region', { name: 'Visited product pages' });
    expect(product.querySelector('summary')!.textContent).toBe('Visited product pages+5');
    expect(within(product).queryByLabelText('Points')).toBeNull();
    expect(container.querySelector('.action-bar')!.contains(screen.getByRole('button', { name: 'Publish' }))).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'JSON' }));
    const model = JSON.parse(json().value) as { interestRules: { points: number }[] };
    model.interestRules[2]!.points = 500;
    fireEvent.input(json(), { target: { value: JSON.stringify(model) } });
    fireEvent.click(screen.getByRole('button', { name: 'Form' }));
    // The invalid card opened by itself; the count's button takes focus to its field.
    fireEvent.click(screen.getByTestId('problem-count'));
    expect(document.activeElement).toBe(input(screen.getByRole('region', { name: 'Visited product pages' }), 'Points'));
  });

  it('an edit in the form shows in the JSON', async () => {
    await openEditor();
    const pricing = openRule('Visited pricing');
    fireEvent.input(input(pricing, 'Points'), { target: { value: '25' } });
    fireEvent.change(within(pricing).getByLabelText('Counts'), { target: { value: 'once' } });
    fireEvent.input(input(pricing, 'Tag'), { target: { value: 'pricing' } });
    fireEvent.click(screen.getByRole('button', { name: 'JSON' }));
    const rule = (JSON.parse(json().value) as { interestRules: Record<string, unknown>[] }).interestRules[0]!;
    expect(rule).toMatchObject({ id: 'pricing-page', points: 25, repeat: 'once', when: { types: ['page_view'], path: '*/pricing*', tag: 'pricing' } });
  });

  it('unused match conditions fold away and come into view once set', async () => {
    await openEditor();
    const pricing = openRule('Visited pricing');
    expect(input(pricing, 'Page path (glob)').closest('details.more-conditions')).toBeNull();
    expect(input(pricing, 'Tag').closest('details.more-conditions')).toBeTruthy();
    fireEvent.input(input(pricing, 'Tag'), { target: { value: 'pricing' } });
    expect(input(pricing, 'Tag').closest('details.more-conditions')).toBeNull();
    expect(input(pricing, 'Tag').value).toBe('pricing');
  });

  it('unsaved edits make closing the page ask; confirming moves focus to the answer', async () => {
    await openEditor();
    const before = new Event('beforeunload', { cancelable: true });
    dispatchEvent(before);
    expect(before.defaultPrevented).toBe(false);
    fireEvent.input(screen.getByLabelText('Interest half-life (days)'), { target: { value: '14' } });
    const after = new Event('beforeunload', { cancelable: true });
    dispatchEvent(after);
    expect(after.defaultPrevented).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Discard draft' }));
    expect(document.activeElement?.textContent).toBe('Yes, go ahead');
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.getByRole('button', { name: 'Discard draft' })).toBeTruthy();
  });

  it('an edit in the JSON shows in the form, and switching back and forth keeps it', async () => {
    await openEditor();
    fireEvent.click(screen.getByRole('button', { name: 'JSON' }));
    const model = JSON.parse(json().value) as { interestRules: { label: string; points: number; repeat: unknown }[]; thresholds: { mql: { interest: number } } };
    model.interestRules[0]!.label = 'Pricing page';
    model.interestRules[0]!.repeat = { everyDays: 3 };
    model.thresholds.mql.interest = 70;
    fireEvent.input(json(), { target: { value: JSON.stringify(model, null, 2) } });
    fireEvent.click(screen.getByRole('button', { name: 'Form' }));
    const pricing = openRule('Pricing page');
    expect(input(pricing, 'Label').value).toBe('Pricing page');
    expect(input(pricing, 'Days').value).toBe('3');
    expect((screen.getByLabelText('MQL at interest') as HTMLInputElement).value).toBe('70');
    fireEvent.click(screen.getByRole('button', { name: 'JSON' }));
    expect(JSON.parse(json().value).interestRules[0].label).toBe('Pricing page');
  });

  it('a JSON syntax error is shown and keeps the text; the form waits until it parses', async () => {
    await openEditor();
    fireEvent.click(screen.getByRole('button', { name: 'JSON' }));
    const good = json().value;
    fireEvent.input(json(), { target: { value: good.replace('"B2B starter"', '"B2B starter') } });
    expect(screen.getByText(/^Not valid JSON:/)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Form' }) as HTMLButtonElement).disabled).toBe(true);
    expect(json().value).toContain('"B2B starter,');
  });

  it('a local validation error shows at its field and blocks publishing', async () => {
    const { container } = await openEditor();
    const pricing = openRule('Visited pricing');
    fireEvent.input(input(pricing, 'Points'), { target: { value: '500' } });
    expect(field(container, 'interestRules.0.points').textContent).toMatch(/100/);
    expect(input(pricing, 'Points').getAttribute('aria-invalid')).toBe('true');
    expect(container.querySelectorAll('.field.invalid')).toHaveLength(1);
    expect(screen.getByTestId('problem-count').textContent).toBe('Problems to fix: 1. Each is shown at its field.');
    expect((screen.getByRole('button', { name: 'Publish' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.input(input(pricing, 'Points'), { target: { value: '50' } });
    expect(container.querySelectorAll('.field.invalid')).toHaveLength(0);
  });

  it('a rule edited as JSON (fit rules) reports errors under its JSON', async () => {
    const { container } = await openEditor();
    const senior = openRule('Senior decision maker');
    const rest = within(senior).getByLabelText('The rest of the rule (JSON)') as HTMLTextAreaElement;
    const parsed = JSON.parse(rest.value) as { match: { op: string } };
    parsed.match.op = 'startsWith';
    fireEvent.input(rest, { target: { value: JSON.stringify(parsed) } });
    expect(field(container, 'fitRules.0.*').textContent).toContain('match.op');
    fireEvent.click(screen.getByRole('button', { name: 'JSON' }));
    expect(JSON.parse(json().value).fitRules[0].match.op).toBe('startsWith');
    expect(JSON.parse(json().value).fitRules[0].label).toEqual({ en: 'Senior decision maker', nl: 'Senior beslisser', sv: 'Senior beslutsfattare' });
  });

  it("the server's 400 details show at their fields", async () => {
    const { container, admin } = await openEditor();
    admin.state.rejectNextSave = ['interestRules.2.points: must be a multiple of 5', 'thresholds.mql.interest: above every lead seen in 90 days'];
    fireEvent.click(screen.getByRole('button', { name: 'Save draft' }));
    await waitFor(() => expect(screen.getByTestId('draft-state').textContent).toBe('Not done: the server found problems (2), shown at their fields'));
    expect(field(container, 'interestRules.2.points').textContent).toContain('must be a multiple of 5');
    expect(within(screen.getByRole('region', { name: 'Visited product pages' })).getByText('must be a multiple of 5')).toBeTruthy();
    expect(field(container, 'thresholds.mql.interest').textContent).toContain('above every lead seen in 90 days');
    expect(container.querySelectorAll('.field.invalid')).toHaveLength(2);
  });

  it('adds and removes rules', async () => {
    await openEditor();
    const before = screen.getAllByRole('region').length;
    fireEvent.click(screen.getByRole('button', { name: 'Add an interest rule' }));
    const added = openRule('New rule');
    expect(input(added, 'Id').value).toBe('interest-1');
    expect(screen.getByTestId('problem-count').textContent).toBe('No problems found.');
    fireEvent.click(within(added).getByRole('button', { name: 'Remove this rule' }));
    expect(screen.getAllByRole('region').length).toBe(before);
  });

  it('publish saves, publishes after confirming, and the versions list shows the new live version', async () => {
    const { admin } = await openEditor();
    fireEvent.input(screen.getByLabelText('Interest half-life (days)'), { target: { value: '14' } });
    fireEvent.click(screen.getByRole('button', { name: 'Publish' }));
    expect(admin.state.calls).not.toContain('publishDraft b2b-starter');
    fireEvent.click(screen.getByRole('button', { name: 'Yes, go ahead' }));
    await waitFor(() => expect(screen.getByTestId('draft-state').textContent).toBe('Published as version 3; every lead is being rescored.'));
    expect(admin.state.calls.filter((c) => /saveDraft|publishDraft/.test(c))).toEqual(['saveDraft b2b-starter', 'publishDraft b2b-starter']);
    await screen.findByText(/starts from live version 3/);
    expect(screen.getByTestId('models').textContent).toContain('version 3 · live');
    fireEvent.click(screen.getByRole('button', { name: 'Versions' }));
    const list = await screen.findByTestId('versions');
    const items = within(list).getAllByRole('listitem').filter((li) => li.dataset.version);
    expect(items.map((li) => li.dataset.version)).toEqual(['3', '2', '1']);
    expect(items[0]!.textContent).toContain('live');
  });

  it('rollback asks, calls the API and refreshes the versions', async () => {
    const { admin } = await openEditor();
    fireEvent.click(screen.getByRole('button', { name: 'Versions' }));
    await screen.findByTestId('versions');
    expect(screen.queryByRole('button', { name: 'Roll back to version 2' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Roll back to version 1' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, go ahead' }));
    await screen.findByText('Version 1 is live again as version 3; every lead is being rescored.');
    expect(admin.state.calls).toContain('rollback b2b-starter 1');
    await waitFor(() => expect(within(screen.getByTestId('versions')).getAllByRole('listitem').filter((li) => li.dataset.version).length).toBe(3));
    const first = within(screen.getByTestId('versions')).getAllByRole('listitem').find((li) => li.dataset.version === '3')!;
    // The change in the form's own words, once: not the JSON path, not the server's English summary too.
    expect(first.textContent).toContain('Interest half-life (days): 30 → 30');
    expect(first.textContent).not.toContain('halfLifeDays');
  });
});
