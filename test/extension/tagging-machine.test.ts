import { describe, expect, it } from 'vitest';
import type { Target } from '../../extension/tagging/describe.ts';
import {
  initialState, isError, transition,
  type Loaded, type Refusal, type Running, type TaggerEvent, type TaggerState,
} from '../../extension/tagging/machine.ts';
import { IDLE } from '../../extension/tagging/selection.ts';
import type { KnownTag } from '../../shared/contracts/messages.ts';

// The tagger's state machine on its own, in node: no DOM, no browser. Elements are opaque to
// it, so stand-ins do; every event is tried in every kind of state, and the paths a marketer
// takes (load, choose, save, publish; the failures on the way) are walked step by step.

const el = (name: string) => ({ name }) as unknown as Element;
const [icon, button, form] = [el('i'), el('button'), el('form')];
const chain = [icon, button, form] as const;
const TARGET: Target = { selector: '#demo', text: 'Book a demo', fingerprint: { tag: 'button', text: 'Book a demo', index: 0 }, inChrome: false };
const WIDER: Target = { selector: '#signup', text: 'Book a demo Email', fingerprint: undefined, inChrome: false };
const MODEL = { id: 'b2b-starter', name: 'B2B starter', version: 3 };
const DRAFT = { ...MODEL, draftVersion: 4 };
const TAG: KnownTag = { source: 'live', ruleId: 'trial-click', label: 'trial', points: 5, selector: '#trial' };
const LOADED: Loaded = { model: MODEL, tags: [TAG], formCtx: { formIntents: [], handRaiseIntents: ['demo'] } };
const REFUSED: Refusal = { problem: 'invalid', message: 'bad tag', details: ['interestRules.9.when.selector: too long'] };
const AWAY: Refusal = { problem: 'unreachable' };

const run = (state: TaggerState, ...events: TaggerEvent[]): TaggerState => events.reduce(transition, state);
function running(state: TaggerState): Running {
  if (state.phase === 'stopped') throw new Error('expected a running tagger');
  return state;
}
const click = (target: Target | undefined): TaggerEvent => ({ type: 'click', chain, index: 1, target });
const ready = () => running(run(initialState(), { type: 'context-loaded', loaded: LOADED }));
const choosing = () => running(run(ready(), click(TARGET)));
const offering = () => running(run(choosing(), { type: 'save-started' }, { type: 'saved', model: DRAFT }));

/** One event of every kind: the record's keys make the compiler list them all. */
const EVENTS: Record<TaggerEvent['type'], TaggerEvent> = {
  hover: { type: 'hover', el: icon },
  click: click(TARGET),
  widen: { type: 'widen' },
  narrow: { type: 'narrow' },
  described: { type: 'described', target: WIDER },
  'open-page-form': { type: 'open-page-form' },
  close: { type: 'close' },
  'context-loaded': { type: 'context-loaded', loaded: LOADED },
  'context-failed': { type: 'context-failed', refusal: AWAY },
  invalid: { type: 'invalid', text: 'A tag is 1 to 40 letters' },
  'save-started': { type: 'save-started' },
  'save-failed': { type: 'save-failed', refusal: REFUSED },
  saved: { type: 'saved', model: DRAFT },
  'form-intent-started': { type: 'form-intent-started' },
  'form-intent-failed': { type: 'form-intent-failed', refusal: REFUSED },
  'form-intent-saved': { type: 'form-intent-saved', model: DRAFT, formIntents: [{ formId: 'f', intent: 'demo' }] },
  'publish-started': { type: 'publish-started' },
  'publish-failed': { type: 'publish-failed', refusal: AWAY },
  published: { type: 'published', version: 4 },
  'dashboard-failed': { type: 'dashboard-failed', refusal: AWAY },
  stop: { type: 'stop' },
};
const STATES: Record<string, () => TaggerState> = {
  loading: initialState,
  ready,
  choosing,
  'page form': () => run(ready(), EVENTS['open-page-form']),
  saving: () => run(choosing(), EVENTS['save-started']),
  offering,
  error: () => run(initialState(), EVENTS['context-failed']),
};

