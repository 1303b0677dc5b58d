// DOM helpers shared by the capture modules.

// The globals, named once: the minifier shortens these names, not the globals'.
export const doc = document;
export const loc = location;
export const win = window;

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

/**
 * Capture phase, so a page's stopPropagation() cannot hide an event from us. Not marked
 * passive: we listen to no scroll or touch event, where it would matter.
 */
export const on = (target: EventTarget, type: string, fn: (e: any) => unknown): void =>
  target.addEventListener(type, guard(fn), true);

/** The element the user acted on, or its nearest ancestor matching `sel`. */
export const closest = (e: Event, sel: string): HTMLElement | null | undefined => (e.target as Element).closest?.(sel) as HTMLElement;

export const text = (el: Element): string => (el.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 300);

/** A short CSS path: up to the nearest id, at most five steps. A label for reports, not a unique key. */
export function selector(el: Element | null): string {
  let path = '';
  for (let steps = 0; el && el !== doc.body && steps++ < 5; el = el.parentElement) {
    // getAttribute, not .id: on a form, `.id` returns a field named "id".
    const id = el.getAttribute('id');
    if (id) {
      path = '>#' + CSS.escape(id) + path;
      break;
    }
    let n = 1;
    for (let s = el; (s = s.previousElementSibling!); ) if (s.tagName === el.tagName) n++;
    path = '>' + el.localName + (n > 1 ? ':nth-of-type(' + n + ')' : '') + path;
  }
  return path.slice(1, 301) || 'body';
}
