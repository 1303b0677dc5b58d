import type { KnownTag, TaggingModel, TaggingPagesReply } from '../../shared/contracts/messages.ts';
import type { TagRequest } from '../../shared/contracts/marketing.ts';
import type { SaveFormIntent } from './hand-raise.ts';
import type { Running } from './machine.ts';

// What a form in the tagger's panel is to the DOM layer (overlay.ts): a node it shows, kept
// up to date with each new state, and what it may ask the tagger to do. A view holds only its
// own inputs; everything else it reads from the state.

export type PanelView = {
  node: HTMLElement;
  /** A new state while this form shows (a new step of the choice, a request in flight). */
  update(before: Running, now: Running): void;
  /** Where the keyboard starts once the form shows. */
  focus(): void;
  /** The form is gone (another opened, or tagging ended): timers stop, late answers are dropped. */
  destroy(): void;
};

export type TaggerActions = {
  /** Alt+↑/↓ and the Wider and Narrower buttons. */
  step(direction: 'widen' | 'narrow'): void;
  close(): void;
  /** The fields did not read; `text` says why in the marketer's language. */
  invalid(text: string): void;
  /** Saves a tag to the draft; an element tag's badge shows at once. */
  saveTag(request: TagRequest, badge?: (ruleId: string | undefined) => KnownTag): void;
  saveFormIntent: SaveFormIntent;
  publish(model: TaggingModel): void;
  openDashboard(): void;
  /** The known pages a pattern matches; a failure to ask answers as a problem reply. */
  previewPages(pattern: string): Promise<TaggingPagesReply>;
};

/** What every view is made with: the page, the panel it sits in, and the actions. */
export type ViewContext = { doc: Document; panel: HTMLElement; actions: TaggerActions };
