import type { KnownTag } from '../../shared/contracts/messages.ts';
import { t } from '../i18n.ts';
import { createActions } from './actions.ts';
import { pageBadges } from './badges.ts';
import type { Send } from './client.ts';
import { describeTarget } from './describe.ts';
import { h } from './dom.ts';
import { elementForm } from './element-form.ts';
import { createHighlight } from './highlight.ts';
import { initialState, isError, transition, type Running, type TaggerEvent, type TaggerState } from './machine.ts';
import { pageForm } from './page-form.ts';
import type { PanelView, ViewContext } from './panel-view.ts';
import { publishOffer } from './publish-offer.ts';
import { statusText } from './status-text.ts';
import { CSS } from './styles.ts';
import { targetChain } from './target.ts';

// Tagging mode in the marketer's page: the DOM around the state machine (machine.ts). Page and
// panel events become machine events; requests go to the background (actions.ts) and their
// answers come back as events; after each transition the overlay draws what changed.
// Everything we draw lives in a closed shadow root on a host that takes no pointer events, so
// hovering reaches the page's elements and layout never moves; the highlight is a fixed box
// drawn over the element. While tagging, clicks (and the presses before them) are caught at
// the window in the capture phase, before the page or its tracking snippet sees them.

export type Tagger = { root: ShadowRoot; stop(): void; active(): boolean };
type Options = { doc: Document; send: Send; signal?: AbortSignal; previewDelayMs?: number };

const HOST = 'leadglow-tagger';
const BLOCKED = ['click', 'auxclick', 'dblclick', 'mousedown', 'mouseup', 'pointerdown', 'pointerup', 'touchstart', 'touchend'] as const;

export function startTagger({ doc, send, signal, previewDelayMs = 250 }: Options): Tagger {
  const win = doc.defaultView!;
  doc.querySelector(HOST)?.remove();
  const host = doc.createElement(HOST);
  host.setAttribute('style', 'all: initial; position: fixed; inset: 0; z-index: 2147483647; pointer-events: none;');
  const root = host.attachShadow({ mode: 'closed' });
  const highlight = createHighlight(doc);
  const status = h(doc, 'p', { class: 'status', role: 'status' });
  const pageLines = h(doc, 'ul', { class: 'preview muted' });
  const body = h(doc, 'div', {});
  const tagPage = h(doc, 'button', { type: 'button' }, t('taggingTagPage'));
  const leave = h(doc, 'button', { type: 'button' }, t('taggingLeave'));
  const panel = h(doc, 'section', { class: 'panel', 'aria-label': t('extName') },
    h(doc, 'div', { class: 'bar' }, h(doc, 'p', {}, t('taggingBar')), tagPage, leave),
    pageLines, body, status);
  root.append(h(doc, 'style', {}, CSS), highlight.layer, panel);
  doc.documentElement.append(host);

  // Where the tagger is, on the host for anyone driving it from outside (a Chromium test,
  // assistive tools): loading, ready, saving, saved, published or error. Nothing secret.
  host.setAttribute('data-state', 'loading');
  let state: TaggerState = initialState();
  /** The form in the panel, and which opening of it (machine.ts Panel.n) it shows. */
  let view: { n: number; view: PanelView } | undefined;

  function dispatch(event: TaggerEvent): void {
    const before = state;
    state = transition(before, event);
    if (state !== before && before.phase !== 'stopped') render(before, state);
  }
  const running = (): Running | undefined => (state.phase === 'stopped' ? undefined : state);

  function drawTags(tags: readonly KnownTag[]): void {
    highlight.drawBadges(tags);
    pageLines.replaceChildren(...pageBadges(doc, win.location.pathname, tags).map((line) => h(doc, 'li', {}, t('taggingThisPage', [line]))));
  }

  /** Draws what changed from `before` to `now`. */
  function render(before: Running, now: TaggerState): void {
    if (now.phase === 'stopped') return teardown();
    host.setAttribute('data-state', now.phase);
    if (now.status !== before.status) {
      status.textContent = statusText(now.status);
      status.classList.toggle('error', isError(now.status));
    }
    if (now.selection !== before.selection) highlight.drawBox(now.selection);
    if (now.loaded && now.loaded.tags !== before.loaded?.tags) drawTags(now.loaded.tags);
    const n = now.panel.kind === 'closed' ? 0 : now.panel.n;
    if (n === (view?.n ?? 0)) return view?.view.update(before, now);
    view?.view.destroy();
    view = undefined;
    const context: ViewContext = { doc, panel, actions };
    const next = now.panel.kind === 'element' ? elementForm(context, now, now.panel)
      : now.panel.kind === 'page' ? pageForm(context, previewDelayMs)
      : now.panel.kind === 'offer' ? publishOffer(context, now.panel)
      : undefined;
    body.replaceChildren(...(next ? [next.node] : []));
    if (!next) return;
    view = { n, view: next };
    next.focus();
  }

  const actions = createActions({ send, dispatch, current: () => state, url: () => win.location.href });

  // --- page and panel events ---------------------------------------------------------------
  const ours = (e: Event) => e.composedPath().includes(host);
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
      const { chain, snapIndex } = targetChain(e.target);
      dispatch({ type: 'click', chain, index: snapIndex, target: describeTarget(chain[snapIndex]!) });
    }, { ...opts, passive: false }); // window-level touch listeners are passive unless told otherwise
  }
  win.addEventListener('keydown', (e) => {
    if (e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown') && running()?.selection.kind === 'chosen') {
      e.preventDefault();
      e.stopImmediatePropagation();
      return actions.step(e.key === 'ArrowUp' ? 'widen' : 'narrow');
    }
    if (e.key !== 'Escape') return;
    e.preventDefault();
    e.stopImmediatePropagation();
    actions.leave();
  }, opts);
  // Typing in our form must not trigger the page's keyboard shortcuts.
  for (const type of ['keydown', 'keyup', 'keypress', 'input'] as const) host.addEventListener(type, (e) => e.stopPropagation(), { signal: controller.signal });
  tagPage.addEventListener('click', () => dispatch({ type: 'open-page-form' }));
  leave.addEventListener('click', actions.leave);

  // Scrolling and resizing move the box and badges; single-page sites swap content under us,
  // and the badges follow. Each at most once per frame.
  let frame = 0;
  const relayout = () => {
    frame ||= win.requestAnimationFrame(() => {
      frame = 0;
      const now = running();
      if (now) highlight.drawBox(now.selection);
      highlight.placeBadges();
    });
  };
  win.addEventListener('scroll', relayout, { ...opts, passive: true });
  win.addEventListener('resize', relayout, { signal: controller.signal });
  let redraw = 0;
  const observer = new win.MutationObserver(() => {
    redraw ||= win.requestAnimationFrame(() => {
      redraw = 0;
      const now = running();
      if (!now) return;
      drawTags(now.loaded?.tags ?? []);
      highlight.drawBox(now.selection);
    });
  });
  observer.observe(doc.body, { childList: true, subtree: true });

  function teardown(): void {
    controller.abort();
    observer.disconnect();
    if (frame) win.cancelAnimationFrame(frame);
    if (redraw) win.cancelAnimationFrame(redraw);
    view?.view.destroy();
    view = undefined;
    host.remove();
  }
  signal?.addEventListener('abort', () => dispatch({ type: 'stop' }), { once: true });

  void actions.loadContext();
  return { root, stop: () => dispatch({ type: 'stop' }), active: () => state.phase !== 'stopped' };
}
