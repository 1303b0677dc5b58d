// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectCommand } from '../../../server/cli/inspect.ts';
import { cssPath } from '../../../server/inspect/page-inspect.ts';
import { selector } from '../../../sdk/dom.ts';

// `leadglow inspect` on saved real pages: the snippet's form reader, the contract, the classifier.

// Paths from the repository root: in this happy-dom file import.meta.url is not a file URL.
const FORMS = join(process.cwd(), 'test/fixtures/pages/forms');
const PAGES = join(process.cwd(), 'test/fixtures/pages');

function io() {
  let out = '';
  let err = '';
  return { io: { out: (t: string) => void (out += t), err: { write: (t: string) => void (err += t) } as never, env: {}, now: () => 0 }, out: () => out, err: () => err };
}

describe('leadglow inspect', () => {
  it('--json prints each form with its fields, intent, the deciding signal and whether it is a hand-raise', async () => {
    const t = io();
    const code = await inspectCommand([join(FORMS, 'nl-sterkado-zoho-offerte.html'), '--url', 'https://www.sterkado.nl/offerte-aanvragen/', '--json'], t.io);
    expect(t.err()).toBe('');
    expect(code).toBe(0);
    const r = JSON.parse(t.out());
    expect(r.forms).toHaveLength(1);
    expect(r.forms[0]).toMatchObject({ id: 'algemeen', intent: 'quote', handRaise: true, signal: { source: 'button', text: 'Vraag een vrijblijvende offerte aan' } });
    expect(r.forms[0].fields).toContain('Email');
    expect(r).toHaveProperty('downloads');
    expect(r).toHaveProperty('tags');
  });

  it('a page with downloads, meta tags and tagged elements, as text', async () => {
    const t = io();
    expect(await inspectCommand([join(PAGES, 'saas-pricing.html'), '--url', 'https://flowbase.example/pricing'], t.io)).toBe(0);
    expect(t.out()).toMatch(/intent: demo {2}HAND-RAISE/);
    expect(t.out()).toContain('decided by button: "Book a demo"');
    expect(t.out()).toMatch(/downloads \(\d+\):/);
    expect(t.out()).toContain('page meta: weight 20; tags pricing');
  });

  it('a newsletter form is not a hand-raise', async () => {
    const t = io();
    await inspectCommand([join(FORMS, 'en-yamyam-mailchimp-newsletter.html'), '--json'], t.io);
    expect(JSON.parse(t.out()).forms[0]).toMatchObject({ id: 'mc-embedded-subscribe-form', intent: 'newsletter', handRaise: false });
  });

  it('bad input: a clear error naming what and where', async () => {
    let t = io();
    expect(await inspectCommand([], t.io)).toBe(1);
    expect(t.err()).toContain('expected one file or URL');
    t = io();
    expect(await inspectCommand(['/no/such/page.html'], t.io)).toBe(1);
    expect(t.err()).toContain('/no/such/page.html');
    t = io();
    expect(await inspectCommand(['x.html', '--url', 'ftp://x'], t.io)).toBe(1);
    expect(t.err()).toContain('--url');
    t = io();
    const failing = (async () => new Response('gone', { status: 404 })) as typeof fetch;
    expect(await inspectCommand(['https://example.com/demo'], t.io, failing)).toBe(1);
    expect(t.err()).toContain('https://example.com/demo: could not fetch: HTTP 404');
  });

  it('names id-less forms by the same CSS path as the snippet (sdk/dom.ts selector), so overrides keyed by form id match', () => {
    for (const file of ['sv-badrum-kontakt-offert.html', 'en-rejoiner-request-a-demo.html', 'de-isepr-kontakt.html', 'en-thyboon-schedule-demo.html']) {
      document.documentElement.innerHTML = readFileSync(join(FORMS, file), 'utf8').replace(/^[^]*?<html[^>]*>/i, '').replace(/<\/html>\s*$/i, '');
      const form = document.querySelector('form')!;
      expect(cssPath(form, (s) => CSS.escape(s)), file).toBe(selector(form));
    }
  });
});
