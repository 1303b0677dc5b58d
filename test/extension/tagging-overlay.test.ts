// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { KnownTag, ReplyTo } from '../../shared/contracts/messages.ts';
import type { Send, TaggerRequest } from '../../extension/tagging/client.ts';
import { setLanguage } from '../../extension/i18n.ts';
import { startTagger, type Tagger } from '../../extension/tagging/overlay.ts';
import { selectorFor } from '../../extension/tagging/selector.ts';
import { proposals } from '../../extension/tagging/pattern.ts';
import { installBrowserStubs } from './setup.ts';

// The tagger in a saved pricing page: badges for what is tagged, hover and click, the element
// and page forms, saving and publishing through (a stand-in for) the background, Escape.

const MODEL = { id: 'b2b-starter', name: 'B2B starter', version: 3 };
const TAGS: KnownTag[] = [
  { source: 'live', ruleId: 'trial-click', label: 'trial', points: 5, selector: '[href="/signup?plan=starter"]' },
  { source: 'draft', ruleId: 'team-click', label: 'trial', points: 7, selector: '[href="/signup?plan=team"]' },
  { source: 'live', ruleId: 'pricing-page', label: 'pricing', points: 20, path: '/pricing' },
  { source: 'live', ruleId: 'blog', label: 'blog', points: 2, path: '/blog/*' },
];

function fakeBackground() {
  const calls: TaggerRequest[] = [];
  const send = vi.fn(async (msg: TaggerRequest) => {
    calls.push(msg);
    switch (msg.type) {
      case 'tagging-context':
        return { status: 'ok', model: MODEL, tags: TAGS } satisfies ReplyTo<'tagging-context'>;
      case 'tagging-save':
        return msg.request.tag === 'refused'
          ? ({ status: 'problem', problem: 'invalid', message: 'bad tag', details: ['interestRules.9.when.selector: too long'] } satisfies ReplyTo<'tagging-save'>)
          : ({ status: 'ok', model: { ...MODEL, draftVersion: 4 }, ruleId: 'tag-demo-1' } satisfies ReplyTo<'tagging-save'>);
      case 'tagging-pages':
        return { status: 'ok', pages: { pattern: msg.pattern, matches: [{ path: '/pricing', views: 40 }, { path: '/pricing/enterprise', views: 3 }], total: 2 } } satisfies ReplyTo<'tagging-pages'>;
      case 'tagging-publish':
        return { status: 'ok', version: 4 } satisfies ReplyTo<'tagging-publish'>;
      case 'tagging-stop':
      case 'tagging-dashboard':
        return { status: 'ok' } satisfies ReplyTo<'tagging-stop'>;
    }
  });
  return { send: send as unknown as Send, calls };
}

const flush = () => new Promise((r) => setTimeout(r, 5));
const text = (root: ShadowRoot) => root.textContent ?? '';
const byText = (root: ShadowRoot, label: string) => [...root.querySelectorAll('button')].find((b) => b.textContent === label)!;
const input = (root: ShadowRoot, name: string) => root.querySelector<HTMLInputElement>(`input[name="${name}"]`)!;
function type(el: HTMLInputElement, value: string) {
  el.value = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
}

let tagger: Tagger;
let bg: ReturnType<typeof fakeBackground>;

beforeEach(async () => {
  installBrowserStubs();
  // happy-dom would try (and fail, loudly) to fetch the page's stylesheets.
  const html = readFileSync(resolve('test/fixtures/pages/saas-pricing.html'), 'utf8').replace(/<link rel="stylesheet"[^>]*>/g, '');
  const parsed = new DOMParser().parseFromString(html, 'text/html');
  document.head.replaceChildren(...[...parsed.head.childNodes].map((n) => document.importNode(n, true)));
  document.body.replaceWith(document.importNode(parsed.body, true));
  history.replaceState(null, '', '/pricing');
  bg = fakeBackground();
  tagger = startTagger({ doc: document, send: bg.send, previewDelayMs: 0 });
  await flush();
});
afterEach(() => {
  tagger?.stop();
  setLanguage(undefined);
});

