// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../extension/i18n.ts';
import { NOW, renderDashboard } from './dashboard-harness.tsx';
import { englishLeaks, visibleTexts } from './english-leak.ts';
import { installBrowserStubs } from './setup.ts';

// Version history with authors and notes: publishing and rolling back ask why (optional), the
// note reaches the API, and each version shows who published it, why, and when in the
// reader's language and date format.

const medium = (lang: string, at: number) => new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(at);

async function openEditor() {
  const view = renderDashboard();
  await screen.findByTestId('action-bar');
  return view;
}

function version(n: number): HTMLElement {
  return within(screen.getByTestId('versions')).getAllByRole('listitem').find((li) => li.dataset.version === String(n))!;
}

describe('version authors and notes', () => {
  beforeEach(() => void installBrowserStubs());
  afterEach(() => {
    cleanup();
    setLanguage(undefined);
  });

  it('publish asks why; the note is sent and shown with the author and a local date', async () => {
    setLanguage('en');
    const { admin } = await openEditor();
    fireEvent.input(screen.getByLabelText('Interest half-life (days)'), { target: { value: '14' } });
    fireEvent.click(screen.getByRole('button', { name: 'Publish' }));
    const note = screen.getByLabelText('Why this change? (optional; shown in the version history)') as HTMLTextAreaElement;
    expect(document.activeElement).toBe(note);
    expect(note.maxLength).toBe(500);
    fireEvent.input(note, { target: { value: '  Shorter half-life: our cycle is 6 weeks  ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Yes, go ahead' }));
    await waitFor(() => expect(screen.getByTestId('draft-state').textContent).toBe('Published as version 3; every lead is being rescored.'));
    expect(admin.state.notes).toEqual(['Shorter half-life: our cycle is 6 weeks']);

    fireEvent.click(screen.getByRole('button', { name: 'Versions' }));
    await screen.findByTestId('versions');
    const v3 = version(3);
    expect(v3.textContent).toContain('by Ada Admin');
    expect(v3.textContent).toContain('Why: Shorter half-life: our cycle is 6 weeks');
    expect(v3.textContent).toContain(medium('en', NOW));
    // A key without a name is named by the start of its id; the starter version by no one.
    expect(version(2).textContent).toContain('by admin key 0192f0c4');
    expect(version(1).textContent).not.toMatch(/\bby\b/);
    expect(version(1).querySelector('.version-note')).toBeNull();
    expect(version(1).textContent).toContain('First version.');
    expect(version(1).textContent).not.toContain('No changes.');
  });

  it('an empty note and a cancelled question send nothing', async () => {
    setLanguage('en');
    const { admin } = await openEditor();
    fireEvent.input(screen.getByLabelText('Interest half-life (days)'), { target: { value: '15' } });
    fireEvent.click(screen.getByRole('button', { name: 'Publish' }));
    fireEvent.input(screen.getByTestId('publish-note'), { target: { value: 'not this one' } });
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(admin.state.calls).not.toContain('publishDraft b2b-starter');
    fireEvent.click(screen.getByRole('button', { name: 'Publish' }));
    // The cancelled text does not come back.
    expect((screen.getByTestId('publish-note') as HTMLTextAreaElement).value).toBe('');
    fireEvent.input(screen.getByTestId('publish-note'), { target: { value: '   ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Yes, go ahead' }));
    await waitFor(() => expect(admin.state.calls).toContain('publishDraft b2b-starter'));
    expect(admin.state.notes).toEqual([undefined]);
  });

  it('rollback asks why too', async () => {
    setLanguage('en');
    const { admin } = await openEditor();
    fireEvent.click(screen.getByRole('button', { name: 'Versions' }));
    await screen.findByTestId('versions');
    fireEvent.click(screen.getByRole('button', { name: 'Roll back to version 1' }));
    fireEvent.input(screen.getByLabelText('Why roll back? (optional; shown in the version history)'), { target: { value: 'MQLs halved after v2' } });
    fireEvent.click(screen.getByRole('button', { name: 'Yes, go ahead' }));
    await screen.findByText('Version 1 is live again as version 3; every lead is being rescored.');
    expect(admin.state.notes).toEqual(['MQLs halved after v2']);
    await waitFor(() => expect(version(3).textContent).toContain('Why: MQLs halved after v2'));
  });

  for (const [lang, tab, publish, confirm, by, why, byKey] of [
    ['nl', 'Versies', 'Publiceren', 'Ja, doorgaan', 'door Ada Admin', 'Waarom: Kortere halveringstijd', 'door beheerderssleutel 0192f0c4'],
    ['sv', 'Versioner', 'Publicera', 'Ja, fortsätt', 'av Ada Admin', 'Varför: Kortere halveringstijd', 'av administratörsnyckel 0192f0c4'],
  ] as const) {
    it(`${lang}: the question, the author, the note and the date in ${lang}, with no English`, async () => {
      setLanguage(lang);
      const { container } = await openEditor();
      const halfLife = container.querySelector('[data-path="halfLifeDays"] input') ?? container.querySelector('input[data-path="halfLifeDays"]');
      fireEvent.input(halfLife!, { target: { value: '14' } });
      fireEvent.click(screen.getByRole('button', { name: publish }));
      const asked = visibleTexts(container);
      fireEvent.input(screen.getByTestId('publish-note'), { target: { value: 'Kortere halveringstijd' } });
      fireEvent.click(screen.getByRole('button', { name: confirm }));
      await waitFor(() => expect(screen.getByTestId('draft-state').textContent).toMatch(/3/));
      fireEvent.click(screen.getByRole('button', { name: tab }));
      await screen.findByTestId('versions');
      const v3 = version(3);
      expect(v3.textContent).toContain(by);
      expect(v3.textContent).toContain(why);
      expect(v3.textContent).toContain(medium(lang, NOW));
      expect(medium(lang, NOW)).not.toBe(medium('en', NOW));
      expect(version(2).textContent).toContain(byKey);
      expect(englishLeaks([...asked, ...visibleTexts(container)], lang, ['Ada Admin', 'B2B starter'])).toEqual([]);
    });
  }
});
