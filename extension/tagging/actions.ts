import type { KnownTag, TaggingModel } from '../../shared/contracts/messages.ts';
import type { TagRequest } from '../../shared/contracts/marketing.ts';
import { unreachable, type Send } from './client.ts';
import { describeTarget } from './describe.ts';
import type { SaveFormIntent } from './hand-raise.ts';
import type { Running, TaggerEvent, TaggerState } from './machine.ts';
import type { TaggerActions } from './panel-view.ts';
import { shownElement } from './selection.ts';
import { statusText } from './status-text.ts';

// The tagger's effects: what the forms and keys ask for, done. Each request to the background
// says it started, and its answer (or its failure: see `unreachable`) comes back as a machine
// event; whether anything still listens is the machine's to decide (stopped takes nothing).

export type TaggerEffects = TaggerActions & {
  /** Asks for the model, its tags and form intents for this page. */
  loadContext(): Promise<void>;
  /** Leaves tagging mode, and tells the background (which tells the side panel's toggle). */
  leave(): void;
};

type Deps = { send: Send; dispatch(event: TaggerEvent): void; current(): TaggerState; url(): string };

export function createActions({ send, dispatch, current, url }: Deps): TaggerEffects {
  const running = (): Running | undefined => {
    const state = current();
    return state.phase === 'stopped' ? undefined : state;
  };

  async function loadContext(): Promise<void> {
    const r = await send({ type: 'tagging-context', url: url() }).catch(unreachable('loading the model'));
    if (r.status !== 'ok') return dispatch({ type: 'context-failed', refusal: r });
    dispatch({ type: 'context-loaded', loaded: { model: r.model, tags: r.tags, formCtx: { formIntents: r.formIntents ?? [], handRaiseIntents: r.handRaiseIntents ?? [] } } });
  }
  /** The model to save into. It may not have loaded when tagging started (server away for a moment): try again. */
  async function model(): Promise<TaggingModel | undefined> {
    if (!running()?.loaded) await loadContext();
    return running()?.loaded?.model;
  }
  async function saveTag(request: TagRequest, badge?: (ruleId: string | undefined) => KnownTag): Promise<void> {
    const into = await model();
    if (!into) return; // the status line says why the model did not load
    dispatch({ type: 'save-started' });
    const r = await send({ type: 'tagging-save', modelId: into.id, request }).catch(unreachable('saving the tag'));
    if (r.status !== 'ok') return dispatch({ type: 'save-failed', refusal: r });
    dispatch({ type: 'saved', model: r.model, ...(badge ? { tag: badge(r.ruleId) } : {}) });
    // Whether a page pattern covers this page is the server's to say: its lines come from there.
    if (request.target === 'page') void loadContext();
  }
  const saveFormIntent: SaveFormIntent = async (formId, intent) => {
    const into = await model();
    if (!into) return statusText({ kind: 'failed', refusal: { problem: 'unreachable' } });
    dispatch({ type: 'form-intent-started' });
    const r = await send({ type: 'tagging-form-intent', modelId: into.id, formId, intent }).catch(unreachable('saving the form intent'));
    if (r.status !== 'ok') {
      dispatch({ type: 'form-intent-failed', refusal: r });
      return statusText({ kind: 'failed', refusal: r });
    }
    dispatch({ type: 'form-intent-saved', model: r.model, formIntents: r.formIntents });
    return undefined;
  };
  async function publish(saved: TaggingModel): Promise<void> {
    dispatch({ type: 'publish-started' });
    const r = await send({ type: 'tagging-publish', modelId: saved.id }).catch(unreachable('publishing the draft'));
    if (r.status !== 'ok') return dispatch({ type: 'publish-failed', refusal: r });
    dispatch({ type: 'published', version: r.version });
    void loadContext();
  }
  async function openDashboard(): Promise<void> {
    const r = await send({ type: 'tagging-dashboard' }).catch(unreachable('opening the dashboard'));
    if (r.status !== 'ok') dispatch({ type: 'dashboard-failed', refusal: r });
  }
  function leave(): void {
    dispatch({ type: 'stop' });
    void send({ type: 'tagging-stop' }).catch(unreachable('leaving tagging mode')).then((r) => {
      // why: the overlay is gone, so there is nowhere to show this; the side panel's toggle
      // asks the tab itself (tagging-ping, which this page no longer answers) and turns off.
      if (r.status !== 'ok') console.warn('Leadglow: tagging mode: the background did not note that tagging stopped', r);
    });
  }
  /** Widens or narrows the choice; an open element form then shows who the new step is. */
  function step(direction: 'widen' | 'narrow'): void {
    const before = current();
    dispatch({ type: direction });
    const now = running();
    if (now && now !== before && now.panel.kind === 'element') {
      const el = shownElement(now.selection);
      dispatch({ type: 'described', target: el && describeTarget(el) });
    }
  }
  return {
    step,
    close: () => dispatch({ type: 'close' }),
    invalid: (text) => dispatch({ type: 'invalid', text }),
    saveTag: (request, badge) => void saveTag(request, badge),
    saveFormIntent,
    publish: (saved) => void publish(saved),
    openDashboard: () => void openDashboard(),
    previewPages: (pattern) => send({ type: 'tagging-pages', pattern }).catch(unreachable('previewing the pages a pattern matches')),
    loadContext,
    leave,
  };
}