describe('tagging mode', () => {
  it('draws in a closed shadow root and shows what is tagged already', () => {
    const host = document.querySelector('leadglow-tagger')!;
    expect(host.shadowRoot).toBeNull();
    expect(host.getAttribute('data-state')).toBe('ready');
    const badges = [...tagger.root.querySelectorAll('.badge')].map((b) => `${b.className}: ${b.textContent}`);
    expect(badges).toEqual([
      'badge live: trial +5',
      'badge draft: trial +7 (draft)',
      'badge markup: demo +15 (markup)',
    ]);
    // The page's own rule and its meta tags; the blog rule does not match /pricing.
    expect(text(tagger.root)).toContain('This page: pricing +20 · /pricing');
    expect(text(tagger.root)).toContain('This page: pricing +20 (markup)');
    expect(text(tagger.root)).not.toContain('blog');
  });

  it('highlights the hovered element without touching it, and keeps the click from the page', async () => {
    const target = document.querySelector<HTMLElement>('[href="/contact-sales"]')!;
    const before = target.outerHTML;
    const pageSaw = vi.fn();
    document.addEventListener('click', pageSaw, true);
    target.addEventListener('click', pageSaw);

    target.dispatchEvent(new PointerEvent('pointermove', { bubbles: true, composed: true }));
    const box = tagger.root.querySelector<HTMLElement>('.box')!;
    expect(box.style.display).toBe('block');
    expect(target.outerHTML).toBe(before);

    const click = new MouseEvent('click', { bubbles: true, cancelable: true, composed: true });
    target.dispatchEvent(click);
    expect(pageSaw).not.toHaveBeenCalled();
    expect(click.defaultPrevented).toBe(true);
    expect(box.classList.contains('selected')).toBe(true);
    expect(tagger.root.querySelector('code')!.textContent).toBe(selectorFor(target));
    expect(text(tagger.root)).toContain('“Contact sales”');
  });

  it('snaps a click inside a link to the link; Alt+↑ widens, Alt+↓ narrows; the scope can widen to the whole site', async () => {
    document.body.insertAdjacentHTML('beforeend', '<section aria-label="Plans"><div><a href="/demo"><span>Book</span> a demo</a></div></section>');
    const span = document.querySelector('section[aria-label="Plans"] span')!;
    const link = span.parentElement!;
    span.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, composed: true }));
    const code = () => tagger.root.querySelector('code')!.textContent;
    expect(code()).toBe(selectorFor(link));
    const key = (k: string) => window.dispatchEvent(new KeyboardEvent('keydown', { key: k, altKey: true, bubbles: true, cancelable: true }));
    key('ArrowUp');
    expect(code()).toBe(selectorFor(document.querySelector('section[aria-label="Plans"]')!));
    expect(byText(tagger.root, 'Wider').disabled).toBe(true);
    key('ArrowDown');
    key('ArrowDown');
    expect(code()).toBe(selectorFor(span));
    expect(byText(tagger.root, 'Narrower').disabled).toBe(true);
    byText(tagger.root, 'Wider').click();
    expect(code()).toBe(selectorFor(link));

    byText(tagger.root, 'Whole site').click();
    type(input(tagger.root, 'tag'), 'demo');
    type(input(tagger.root, 'weight'), '10');
    tagger.root.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await flush();
    expect(bg.calls.find((c) => c.type === 'tagging-save')).toMatchObject({
      request: { selector: selectorFor(link), text: 'Book a demo', pattern: '/*', fingerprint: { tag: 'a', text: 'Book a demo', href: '/demo' } },
    });
  });

  it('saves an element tag through the background, then publishes the draft', async () => {
    const target = document.querySelector<HTMLElement>('[href="/contact-sales"]')!;
    target.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, composed: true }));
    // The suggestion fills the tag; the points are typed.
    byText(tagger.root, 'demo').click();
    expect(input(tagger.root, 'tag').value).toBe('demo');
    type(input(tagger.root, 'weight'), '25');
    tagger.root.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await flush();

    expect(bg.calls.find((c) => c.type === 'tagging-save')).toEqual({
      type: 'tagging-save',
      modelId: 'b2b-starter',
      request: {
        target: 'element', selector: selectorFor(target), tag: 'demo', weight: 25, text: 'Contact sales', url: 'http://localhost:3000/pricing',
        // Counted on this page unless widened; who the element is, for after a deploy.
        pattern: '/pricing', fingerprint: { tag: 'a', text: 'Contact sales', href: '/contact-sales', index: 0 },
      },
    });
    expect(text(tagger.root)).toContain('Saved to the draft of B2B starter (version 4). Tags score once the draft is published.');
    expect(document.querySelector('leadglow-tagger')!.getAttribute('data-state')).toBe('saved');
    expect([...tagger.root.querySelectorAll('.badge')].map((b) => b.textContent)).toContain('demo +25 (draft)');

    byText(tagger.root, 'Open the dashboard').click();
    expect(bg.calls.at(-1)).toEqual({ type: 'tagging-dashboard' });
    byText(tagger.root, 'Publish draft').click();
    await flush();
    expect(bg.calls.some((c) => c.type === 'tagging-publish' && c.modelId === 'b2b-starter')).toBe(true);
    expect(text(tagger.root)).toContain('Published B2B starter version 4: the tag scores from now on.');
    expect([...tagger.root.querySelectorAll('button')].map((b) => b.textContent)).not.toContain('Publish draft');
    expect(document.querySelector('leadglow-tagger')!.getAttribute('data-state')).toBe('published');
  });

  it('refuses a bad tag or weight before asking the server, and shows the server\'s refusal with its details', async () => {
    document.querySelector<HTMLElement>('#demo-email')!.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, composed: true }));
    type(input(tagger.root, 'tag'), 'no <html> please');
    tagger.root.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    expect(text(tagger.root)).toContain('A tag is 1 to 40 letters');
    type(input(tagger.root, 'tag'), 'demo');
    type(input(tagger.root, 'weight'), '500');
    tagger.root.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    expect(text(tagger.root)).toContain('Points are a whole number from 1 to 100.');
    expect(bg.calls.some((c) => c.type === 'tagging-save')).toBe(false);

    type(input(tagger.root, 'weight'), '5');
    type(input(tagger.root, 'tag'), 'refused');
    tagger.root.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await flush();
    expect(tagger.root.querySelector('.status.error')!.textContent).toBe('Not saved: the server did not accept it · bad tag · interestRules.9.when.selector: too long');
  });

  it('tags the page by a path pattern with a live preview of the known pages it matches', async () => {
    byText(tagger.root, 'Tag this page').click();
    await flush();
    expect(input(tagger.root, 'pattern').value).toBe('/pricing');
    expect(bg.calls.filter((c) => c.type === 'tagging-pages').at(-1)).toEqual({ type: 'tagging-pages', pattern: '/pricing' });
    expect(text(tagger.root)).toContain('2 known pages match');
    expect([...tagger.root.querySelectorAll('.preview li')].map((li) => li.textContent)).toContain('/pricing/enterprise');

    type(input(tagger.root, 'pattern'), '/pricing*');
    await flush();
    expect(bg.calls.filter((c) => c.type === 'tagging-pages').at(-1)).toEqual({ type: 'tagging-pages', pattern: '/pricing*' });
    type(input(tagger.root, 'tag'), 'pricing');
    type(input(tagger.root, 'weight'), '15');
    tagger.root.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await flush();
    expect(bg.calls.find((c) => c.type === 'tagging-save')).toMatchObject({ request: { target: 'page', pattern: '/pricing*', tag: 'pricing', weight: 15 } });
  });

  it('starts from the tag an element has, and follows elements a single-page site adds', async () => {
    document.querySelector<HTMLElement>('[href="/signup?plan=team"]')!.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, composed: true }));
    expect(input(tagger.root, 'tag').value).toBe('trial');
    expect(input(tagger.root, 'weight').value).toBe('7');

    const late = document.createElement('a');
    late.setAttribute('href', '/signup?plan=starter');
    late.textContent = 'Start trial';
    document.body.append(late);
    await new Promise((r) => requestAnimationFrame(() => r(undefined)));
    await flush();
    expect([...tagger.root.querySelectorAll('.badge')].filter((b) => b.textContent === 'trial +5')).toHaveLength(2);
  });

  it('loads the model again when it could not at the start', async () => {
    tagger.stop();
    let fail = true;
    const send = (async (msg: TaggerRequest) => {
      if (msg.type === 'tagging-context' && fail) return { status: 'problem', problem: 'unreachable' };
      return bg.send(msg as never);
    }) as Send;
    tagger = startTagger({ doc: document, send, previewDelayMs: 0 });
    await flush();
    expect(tagger.root.querySelector('.status.error')!.textContent).toBe("Could not load the model's tags: the server could not be reached");
    fail = false;
    document.querySelector<HTMLElement>('#demo-email')!.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, composed: true }));
    type(input(tagger.root, 'tag'), 'contact');
    tagger.root.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await flush();
    expect(bg.calls.find((c) => c.type === 'tagging-save')).toMatchObject({ modelId: 'b2b-starter', request: { selector: '#demo-email', tag: 'contact', weight: 10 } });
  });

  it('says what failed when the background does not answer, and logs why; the form stays to try again', async () => {
    tagger.stop();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const gone = new Error('Could not establish connection. Receiving end does not exist.');
    let away = true;
    const send = (async (msg: TaggerRequest) => {
      if (away && (msg.type === 'tagging-save' || msg.type === 'tagging-pages')) throw gone;
      return bg.send(msg as never);
    }) as Send;
    tagger = startTagger({ doc: document, send, previewDelayMs: 0 });
    await flush();
    document.querySelector<HTMLElement>('#demo-email')!.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, composed: true }));
    type(input(tagger.root, 'tag'), 'contact');
    tagger.root.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await flush();
    expect(tagger.root.querySelector('.status.error')!.textContent).toBe('Not saved: the server could not be reached');
    expect(document.querySelector('leadglow-tagger')!.getAttribute('data-state')).toBe('error');
    expect(warn).toHaveBeenCalledWith('Leadglow: tagging mode: saving the tag failed', gone);
    expect(tagger.root.querySelector<HTMLButtonElement>('button[type="submit"]')!.disabled).toBe(false);
    // The page form's preview says so too, where it used to stay blank.
    byText(tagger.root, 'Tag this page').click();
    await flush();
    expect(tagger.root.querySelector('form p[role="status"]')!.textContent).toBe('the server could not be reached');
    away = false;
    tagger.root.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await flush();
    expect(document.querySelector('leadglow-tagger')!.getAttribute('data-state')).toBe('error'); // no tag typed yet
    type(input(tagger.root, 'tag'), 'pricing');
    tagger.root.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await flush();
    expect(document.querySelector('leadglow-tagger')!.getAttribute('data-state')).toBe('saved');
    warn.mockRestore();
  });

  it('says so in the panel when the dashboard did not open, in the marketer\'s language, and keeps the draft saved', async () => {
    tagger.stop();
    setLanguage('sv');
    const send = (async (msg: TaggerRequest) =>
      msg.type === 'tagging-dashboard' ? { status: 'problem', problem: 'not-configured' } : bg.send(msg as never)) as Send;
    tagger = startTagger({ doc: document, send, previewDelayMs: 0 });
    await flush();
    document.querySelector<HTMLElement>('#demo-email')!.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, composed: true }));
    type(input(tagger.root, 'tag'), 'contact');
    tagger.root.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await flush();
    byText(tagger.root, 'Öppna översikten').click();
    await flush();
    expect(tagger.root.querySelector('.status.error')!.textContent).toMatch(/^Översikten kunde inte öppnas: .+/);
    expect(document.querySelector('leadglow-tagger')!.getAttribute('data-state')).toBe('saved');
    expect(tagger.root.querySelector('.actions button.primary')!.textContent).toBe('Publicera utkast');
  });

  it('proposes the page and its section as patterns', () => {
    expect(proposals('/case-studies/acme')).toEqual(['/case-studies/acme', '/case-studies/*', '/case-studies*']);
    expect(proposals('/')).toEqual(['/']);
  });

  it('leaves on Escape: the overlay is gone and page clicks work again', async () => {
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    await flush();
    expect(document.querySelector('leadglow-tagger')).toBeNull();
    expect(bg.calls.at(-1)).toEqual({ type: 'tagging-stop' });
    const pageSaw = vi.fn();
    const target = document.querySelector<HTMLElement>('[href="/contact-sales"]')!;
    target.addEventListener('click', (e) => {
      e.preventDefault();
      pageSaw();
    });
    target.click();
    expect(pageSaw).toHaveBeenCalledOnce();
    expect(tagger.active()).toBe(false);
  });
});