describe('the tagger state machine: every event in every state', () => {
  for (const [name, make] of Object.entries(STATES))
    for (const event of Object.values(EVENTS))
      it(`${name} + ${event.type}`, () => {
        const before = make();
        const snapshot = structuredClone({ ...before, selection: undefined });
        const after = transition(before, event);
        // Pure: the old state is never changed in place.
        expect({ ...before, selection: undefined }).toEqual(snapshot);
        if (event.type === 'stop') return void expect(after).toEqual({ phase: 'stopped' });
        const now = running(after);
        // A red status line and the error phase go together, except for the dashboard's own
        // failure, which leaves the tagger's phase alone.
        if (isError(now.status) && now.status.kind !== 'dashboard-failed' && now.status !== running(before).status) expect(now.phase).toBe('error');
        // Nothing but a save, form intent or publish starting leaves a request pending.
        if (now.pending !== 'none' && now.pending !== running(before).pending) expect(event.type).toMatch(/-started$/);
        // A panel that changed kind or opening is a fresh form, numbered after the last.
        if (now.panel.kind !== 'closed' && now.panel !== running(before).panel && now.panel.kind !== running(before).panel.kind) expect(now.opened).toBe(running(before).opened + 1);
      });

  it('ends at stop: nothing that comes late changes a stopped tagger', () => {
    const stopped = run(offering(), EVENTS.stop);
    for (const event of Object.values(EVENTS)) expect(transition(stopped, event)).toBe(stopped);
  });
});

