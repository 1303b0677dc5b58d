// What the tagger has in hand, as a small state machine: nothing, an element under the pointer,
// or a chosen element with the steps the marketer can widen and narrow through (from what the
// click hit up to the page; the choice starts at the control the click meant, see targetChain in
// target.ts, which the caller runs so this stays pure). Hovering never changes a choice; only a
// new click or clearing does.

export type Selection =
  | { kind: 'idle' }
  | { kind: 'hovering'; el: Element }
  | { kind: 'chosen'; chain: readonly Element[]; index: number };

export type SelectionEvent =
  | { type: 'hover'; el: Element | undefined }
  | { type: 'click'; chain: readonly Element[]; index: number }
  | { type: 'widen' }
  | { type: 'narrow' }
  | { type: 'clear' };

export const IDLE: Selection = { kind: 'idle' };

export function nextSelection(state: Selection, event: SelectionEvent): Selection {
  switch (event.type) {
    case 'hover':
      if (state.kind === 'chosen') return state;
      if (!event.el) return IDLE;
      return state.kind === 'hovering' && state.el === event.el ? state : { kind: 'hovering', el: event.el };
    case 'click':
      return { kind: 'chosen', chain: event.chain, index: Math.max(0, Math.min(event.chain.length - 1, event.index)) };
    case 'widen':
    case 'narrow': {
      if (state.kind !== 'chosen') return state;
      const index = Math.max(0, Math.min(state.chain.length - 1, state.index + (event.type === 'widen' ? 1 : -1)));
      return index === state.index ? state : { ...state, index };
    }
    case 'clear':
      return IDLE;
  }
}

/** The element to outline: the chosen one, else the one under the pointer. */
export function shownElement(state: Selection): Element | undefined {
  if (state.kind === 'chosen') return state.chain[state.index];
  return state.kind === 'hovering' ? state.el : undefined;
}

/** Whether the choice can still widen (toward the page) or narrow (toward what the click hit). */
export function canStep(state: Selection): { widen: boolean; narrow: boolean } {
  if (state.kind !== 'chosen') return { widen: false, narrow: false };
  return { widen: state.index < state.chain.length - 1, narrow: state.index > 0 };
}
