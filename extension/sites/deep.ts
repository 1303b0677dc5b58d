// The DOM below a region, including shadow roots: Salesforce Lightning and other web-component
// apps render records inside them. Open roots are read directly; closed ones through the
// extension-only APIs (Firefox: `element.openOrClosedShadowRoot`, Chrome:
// `chrome.dom.openOrClosedShadowRoot(element)`), which pages cannot use against us.

type ChromeDom = { dom?: { openOrClosedShadowRoot?: (el: Element) => ShadowRoot | null } };

/** Stop after this many elements: a hostile or huge page must not stall the content script. */
export const MAX_ELEMENTS = 60_000;

export function shadowOf(el: Element): ShadowRoot | null {
  if (el.shadowRoot) return el.shadowRoot;
  try {
    const firefox = (el as Element & { openOrClosedShadowRoot?: ShadowRoot | null }).openOrClosedShadowRoot;
    if (firefox) return firefox;
    const chromeDom = (globalThis as { chrome?: ChromeDom }).chrome?.dom?.openOrClosedShadowRoot;
    return chromeDom ? (chromeDom(el) ?? null) : null;
  } catch {
    // why: the closed-root APIs throw where they are not offered (a page that shadows them):
    // a closed root we cannot open is one we cannot read, as in any other browser.
    return null;
  }
}

/** `root` and every shadow root below it (nested ones too), in document order of their hosts. */
export function rootsUnder(root: ParentNode, limit = MAX_ELEMENTS): ParentNode[] {
  const roots: ParentNode[] = [root];
  let seen = 0;
  for (let i = 0; i < roots.length && seen < limit; i++) {
    for (const el of roots[i]!.querySelectorAll('*')) {
      if (++seen > limit) break;
      const shadow = shadowOf(el);
      if (shadow) roots.push(shadow);
    }
  }
  return roots;
}

/** `querySelectorAll` through shadow roots. */
export function deepAll(root: ParentNode, selector: string, roots = rootsUnder(root)): Element[] {
  return roots.flatMap((r) => [...r.querySelectorAll(selector)]);
}

export function deepFirst(root: ParentNode, selector: string, roots = rootsUnder(root)): Element | undefined {
  for (const r of roots) {
    const hit = r.querySelector(selector);
    if (hit) return hit;
  }
  return undefined;
}

/** The parent, crossing out of a shadow root to its host. */
export function parentOf(node: Node): Node | null {
  return node.parentNode instanceof ShadowRootLike ? (node.parentNode as ShadowRoot).host : node.parentNode;
}

// happy-dom and browsers both have ShadowRoot; a fallback keeps this module loadable anywhere.
const ShadowRootLike: { new (): unknown; prototype: unknown } =
  (globalThis as { ShadowRoot?: { new (): unknown; prototype: unknown } }).ShadowRoot ?? (class {} as { new (): unknown; prototype: unknown });

/** Is `node` inside any of `containers` (across shadow boundaries)? */
export function insideAny(node: Node, containers: ReadonlySet<Node>): boolean {
  for (let n: Node | null = node; n; n = parentOf(n)) if (containers.has(n)) return true;
  return false;
}

/** Text content including shadow roots' text. */
export function deepText(el: Element): string {
  return rootsUnder(el, 2_000)
    .map((r) => r.textContent ?? '')
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}
