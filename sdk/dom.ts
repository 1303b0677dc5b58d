// DOM helpers shared by the capture modules.

/** Wraps a callback so nothing it throws ever reaches the host page. */
export const guard =
  <A extends unknown[]>(fn: (...a: A) => unknown) =>
  (...a: A): void => {
    try {
      fn(...a);
    } catch {
      // Swallowed on purpose: a tracker bug must never break the site it measures.
    }
  };

/** Capture phase, so a page's stopPropagation() cannot hide an event from us; passive, so we never delay scrolling. */
export function on(target: EventTarget, type: string, fn: (e: any) => unknown): void {
  target.addEventListener(type, guard(fn), { capture: true, passive: true });
}

/** The element the user acted on, or its nearest ancestor matching `sel`. */
export const closest = (e: Event, sel: string): Element | null =>
  (e.target as Element | null)?.closest?.(sel) ?? null;

export const text = (el: Element): string => (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 300);

/** A short CSS path: up to the nearest id, at most five steps. A label for reports, not a unique key. */
export function selector(el: Element | null): string {
  const parts: string[] = [];
  for (; el && el !== document.body && parts.length < 5; el = el.parentElement) {
    // getAttribute, not .id: on a form, `.id` returns a field named "id".
    const id = el.getAttribute('id');
    if (id) {
      parts.unshift('#' + CSS.escape(id));
      break;
    }
    let n = 1;
    for (let s = el.previousElementSibling; s; s = s.previousElementSibling) if (s.tagName === el.tagName) n++;
    parts.unshift(el.localName + (n > 1 ? `:nth-of-type(${n})` : ''));
  }
  return parts.join('>').slice(0, 300) || 'body';
}
