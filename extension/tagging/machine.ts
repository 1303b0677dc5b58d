import type { FormIntentOverride } from '../../shared/contracts/model.ts';
import type { KnownTag, TaggingModel, TaggingSaveReply } from '../../shared/contracts/messages.ts';
import type { HandRaiseContext } from './hand-raise.ts';
import { IDLE, nextSelection, type Selection, type SelectionEvent } from './selection.ts';
import type { Target } from './describe.ts';

// Tagging mode as a state machine: everything the tagger knows and shows, and the one pure
// function that moves it. The DOM layer (overlay.ts) turns page and panel events into these
// events, does the sending, and draws whatever state this answers; nothing here touches the DOM,
// the network or the clock, so every transition is tested without a browser
// (test/extension/tagging-machine.test.ts).

/**
 * Where the tagger is, as the host's `data-state` says it to anyone driving it from outside (a
 * Chromium test, assistive tools). `error` lasts until the next save, publish or load says
 * otherwise, as the status line's red does.
 */
export type Phase = 'loading' | 'ready' | 'saving' | 'saved' | 'published' | 'error';

/** What the background told us of the model: the draft's tags, and its form intents. */
export type Loaded = { model: TaggingModel; tags: readonly KnownTag[]; formCtx: HandRaiseContext };

/** Why the background said no: the problem reply of the contract (client.ts parses it). */
export type Refusal = Omit<Extract<TaggingSaveReply, { status: 'problem' }>, 'status'>;

/**
 * The panel below the bar. Each opened form gets a new `n`, so the DOM layer knows a fresh form
 * (inputs empty again) from the same form showing a new step of the choice.
 */
export type Panel =
  | { kind: 'closed' }
  | { kind: 'element'; n: number; target: Target | undefined }
  | { kind: 'page'; n: number }
  | { kind: 'offer'; n: number; model: TaggingModel; saved: 'tag' | 'form-intent' };

/** The status line: what it says, not yet in words (status-text.ts words it). */
export type Status =
  | { kind: 'none' }
  | { kind: 'saving' }
  | { kind: 'publishing' }
  | { kind: 'published'; name: string; version: number }
  | { kind: 'load-failed'; refusal: Refusal }
  | { kind: 'failed'; refusal: Refusal }
  | { kind: 'invalid'; text: string }
  | { kind: 'no-selector' }
  | { kind: 'dashboard-failed'; refusal: Refusal };

/** The request in flight, whose button stays disabled until it answers. */
export type Pending = 'none' | 'save' | 'form-intent' | 'publish';

export type TaggerState =
  | { phase: 'stopped' }
  | { phase: Phase; loaded: Loaded | undefined; selection: Selection; panel: Panel; status: Status; pending: Pending; opened: number };

export type Running = Exclude<TaggerState, { phase: 'stopped' }>;

export type TaggerEvent =
  /** The pointer over an element, or over nothing of the page's. */
  | Extract<SelectionEvent, { type: 'hover' }>
  /** A click on the page: the steps from what it hit (target.ts), and who the chosen one is. */
  | { type: 'click'; chain: readonly Element[]; index: number; target: Target | undefined }
  /** Alt+↑/↓ or the buttons. The DOM layer then describes the new step with `described`. */
  | { type: 'widen' }
  | { type: 'narrow' }
  /** Who the element now chosen is (undefined: no selector could be made for it). */
  | { type: 'described'; target: Target | undefined }
  | { type: 'open-page-form' }
  | { type: 'close' }
  | { type: 'context-loaded'; loaded: Loaded }
  | { type: 'context-failed'; refusal: Refusal }
  /** The form's fields did not read (form.ts words why). */
  | { type: 'invalid'; text: string }
  | { type: 'save-started' }
  | { type: 'save-failed'; refusal: Refusal }
  /** A tag saved to the draft; for an element tag, the badge it now has. */
  | { type: 'saved'; model: TaggingModel; tag?: KnownTag }
  | { type: 'form-intent-started' }
  | { type: 'form-intent-failed'; refusal: Refusal }
  | { type: 'form-intent-saved'; model: TaggingModel; formIntents: readonly FormIntentOverride[] }
  | { type: 'publish-started' }
  | { type: 'publish-failed'; refusal: Refusal }
  | { type: 'published'; version: number }
  /** "Open the dashboard" did not: the background could not open it. */
  | { type: 'dashboard-failed'; refusal: Refusal }
  | { type: 'stop' };

export const CLOSED: Panel = { kind: 'closed' };
const NONE: Status = { kind: 'none' };

export const initialState = (): TaggerState => ({
  phase: 'loading', loaded: undefined, selection: IDLE, panel: CLOSED, status: NONE, pending: 'none', opened: 0,
});

