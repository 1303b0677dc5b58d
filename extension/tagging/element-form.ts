import { t } from '../i18n.ts';
import type { Target } from './describe.ts';
import { h } from './dom.ts';
import { tagFields } from './form.ts';
import { formOf, handRaiseControl, type HandRaiseContext } from './hand-raise.ts';
import type { Panel, Running } from './machine.ts';
import type { PanelView, ViewContext } from './panel-view.ts';
import { proposals } from './pattern.ts';
import { tagForm } from './tag-form.ts';
import { canStep, shownElement, type Selection } from './selection.ts';

/**
 * The form for the chosen element. The marketer widens or narrows the choice (Alt+↑, Alt+↓
 * or the buttons) and the selector, text and fingerprint follow; the scope starts at this page
 * and can widen to its section or the whole site (offered first for navigation and footer).
 * Tagging an element again replaces its rule (the server keys rules by target), so the form
 * starts from the tag the element has.
 */
export function elementForm({ doc, panel, actions }: ViewContext, state: Running, opened: Extract<Panel, { kind: 'element' }>): PanelView {
  const win = doc.defaultView!;
  const code = h(doc, 'code', { 'data-selector': '' });
  const quote = h(doc, 'p', { class: 'muted' });
  const wider = h(doc, 'button', { type: 'button', 'aria-keyshortcuts': 'Alt+ArrowUp' }, t('taggingWiden'));
  const narrower = h(doc, 'button', { type: 'button', 'aria-keyshortcuts': 'Alt+ArrowDown' }, t('taggingNarrow'));
  wider.addEventListener('click', () => actions.step('widen'));
  narrower.addEventListener('click', () => actions.step('narrow'));
  const path = win.location.pathname;
  const scopes = [...proposals(path).filter((p) => p !== '/*'), '/*'];
  const scope = h(doc, 'input', { name: 'scope', value: scopes[0], autocomplete: 'off' });
  const chromeHint = h(doc, 'p', { class: 'muted' });
  const scopeChips = scopes.map((o) => {
    const chip = h(doc, 'button', { type: 'button', class: 'chip' }, o === '/*' ? t('taggingScopeSite') : o);
    chip.addEventListener('click', () => void (scope.value = o));
    return chip;
  });
  // A form, or anything in one: is it a hand-raise? (hand-raise.ts)
  const formPart = h(doc, 'div', {});
  let target: Target | undefined = opened.target;
  let formCtx: HandRaiseContext = state.loaded?.formCtx ?? { formIntents: [], handRaiseIntents: [] };

  /** What follows the chosen element: its form's hand-raise control, where the panel sits, the steps left. */
  const follow = (selection: Selection): void => {
    const el = shownElement(selection);
    if (!el) return;
    const inForm = formOf(el);
    let control: HTMLElement | undefined;
    try {
      control = inForm ? handRaiseControl(doc, inForm, formCtx, actions.saveFormIntent) : undefined;
    } catch (error) {
      // why: the event contract takes only http(s) addresses; on any other page there is no
      // submission to judge, so no control, and the element form works as ever. On an http(s)
      // page the contract refused something else about the form: say what, in the console.
      if (/^https?:$/.test(win.location.protocol)) console.warn('Leadglow: tagging mode: no hand-raise control for this form', error);
      control = undefined;
    }
    formPart.replaceChildren(...(control ? [control] : []));
    // The form must not hide what it is about: it moves left when the element is on the right.
    panel.classList.toggle('left', el.getBoundingClientRect().right > win.innerWidth - 360);
    const steps = canStep(selection);
    wider.disabled = !steps.widen;
    narrower.disabled = !steps.narrow;
  };
  const show = (described: Target | undefined): void => {
    target = described;
    if (!described) return; // the status line says there is no selector; the last one stays shown
    code.textContent = described.selector;
    quote.textContent = described.text ? `“${described.text}”` : '';
    chromeHint.textContent = described.inChrome ? t('taggingScopeChrome') : '';
  };
  follow(state.selection);
  show(target);

  const existing = target && (state.loaded?.tags ?? []).filter((tag) => tag.selector === target!.selector).at(-1);
  const fields = existing ? tagFields(doc, existing.label, Math.max(1, Math.min(100, existing.points))) : tagFields(doc);
  const { node, save } = tagForm(doc, t('taggingElementTitle'), [
    formPart,
    h(doc, 'label', {}, t('taggingSelector')), code, quote,
    h(doc, 'div', { class: 'actions' }, wider, narrower),
    h(doc, 'p', { class: 'muted' }, t('taggingWidenHint')),
    h(doc, 'label', {}, t('taggingScope'), scope), h(doc, 'div', {}, ...scopeChips), chromeHint,
  ], fields, {
    submit: ({ tag, weight }) => {
      if (!target) return; // no selector for the chosen step: the status line says so
      const { selector, text, fingerprint } = target;
      const pattern = scope.value.trim() || path;
      actions.saveTag(
        { target: 'element', selector, tag, weight, ...(text ? { text } : {}), url: win.location.href.slice(0, 2048), pattern, ...(fingerprint ? { fingerprint } : {}) },
        (ruleId) => ({ source: 'draft', ruleId: ruleId ?? selector, label: tag, points: weight, selector }),
      );
    },
    invalid: actions.invalid,
    cancel: actions.close,
  });

  return {
    node,
    focus: () => fields.tag.focus(),
    destroy: () => undefined, // nothing running: no timers, no requests of its own
    update(before, now) {
      formCtx = now.loaded?.formCtx ?? formCtx;
      if (now.selection !== before.selection) follow(now.selection);
      if (now.panel !== before.panel && now.panel.kind === 'element') show(now.panel.target);
      save.disabled = now.pending === 'save';
    },
  };
}
