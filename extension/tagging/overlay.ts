import type { FormIntent } from '../../shared/contracts/event.ts';
import type { KnownTag, Problem, TaggingModel } from '../../shared/contracts/messages.ts';
import type { TagRequest } from '../../shared/contracts/marketing.ts';
import { t, type MessageKey } from '../i18n.ts';
import { elementBadges, pageBadges, type Badge } from './badges.ts';
import type { Send } from './client.ts';
import { h } from './dom.ts';
import { tagFields } from './form.ts';
import { formOf, handRaiseControl, type HandRaiseContext } from './hand-raise.ts';
import { proposals } from './pattern.ts';
import { canStep, IDLE, nextSelection, shownElement, type Selection, type SelectionEvent } from './selection.ts';
import { selectorFor } from './selector.ts';
import { CSS } from './styles.ts';
import { fingerprintOf, inSiteChrome } from './target.ts';

// Tagging mode in the marketer's page. Everything we draw lives in a closed shadow root on a
// host that takes no pointer events, so hovering reaches the page's elements and layout
// never moves; the highlight is a fixed box drawn over the element. While tagging, clicks
// (and the presses before them) are caught at the window in the capture phase, before the
// page or its tracking snippet sees them.

export type Tagger = { root: ShadowRoot; stop(): void; active(): boolean };
type Options = { doc: Document; send: Send; signal?: AbortSignal; previewDelayMs?: number };

const HOST = 'leadglow-tagger';
const PROBLEM_TEXT = {
  'not-configured': 'taggingProblemNotConfigured',
  unauthorized: 'taggingProblemUnauthorized',
  unreachable: 'taggingProblemUnreachable',
  'not-found': 'taggingProblemNotFound',
  invalid: 'taggingProblemInvalid',
} as const satisfies Record<Problem, MessageKey>;
const BLOCKED = ['click', 'auxclick', 'dblclick', 'mousedown', 'mouseup', 'pointerdown', 'pointerup', 'touchstart', 'touchend'] as const;