describe('the tagger state machine: the paths', () => {
  it('starts loading, and is ready once the model and its tags are loaded', () => {
    const start = running(initialState());
    expect(start).toMatchObject({ phase: 'loading', loaded: undefined, selection: IDLE, panel: { kind: 'closed' }, status: { kind: 'none' }, pending: 'none' });
    expect(ready()).toMatchObject({ phase: 'ready', loaded: LOADED });
  });

  it('a model loaded again later (after publishing) keeps the phase', () => {
    const published = run(offering(), EVENTS['publish-started'], EVENTS.published);
    expect(run(published, EVENTS['context-loaded'])).toMatchObject({ phase: 'published', loaded: LOADED });
  });

  it('a failed load says why in red; a later load leaves the error phase to the next step', () => {
    const failed = running(run(initialState(), EVENTS['context-failed']));
    expect(failed).toMatchObject({ phase: 'error', status: { kind: 'load-failed', refusal: AWAY } });
    expect(run(failed, EVENTS['context-loaded'])).toMatchObject({ phase: 'error', loaded: LOADED });
  });

  it('hovering outlines an element until one is chosen; then only a click or closing changes the choice', () => {
    let s = run(ready(), { type: 'hover', el: form });
    expect(running(s).selection).toEqual({ kind: 'hovering', el: form });
    expect(run(s, { type: 'hover', el: form })).toBe(s);
    expect(running(run(s, { type: 'hover', el: undefined })).selection).toBe(IDLE);
    s = run(s, click(TARGET));
    expect(running(s).selection).toEqual({ kind: 'chosen', chain, index: 1 });
    expect(run(s, { type: 'hover', el: form })).toBe(s);
    expect(running(run(s, EVENTS.close))).toMatchObject({ selection: IDLE, panel: { kind: 'closed' } });
  });

  it('a click opens a fresh element form for its target, each click a new one', () => {
    const first = choosing();
    expect(first.panel).toEqual({ kind: 'element', n: 1, target: TARGET });
    expect(first.status).toEqual({ kind: 'none' });
    const again = running(run(first, click(TARGET)));
    expect(again.panel).toEqual({ kind: 'element', n: 2, target: TARGET });
  });

  it('a click on an element with no selector says so and leaves the open form as it was', () => {
    const s = running(run(choosing(), click(undefined)));
    expect(s).toMatchObject({ phase: 'error', status: { kind: 'no-selector' }, panel: { kind: 'element', n: 1, target: TARGET } });
    expect(running(run(ready(), click(undefined))).panel).toEqual({ kind: 'closed' });
  });

  it('widens and narrows within the chain, never past its ends, and follows with the described target', () => {
    const s = choosing();
    const wide = running(run(s, EVENTS.widen));
    expect(wide.selection).toEqual({ kind: 'chosen', chain, index: 2 });
    expect(run(wide, EVENTS.widen)).toBe(wide);
    const described = running(run(wide, { type: 'described', target: WIDER }));
    expect(described.panel).toEqual({ kind: 'element', n: 1, target: WIDER });
    const narrow = running(run(s, EVENTS.narrow));
    expect(narrow.selection).toEqual({ kind: 'chosen', chain, index: 0 });
    expect(run(narrow, EVENTS.narrow)).toBe(narrow);
    // A step with no selector: the form keeps nothing to save and the status says why.
    expect(running(run(narrow, { type: 'described', target: undefined }))).toMatchObject({ phase: 'error', status: { kind: 'no-selector' }, panel: { target: undefined } });
    // Described without an element form open: nothing to follow.
    expect(run(ready(), EVENTS.described)).toEqual(ready());
  });

  it('opening the page form drops the choice; cancelling closes it and keeps the status', () => {
    const page = running(run(choosing(), EVENTS['open-page-form']));
    expect(page).toMatchObject({ selection: IDLE, panel: { kind: 'page', n: 2 }, status: { kind: 'none' } });
    const refused = run(page, EVENTS.invalid);
    expect(running(run(refused, EVENTS.close))).toMatchObject({ panel: { kind: 'closed' }, status: { kind: 'invalid' }, phase: 'error' });
  });

  it('fields that do not read are said in red without asking anyone', () => {
    expect(running(run(choosing(), EVENTS.invalid))).toMatchObject({ phase: 'error', status: { kind: 'invalid', text: 'A tag is 1 to 40 letters' }, pending: 'none', panel: { kind: 'element', n: 1 } });
  });

  it('saves: saving while asked, then the offer to publish with the new badge; a refusal keeps the form', () => {
    const saving = running(run(choosing(), EVENTS['save-started']));
    expect(saving).toMatchObject({ phase: 'saving', status: { kind: 'saving' }, pending: 'save' });
    const badge: KnownTag = { source: 'draft', ruleId: 'tag-demo-1', label: 'demo', points: 25, selector: '#demo' };
    const saved = running(run(saving, { type: 'saved', model: DRAFT, tag: badge }));
    expect(saved).toMatchObject({ phase: 'saved', pending: 'none', status: { kind: 'none' }, panel: { kind: 'offer', n: 2, model: DRAFT, saved: 'tag' } });
    expect(saved.loaded).toEqual({ ...LOADED, model: DRAFT, tags: [TAG, badge] });
    const refused = running(run(saving, EVENTS['save-failed']));
    expect(refused).toMatchObject({ phase: 'error', pending: 'none', status: { kind: 'failed', refusal: REFUSED }, panel: { kind: 'element', n: 1 } });
  });

  it('a page tag saves with no badge of its own (its lines come from the server again)', () => {
    const saved = running(run(ready(), EVENTS['open-page-form'], EVENTS['save-started'], EVENTS.saved));
    expect(saved.loaded?.tags).toEqual([TAG]);
    expect(saved.panel).toMatchObject({ kind: 'offer', saved: 'tag' });
  });

  it("saves a form's intent into the draft, then offers to publish; a refusal is said", () => {
    const saving = running(run(choosing(), EVENTS['form-intent-started']));
    expect(saving).toMatchObject({ phase: 'saving', pending: 'form-intent', status: { kind: 'saving' } });
    const saved = running(run(saving, EVENTS['form-intent-saved']));
    expect(saved).toMatchObject({ phase: 'saved', pending: 'none', panel: { kind: 'offer', model: DRAFT, saved: 'form-intent' } });
    expect(saved.loaded?.formCtx).toEqual({ formIntents: [{ formId: 'f', intent: 'demo' }], handRaiseIntents: ['demo'] });
    expect(running(run(saving, EVENTS['form-intent-failed']))).toMatchObject({ phase: 'error', pending: 'none', status: { kind: 'failed' } });
  });

  it('a save answer with no model loaded changes nothing (a save only starts with the model)', () => {
    const loading = initialState();
    expect(run(loading, EVENTS.saved)).toBe(loading);
    expect(run(loading, EVENTS['form-intent-saved'])).toBe(loading);
  });

  it('publishes from the offer: publishing, then published with the version, the choice and form gone', () => {
    const publishing = running(run(offering(), EVENTS['publish-started']));
    expect(publishing).toMatchObject({ phase: 'saved', status: { kind: 'publishing' }, pending: 'publish' });
    const published = running(run(publishing, EVENTS.published));
    expect(published).toMatchObject({ phase: 'published', pending: 'none', selection: IDLE, panel: { kind: 'closed' }, status: { kind: 'published', name: 'B2B starter', version: 4 } });
    const failed = running(run(publishing, EVENTS['publish-failed']));
    expect(failed).toMatchObject({ phase: 'error', pending: 'none', status: { kind: 'failed', refusal: AWAY }, panel: { kind: 'offer' } });
    // Publishing is the offer's step: without one, nothing to publish.
    expect(run(ready(), EVENTS['publish-started'])).toEqual(ready());
    expect(run(ready(), EVENTS.published)).toEqual(ready());
  });

  it('a dashboard that did not open is said in red, and the saved state stays saved', () => {
    const s = running(run(offering(), EVENTS['dashboard-failed']));
    expect(s).toMatchObject({ phase: 'saved', status: { kind: 'dashboard-failed', refusal: AWAY }, panel: { kind: 'offer' } });
    expect(isError(s.status)).toBe(true);
  });
});
