import type { KnownTag } from '../../shared/contracts/messages.ts';
import { elementBadges, type Badge } from './badges.ts';
import { h } from './dom.ts';
import { shownElement, type Selection } from './selection.ts';

// The layer drawn over the page: a fixed box around the hovered or chosen element, and a badge
// above each element that is tagged already. Both are placed from the elements' boxes, never
// inserted into the page, so the page's layout never moves.

export type Highlight = {
  layer: HTMLElement;
  drawBox(selection: Selection): void;
  drawBadges(tags: readonly KnownTag[]): void;
  /** After a scroll or resize: the badges move with their elements. */
  placeBadges(): void;
};

function place(node: HTMLElement, el: Element, asBadge = false): void {
  const r = el.getBoundingClientRect();
  node.style.top = `${Math.max(0, asBadge ? r.top - 10 : r.top)}px`;
  node.style.left = `${Math.max(0, r.left)}px`;
  if (!asBadge) {
    node.style.width = `${r.width}px`;
    node.style.height = `${r.height}px`;
  }
}

export function createHighlight(doc: Document): Highlight {
  const box = h(doc, 'div', { class: 'box' });
  const badgeLayer = h(doc, 'div', { class: 'layer' });
  const layer = h(doc, 'div', { class: 'layer' }, box, badgeLayer);
  let badges: { badge: Badge; node: HTMLElement }[] = [];
  return {
    layer,
    drawBox(selection) {
      const el = shownElement(selection);
      box.classList.toggle('selected', selection.kind === 'chosen');
      box.style.display = el ? 'block' : 'none';
      if (el) place(box, el);
    },
    drawBadges(tags) {
      badgeLayer.replaceChildren();
      badges = elementBadges(doc, tags).map((badge) => {
        const node = h(doc, 'span', { class: `badge ${badge.kind}` }, badge.text);
        place(node, badge.el, true);
        badgeLayer.append(node);
        return { badge, node };
      });
    },
    placeBadges() {
      for (const { badge, node } of badges) place(node, badge.el, true);
    },
  };
}
