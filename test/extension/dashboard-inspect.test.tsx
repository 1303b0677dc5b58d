// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../extension/i18n.ts';
import { inspectHtml } from '../../server/inspect/page-inspect.ts';
import { defaultModel } from '../../shared/scoring/default-model.ts';
import { renderDashboard } from './dashboard-harness.tsx';
import { englishLeaks, visibleTexts } from './english-leak.ts';
import { installBrowserStubs } from './setup.ts';

// The dashboard's page check in happy-dom. The answers are what the server's inspector
// (server/inspect/page-inspect.ts, which POST /v1/inspect runs) says about saved pages: a WordPress case
// study with a comment form and a newsletter form, a pricing page with meta tags, tagged
// elements and a demo form (test/fixtures/pages, see its README), and a real Swedish quote
// form from the corpus (test/fixtures/pages/forms). The route itself: test/server/inspect-route.test.ts.

const PAGES = join(process.cwd(), 'test/fixtures/pages');
const SITE = 'https://www.cargolytics.example';
const FILES: Record<string, string> = {
  [`${SITE}/case-studies/nordvik/`]: 'wordpress-case-study.html',
  [`${SITE}/pricing`]: 'saas-pricing.html',
  [`${SITE}/kontakt-offert/`]: 'forms/sv-badrum-kontakt-offert.html',
};

function setup() {
  const view = renderDashboard();
  view.admin.state.knownPages = [
    { url: `${SITE}/pricing`, views: 1234 },
    { url: `${SITE}/case-studies/nordvik/`, views: 1 },
  ];
  view.admin.state.inspect = (url) => {
    const file = FILES[url];
    return file ? { ok: true, data: inspectHtml(readFileSync(join(PAGES, file), 'utf8'), url, defaultModel) } : { ok: false, problem: 'invalid', message: 'could not check the page', details: [`url: ${url}: refused 10.0.0.8: it resolves to a private or loopback address (10.0.0.8); set LEADGLOW_WEBHOOK_ALLOW_PRIVATE=1 to allow`] };
  };
  return view;
}

async function openPageCheck(name = 'Page check') {
  fireEvent.click(await screen.findByRole('button', { name }));
}

describe('dashboard: page check', () => {
  beforeEach(() => void installBrowserStubs());
  afterEach(() => {
    cleanup();
    setLanguage(undefined);
  });

  it('a typed address: forms in document order with fields, intent, the deciding words and hand-raise or not; downloads; meta; tagged elements', async () => {
    const { admin } = setup();
    await openPageCheck();
    fireEvent.input(screen.getByLabelText('Page address'), { target: { value: `${SITE}/case-studies/nordvik/` } });
    fireEvent.click(screen.getByRole('button', { name: 'Check page' }));
    const report = await screen.findByTestId('inspect-report');
    expect(admin.state.calls).toContain(`inspect ${SITE}/case-studies/nordvik/`);
    const forms = within(report).getAllByTestId('inspect-form');
    expect(forms.map((f) => f.querySelector('code')!.textContent)).toEqual(['commentform', 'mc4wp-form-1']);
    expect(forms[0]!.textContent).toContain('a form');
    expect(forms[0]!.textContent).toContain('Not a hand-raise');
    expect(forms[0]!.textContent).toContain('decided by button “Post Comment”');
    expect(forms[0]!.textContent).toContain('Fields: comment, email');
    expect(forms[1]!.textContent).toContain('a newsletter sign-up');
    expect(forms[1]!.textContent).toContain('Fields: EMAIL');
    expect(report.textContent).toContain('Forms (2)');
    expect(report.textContent).toContain('Downloads (1)');
    expect(report.textContent).toContain('nordvik-freight-case-study.pdf');
    expect(screen.getByTestId('inspect-meta').textContent).toContain('None (no leadglow:weight');
    expect(report.textContent).toContain('No elements tagged in the markup.');
  });

  it('a known page picked from the list: meta weight and tags, tagged elements, a hand-raise named by its button', async () => {
    setup();
    await openPageCheck();
    const known = await screen.findByTestId('known-pages');
    expect(known.textContent).toContain('1,234 views');
    expect(known.textContent).toContain('1 view');
    fireEvent.click(within(known).getByRole('button', { name: `${SITE}/pricing` }));
    const report = await screen.findByTestId('inspect-report');
    expect((screen.getByLabelText('Page address') as HTMLInputElement).value).toBe(`${SITE}/pricing`);
    const [form] = within(report).getAllByTestId('inspect-form');
    expect(form!.textContent).toContain('a demo request');
    expect(form!.textContent).toContain('Hand-raise');
    expect(form!.textContent).not.toContain('Not a hand-raise');
    expect(form!.textContent).toContain('decided by button “Book a demo”');
    expect(screen.getByTestId('inspect-meta').textContent).toBe('Weight: 20 · Tags: pricing');
    expect(report.textContent).toMatch(/Tagged elements \(\d+\)/);
    expect(report.textContent).toContain('“Book a demo” · weight 15 · tag demo');
  });

  it('a refused or unreachable page: the server’s reason, naming the address; the last answer wins', async () => {
    setup();
    await openPageCheck();
    fireEvent.input(screen.getByLabelText('Page address'), { target: { value: 'http://10.0.0.8/admin' } });
    fireEvent.click(screen.getByRole('button', { name: 'Check page' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('Could not check the page: url: http://10.0.0.8/admin: refused 10.0.0.8: it resolves to a private or loopback address (10.0.0.8); set LEADGLOW_WEBHOOK_ALLOW_PRIVATE=1 to allow');
    expect(screen.queryByTestId('inspect-report')).toBeNull();
    fireEvent.input(screen.getByLabelText('Page address'), { target: { value: `${SITE}/pricing` } });
    fireEvent.click(screen.getByRole('button', { name: 'Check page' }));
    await screen.findByTestId('inspect-report');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  for (const [lang, tab, views, hand, decided] of [
    ['nl', 'Paginacheck', '1.234 weergaven', 'Handopsteker', 'bepaald door het paginaadres /kontakt-offert/'],
    ['sv', 'Sidkontroll', '1\u00a0234 visningar', 'Handuppräckning', 'avgjort av sidans adress /kontakt-offert/'],
  ] as const) {
    it(`${lang}: the page check in the reader's language, numbers in its format, no English`, async () => {
      setLanguage(lang);
      setup();
      await openPageCheck(tab);
      expect((await screen.findByTestId('known-pages')).textContent).toContain(views);
      fireEvent.input(document.querySelector('input[name="url"]')!, { target: { value: `${SITE}/kontakt-offert/` } });
      fireEvent.submit(document.querySelector('input[name="url"]')!.closest('form')!);
      const report = await screen.findByTestId('inspect-report');
      await waitFor(() => expect(within(report).getAllByTestId('inspect-form')).toHaveLength(1));
      const form = within(report).getByTestId('inspect-form');
      expect(form.textContent).toContain(hand);
      expect(form.textContent).toContain(decided);
      const ALLOW = ['leadglow:weight', 'leadglow:tags', 'Kontakta Mig', 'Behöver du hjälp med badrumsrenovering?', 'www.cargolytics.example', 'B2B starter'];
      expect(englishLeaks(visibleTexts(document.body), lang, ALLOW)).toEqual([]);
    });
  }
});