export function startTagger({ doc, send, signal, previewDelayMs = 250 }: Options): Tagger {
  const win = doc.defaultView!;
  doc.querySelector(HOST)?.remove();
  const host = doc.createElement(HOST);
  host.setAttribute('style', 'all: initial; position: fixed; inset: 0; z-index: 2147483647; pointer-events: none;');
  const root = host.attachShadow({ mode: 'closed' });
  const box = h(doc, 'div', { class: 'box' });
  const badgeLayer = h(doc, 'div', { class: 'layer' });
  const layer = h(doc, 'div', { class: 'layer' }, box, badgeLayer);
  const status = h(doc, 'p', { class: 'status', role: 'status' });
  const pageLines = h(doc, 'ul', { class: 'preview muted' });
  const body = h(doc, 'div', {});
  const tagPage = h(doc, 'button', { type: 'button' }, t('taggingTagPage'));
  const leave = h(doc, 'button', { type: 'button' }, t('taggingLeave'));
  const panel = h(doc, 'section', { class: 'panel', 'aria-label': t('extName') },
    h(doc, 'div', { class: 'bar' }, h(doc, 'p', {}, t('taggingBar')), tagPage, leave),
    pageLines, body, status);
  root.append(h(doc, 'style', {}, CSS), layer, panel);
  doc.documentElement.append(host);

  let model: TaggingModel | undefined;
  let tags: KnownTag[] = [];
  // For the hand-raise control on a chosen form: the draft's form intents, which intents are hand-raises here.
  let formCtx: HandRaiseContext = { formIntents: [], handRaiseIntents: [] };
  let badges: { badge: Badge; node: HTMLElement }[] = [];
  // What is hovered or chosen (see selection.ts); `onChosen` redraws the open element form.
  let selection: Selection = IDLE;
  let onChosen: (() => void) | undefined;
  let stopped = false;
  function dispatch(event: SelectionEvent): void {
    const before = selection;
    selection = nextSelection(selection, event);
    if (selection === before) return;
    drawBox();
    if (selection.kind === 'chosen' && before.kind === 'chosen' && before.chain === selection.chain) onChosen?.();
  }
  const ours = (e: Event) => e.composedPath().includes(host);

  function place(node: HTMLElement, el: Element, asBadge = false): void {
    const r = el.getBoundingClientRect();
    node.style.top = `${Math.max(0, asBadge ? r.top - 10 : r.top)}px`;
    node.style.left = `${Math.max(0, r.left)}px`;
    if (!asBadge) {
      node.style.width = `${r.width}px`;
      node.style.height = `${r.height}px`;
    }
  }
  function drawBox(): void {
    const el = shownElement(selection);
    box.classList.toggle('selected', selection.kind === 'chosen');
    box.style.display = el ? 'block' : 'none';
    if (el) place(box, el);
  }
  function drawBadges(): void {
    badgeLayer.replaceChildren();
    badges = elementBadges(doc, tags).map((badge) => {
      const node = h(doc, 'span', { class: `badge ${badge.kind}` }, badge.text);
      place(node, badge.el, true);
      badgeLayer.append(node);
      return { badge, node };
    });
    pageLines.replaceChildren(...pageBadges(doc, win.location.pathname, tags).map((line) => h(doc, 'li', {}, t('taggingThisPage', [line]))));
  }
  let frame = 0;
  const relayout = () => {
    frame ||= win.requestAnimationFrame(() => {
      frame = 0;
      drawBox();
      for (const { badge, node } of badges) place(node, badge.el, true);
    });
  };

  // Where the tagger is, on the host for anyone driving it from outside (a Chromium test,
  // assistive tools): loading, ready, saving, saved, published or error. Nothing secret.
  const state = (value: string) => host.setAttribute('data-state', value);
  state('loading');

  function say(text: string, error = false): void {
    if (error) state('error');
    status.textContent = text;
    status.classList.toggle('error', error);
  }
  const problemText = (r: { problem: Problem; message?: string | undefined; details?: string[] | undefined }) =>
    [t(PROBLEM_TEXT[r.problem]), r.message, ...(r.details ?? [])].filter(Boolean).join(' · ');

  async function loadContext(): Promise<void> {
    const r = await send({ type: 'tagging-context', url: win.location.href }).catch(() => undefined);
    if (stopped) return;
    if (!r || r.status !== 'ok') return say(t('taggingLoadFailed', [r ? problemText(r) : t(PROBLEM_TEXT.unreachable)]), true);
    model = r.model;
    tags = r.tags;
    formCtx = { formIntents: r.formIntents ?? [], handRaiseIntents: r.handRaiseIntents ?? [] };
    drawBadges();
    if (host.getAttribute('data-state') === 'loading') state('ready');
  }

  /** Shared by both forms: validate, save through the background, then offer to publish. */
  function form(title: string, parts: Node[], fields: ReturnType<typeof tagFields>, request: (tag: string, weight: number) => TagRequest, onSaved: (ruleId: string | undefined, tag: string, weight: number) => void) {
    const save = h(doc, 'button', { type: 'submit', class: 'primary' }, t('taggingSave'));
    const cancel = h(doc, 'button', { type: 'button' }, t('taggingCancel'));
    const node = h(doc, 'form', {}, h(doc, 'h2', {}, title), ...parts, fields.node, h(doc, 'div', { class: 'actions' }, save, cancel));
    cancel.addEventListener('click', closeForm);
    node.addEventListener('submit', async (e) => {
      e.preventDefault();
      const read = fields.read();
      if (typeof read === 'string') return say(read, true);
      // The model may not have loaded when tagging started (server away for a moment): try again.
      if (!model) await loadContext();
      if (!model) return;
      save.disabled = true;
      state('saving');
      say(t('taggingSaving'));
      void send({ type: 'tagging-save', modelId: model.id, request: request(read.tag, read.weight) })
        .catch(() => ({ status: 'problem' as const, problem: 'unreachable' as const }))
        .then((r) => {
          save.disabled = false;
          if (r.status !== 'ok') return say(t('taggingFailed', [problemText(r)]), true);
          model = r.model;
          onSaved(r.ruleId, read.tag, read.weight);
          offerPublish(r.model);
          state('saved');
        });
    });
    body.replaceChildren(node);
    say('');
    fields.tag.focus();
  }

  /** The hand-raise control's save: one form's intent into the draft, then the offer to publish. */
  async function saveFormIntent(formId: string, intent: FormIntent | null): Promise<string | undefined> {
    if (!model) await loadContext();
    if (!model) return t('taggingFailed', [t(PROBLEM_TEXT.unreachable)]);
    state('saving');
    say(t('taggingSaving'));
    const r = await send({ type: 'tagging-form-intent', modelId: model.id, formId, intent }).catch(() => ({ status: 'problem' as const, problem: 'unreachable' as const }));
    if (r.status !== 'ok') {
      const text = t('taggingFailed', [problemText(r)]);
      say(text, true);
      return text;
    }
    model = r.model;
    formCtx = { ...formCtx, formIntents: r.formIntents };
    onChosen = undefined;
    offerPublish(r.model, t('taggingFormSaved', [r.model.name, String(r.model.draftVersion ?? '')]));
    state('saved');
    return undefined;
  }

  function offerPublish(saved: TaggingModel, message = t('taggingSaved', [saved.name, String(saved.draftVersion ?? '')])): void {
    const publish = h(doc, 'button', { type: 'button', class: 'primary' }, t('taggingPublish'));
    const dashboard = h(doc, 'button', { type: 'button' }, t('taggingOpenDashboard'));
    dashboard.addEventListener('click', () => void send({ type: 'tagging-dashboard' }).catch(() => undefined));
    const done = h(doc, 'div', {},
      h(doc, 'p', {}, message),
      h(doc, 'p', { class: 'muted' }, t('taggingDashboard')),
      h(doc, 'div', { class: 'actions' }, publish, dashboard));
    publish.addEventListener('click', () => {
      publish.disabled = true;
      say(t('taggingPublishing'));
      void send({ type: 'tagging-publish', modelId: saved.id })
        .catch(() => ({ status: 'problem' as const, problem: 'unreachable' as const }))
        .then((r) => {
          if (r.status !== 'ok') {
            publish.disabled = false;
            return say(t('taggingFailed', [problemText(r)]), true);
          }
          closeForm();
          say(t('taggingPublished', [saved.name, String(r.version)]));
          state('published');
          void loadContext();
        });
    });
    body.replaceChildren(done);
    say('');
    publish.focus();
  }

  /**
   * The form for the chosen element. The marketer widens or narrows the choice (Alt+↑, Alt+↓
   * or the buttons) and the selector, text and fingerprint follow; the scope starts at this page
   * and can widen to its section or the whole site (offered first for navigation and footer).
   */
  function elementForm(): void {
    const code = h(doc, 'code', { 'data-selector': '' });
    const quote = h(doc, 'p', { class: 'muted' });
    const wider = h(doc, 'button', { type: 'button', 'aria-keyshortcuts': 'Alt+ArrowUp' }, t('taggingWiden'));
    const narrower = h(doc, 'button', { type: 'button', 'aria-keyshortcuts': 'Alt+ArrowDown' }, t('taggingNarrow'));
    wider.addEventListener('click', () => dispatch({ type: 'widen' }));
    narrower.addEventListener('click', () => dispatch({ type: 'narrow' }));
    const path = win.location.pathname;
    const scopes = [...proposals(path).filter((p) => p !== '/*'), '/*'];
    const scope = h(doc, 'input', { name: 'scope', value: scopes[0], autocomplete: 'off' });
    const chromeHint = h(doc, 'p', { class: 'muted' });
    const scopeChips = scopes.map((o) => {
      const chip = h(doc, 'button', { type: 'button', class: 'chip' }, o === '/*' ? t('taggingScopeSite') : o);
      chip.addEventListener('click', () => void (scope.value = o));
      return chip;
    });
    let target: { selector: string; text: string; fingerprint: ReturnType<typeof fingerprintOf> } | undefined;
    // A form, or anything in one: is it a hand-raise? (hand-raise.ts)
    const formPart = h(doc, 'div', {});
    const refresh = (): void => {
      const el = shownElement(selection);
      if (!el) return;
      const inForm = formOf(el);
      let control: HTMLElement | undefined;
      try {
        control = inForm ? handRaiseControl(doc, inForm, formCtx, saveFormIntent) : undefined;
      } catch {
        control = undefined; // not an http(s) page: no submission to judge
      }
      formPart.replaceChildren(...(control ? [control] : []));
      // The form must not hide what it is about: it moves left when the element is on the right.
      panel.classList.toggle('left', el.getBoundingClientRect().right > win.innerWidth - 360);
      const steps = canStep(selection);
      wider.disabled = !steps.widen;
      narrower.disabled = !steps.narrow;
      try {
        target = { selector: selectorFor(el), text: (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 120), fingerprint: fingerprintOf(el) };
      } catch {
        target = undefined;
        return say(t('taggingNoSelector'), true);
      }
      code.textContent = target.selector;
      quote.textContent = target.text ? `“${target.text}”` : '';
      chromeHint.textContent = inSiteChrome(el) ? t('taggingScopeChrome') : '';
      say('');
    };
    refresh();
    if (!target) return;
    // Tagging an element again replaces its rule (the server keys rules by target): start from what it has.
    const existing = tags.filter((tag) => tag.selector === target!.selector).at(-1);
    const fields = existing ? tagFields(doc, existing.label, Math.max(1, Math.min(100, existing.points))) : tagFields(doc);
    form(
      t('taggingElementTitle'),
      [
        formPart,
        h(doc, 'label', {}, t('taggingSelector')), code, quote,
        h(doc, 'div', { class: 'actions' }, wider, narrower),
        h(doc, 'p', { class: 'muted' }, t('taggingWidenHint')),
        h(doc, 'label', {}, t('taggingScope'), scope), h(doc, 'div', {}, ...scopeChips), chromeHint,
      ],
      fields,
      (tag, weight) => {
        const { selector, text, fingerprint } = target!;
        const pattern = scope.value.trim() || path;
        return { target: 'element', selector, tag, weight, ...(text ? { text } : {}), url: win.location.href.slice(0, 2048), pattern, ...(fingerprint ? { fingerprint } : {}) };
      },
      (ruleId, tag, weight) => {
        tags = [...tags, { source: 'draft', ruleId: ruleId ?? target!.selector, label: tag, points: weight, selector: target!.selector }];
        drawBadges();
      },
    );
    onChosen = refresh;
  }

  function pageForm(): void {
    onChosen = undefined;
    dispatch({ type: 'clear' });
    const options = proposals(win.location.pathname);
    const pattern = h(doc, 'input', { name: 'pattern', value: options[0], autocomplete: 'off' });
    const count = h(doc, 'p', { class: 'muted', role: 'status' });
    const list = h(doc, 'ul', { class: 'preview' });
    let timer: ReturnType<typeof setTimeout> | undefined;
    let asked = 0;
    const preview = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        const value = pattern.value.trim();
        if (!value.startsWith('/')) return void (count.textContent = t('taggingPatternHint'));
        const mine = ++asked;
        void send({ type: 'tagging-pages', pattern: value }).then((r) => {
          if (mine !== asked || stopped) return; // a newer pattern was typed meanwhile
          if (r.status !== 'ok') return void (count.textContent = problemText(r));
          count.textContent = r.pages.total ? t('taggingPreview', [String(r.pages.total)]) : t('taggingPreviewNone');
          list.replaceChildren(...r.pages.matches.map((m) => h(doc, 'li', {}, m.path)));
        }, () => undefined);
      }, previewDelayMs);
    };
    pattern.addEventListener('input', preview);
    const chips = options.map((o) => {
      const chip = h(doc, 'button', { type: 'button', class: 'chip' }, o);
      chip.addEventListener('click', () => {
        pattern.value = o;
        preview();
      });
      return chip;
    });
    const fields = tagFields(doc);
    form(
      t('taggingPageTitle'),
      [h(doc, 'label', {}, t('taggingPattern'), pattern), h(doc, 'div', {}, ...chips), h(doc, 'p', { class: 'muted' }, t('taggingPatternHint')), count, list],
      fields,
      (tag, weight) => ({ target: 'page', pattern: pattern.value.trim(), tag, weight }),
      () => void loadContext(),
    );
    preview();
  }

  function closeForm(): void {
    onChosen = undefined;
    dispatch({ type: 'clear' });
    body.replaceChildren();
  }

  // --- events ------------------------------------------------------------------------------
  const controller = new AbortController();
  const opts = { capture: true, signal: controller.signal };
  win.addEventListener('pointermove', (e) => {
    if (ours(e)) return;
    dispatch({ type: 'hover', el: e.target instanceof win.Element ? e.target : undefined });
  }, { ...opts, passive: true });
  for (const type of BLOCKED) {
    win.addEventListener(type, (e) => {
      if (ours(e)) return;
      e.preventDefault();
      e.stopImmediatePropagation();
      if (type !== 'click' || !(e.target instanceof win.Element)) return;
      // The click hit the innermost element; the choice snaps to the control it belongs to.
      dispatch({ type: 'click', hit: e.target });
      elementForm();
    }, { ...opts, passive: false }); // window-level touch listeners are passive unless told otherwise
  }
  win.addEventListener('keydown', (e) => {
    if (e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown') && selection.kind === 'chosen') {
      e.preventDefault();
      e.stopImmediatePropagation();
      return dispatch({ type: e.key === 'ArrowUp' ? 'widen' : 'narrow' });
    }
    if (e.key !== 'Escape') return;
    e.preventDefault();
    e.stopImmediatePropagation();
    stop();
    void send({ type: 'tagging-stop' }).catch(() => undefined);
  }, opts);
  // Typing in our form must not trigger the page's keyboard shortcuts.
  for (const type of ['keydown', 'keyup', 'keypress', 'input'] as const) host.addEventListener(type, (e) => e.stopPropagation(), { signal: controller.signal });
  win.addEventListener('scroll', relayout, { ...opts, passive: true });
  win.addEventListener('resize', relayout, { signal: controller.signal });
  // Single-page sites swap content under us: badges follow (once per frame at most).
  let redraw = 0;
  const observer = new win.MutationObserver(() => {
    redraw ||= win.requestAnimationFrame(() => {
      redraw = 0;
      drawBadges();
      drawBox();
    });
  });
  observer.observe(doc.body, { childList: true, subtree: true });
  controller.signal.addEventListener('abort', () => {
    observer.disconnect();
    if (redraw) win.cancelAnimationFrame(redraw);
  });
  tagPage.addEventListener('click', pageForm);
  leave.addEventListener('click', () => {
    stop();
    void send({ type: 'tagging-stop' }).catch(() => undefined);
  });

  function stop(): void {
    if (stopped) return;
    stopped = true;
    controller.abort();
    if (frame) win.cancelAnimationFrame(frame);
    host.remove();
  }
  signal?.addEventListener('abort', stop, { once: true });

  void loadContext();
  return { root, stop, active: () => !stopped };
}