/** Status lines shown in red; saying one puts the tagger in `error`. */
export const isError = (status: Status): boolean =>
  status.kind === 'load-failed' || status.kind === 'failed' || status.kind === 'invalid' || status.kind === 'no-selector' || status.kind === 'dashboard-failed';

/** Says something wrong: the status line in red, the tagger in `error`. */
const fail = (s: Running, status: Status, pending: Pending = s.pending): Running => ({ ...s, status, pending, phase: 'error' });

/** A fresh form in the panel. */
const open = (s: Running, panel: (n: number) => Panel): Running => ({ ...s, panel: panel(s.opened + 1), opened: s.opened + 1, status: NONE });

/** A new step of the same choice: moves the selection, keeps the form (answers `s` when nothing moved). */
function step(s: Running, event: SelectionEvent): Running {
  const selection = nextSelection(s.selection, event);
  return selection === s.selection ? s : { ...s, selection };
}

export function transition(state: TaggerState, event: TaggerEvent): TaggerState {
  // Stopped is the end: a late reply or event after leaving changes nothing.
  if (state.phase === 'stopped') return state;
  const s = state;
  switch (event.type) {
    case 'hover':
    case 'widen':
    case 'narrow':
      return step(s, event);
    case 'click': {
      const chosen = { ...s, selection: nextSelection(s.selection, { type: 'click', chain: event.chain, index: event.index }) };
      // No selector for it: say so, and leave whatever form was open as it was.
      if (!event.target) return fail(chosen, { kind: 'no-selector' });
      const target = event.target;
      return open(chosen, (n) => ({ kind: 'element', n, target }));
    }
    case 'described':
      if (s.panel.kind !== 'element') return s;
      if (!event.target) return fail({ ...s, panel: { ...s.panel, target: undefined } }, { kind: 'no-selector' });
      return { ...s, panel: { ...s.panel, target: event.target }, status: NONE };
    case 'open-page-form':
      return open({ ...s, selection: IDLE }, (n) => ({ kind: 'page', n }));
    case 'close':
      return { ...s, selection: IDLE, panel: CLOSED };
    case 'context-loaded':
      return { ...s, loaded: event.loaded, phase: s.phase === 'loading' ? 'ready' : s.phase };
    case 'context-failed':
      return fail(s, { kind: 'load-failed', refusal: event.refusal });
    case 'invalid':
      return fail(s, { kind: 'invalid', text: event.text });
    case 'save-started':
      return { ...s, phase: 'saving', status: { kind: 'saving' }, pending: 'save' };
    case 'save-failed':
      return fail(s, { kind: 'failed', refusal: event.refusal }, 'none');
    case 'saved': {
      if (!s.loaded) return s; // a save starts only with the model loaded
      const tags = event.tag ? [...s.loaded.tags, event.tag] : s.loaded.tags;
      const model = event.model;
      return { ...open({ ...s, loaded: { ...s.loaded, model, tags } }, (n) => ({ kind: 'offer', n, model, saved: 'tag' })), phase: 'saved', pending: 'none' };
    }
    case 'form-intent-started':
      return { ...s, phase: 'saving', status: { kind: 'saving' }, pending: 'form-intent' };
    case 'form-intent-failed':
      return fail(s, { kind: 'failed', refusal: event.refusal }, 'none');
    case 'form-intent-saved': {
      if (!s.loaded) return s;
      const loaded = { ...s.loaded, model: event.model, formCtx: { ...s.loaded.formCtx, formIntents: event.formIntents } };
      const model = event.model;
      return { ...open({ ...s, loaded }, (n) => ({ kind: 'offer', n, model, saved: 'form-intent' })), phase: 'saved', pending: 'none' };
    }
    case 'publish-started':
      // Phase stays where it was (saved): publishing is the offer's own step.
      return s.panel.kind === 'offer' ? { ...s, status: { kind: 'publishing' }, pending: 'publish' } : s;
    case 'publish-failed':
      return fail(s, { kind: 'failed', refusal: event.refusal }, 'none');
    case 'published': {
      if (s.panel.kind !== 'offer') return s;
      const status: Status = { kind: 'published', name: s.panel.model.name, version: event.version };
      return { ...s, selection: IDLE, panel: CLOSED, status, phase: 'published', pending: 'none' };
    }
    case 'dashboard-failed':
      // Said in red, but the tagger itself is fine: what was saved stays saved, the phase stays.
      return { ...s, status: { kind: 'dashboard-failed', refusal: event.refusal } };
    case 'stop':
      return { phase: 'stopped' };
  }
}
